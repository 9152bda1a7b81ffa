from django.shortcuts import get_object_or_404, render

from actions.models import Action, links_for
from feedback.panel import feedback_panel_context
from partnership import public_cache


def action_list(request):
    return render(request, "actions/action_list.html", {"actions": Action.objects.all()})


@public_cache.cached_for_anonymous
def action_detail(request, number: int):
    action = get_object_or_404(Action, number=number)
    context = {
        "action": action,
        "links": links_for(action),
        "previous_action": Action.objects.filter(number=number - 1).first(),
        "next_action": Action.objects.filter(number=number + 1).first(),
    }
    context.update(feedback_panel_context(request, action))
    return render(request, "actions/action_detail.html", context)
