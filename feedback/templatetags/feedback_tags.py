from django import template

from feedback.forms import UsefulForm
from feedback.panel import feedback_panel_context

register = template.Library()


@register.inclusion_tag("feedback/_useful_form.html", takes_context=True)
def useful_widget(context):
    """The "Was this page useful?" form for the page being shown."""
    request = context["request"]
    return {
        "useful_form": UsefulForm(initial={"page": request.path}),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def feedback_panel(context, action):
    """The public-feedback panel of an Action page, rendered with the page's own context."""
    panel = feedback_panel_context(context["request"], action)
    with context.push(**panel):
        return context.template.engine.get_template("feedback/_action_panel.html").render(context)
