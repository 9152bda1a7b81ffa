from django.shortcuts import get_object_or_404, render

from actions.models import Action, links_for


def action_list(request):
    return render(request, "actions/action_list.html", {"actions": Action.objects.all()})


def action_detail(request, number: int):
    """The Action page; the public-feedback panel comes from feedback's `feedback_panel` tag,
    the anonymous visitors' cache from the root URLconf (`portal.public_cache`)."""
    action = get_object_or_404(Action, number=number)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "links": links_for(action),
            "previous_action": Action.objects.filter(number=number - 1).first(),
            "next_action": Action.objects.filter(number=number + 1).first(),
        },
    )
