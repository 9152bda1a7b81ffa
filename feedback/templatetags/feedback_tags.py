from django import template

from feedback.forms import UsefulForm

register = template.Library()


@register.inclusion_tag("feedback/_useful_form.html", takes_context=True)
def useful_widget(context):
    """The "Was this page useful?" form for the page being shown."""
    request = context["request"]
    return {"useful_form": UsefulForm(initial={"page": request.path}), "request": request,
            "csrf_token": context.get("csrf_token")}
