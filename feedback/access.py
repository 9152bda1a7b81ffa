"""Who may moderate: coordinators decide on every comment; an Action's leader users may
answer its comments and write its outcome summary. Others get 403 (pages) or 404 (objects)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from actions.models import Action
from feedback.models import ActionLeader, Comment
from partnership.roles import is_coordinator


def led_action_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_led_action_ids", None)
    if cached is None:
        cached = set(ActionLeader.objects.filter(user=user).values_list("action_id", flat=True))
        user._led_action_ids = cached
    return cached


def require_moderation_access(user) -> None:
    """Coordinators and Action leaders; everyone else is refused."""
    if not (is_coordinator(user) or led_action_ids(user)):
        raise PermissionDenied


def comments_visible_to(user):
    """All comments for coordinators; those of the user's Actions for Action leaders."""
    if is_coordinator(user):
        return Comment.objects.all()
    return Comment.objects.filter(action_id__in=led_action_ids(user))


def get_comment_for_moderation(user, pk: int) -> Comment:
    require_moderation_access(user)
    queryset = comments_visible_to(user).select_related("round", "action", "moderated_by")
    return get_object_or_404(queryset, pk=pk)


def can_answer(user, action: Action) -> bool:
    return is_coordinator(user) or action.pk in led_action_ids(user)


def get_action_for_answer(user, number: int) -> Action:
    """The Action if `user` may write its answers; 404 otherwise."""
    require_moderation_access(user)
    action = get_object_or_404(Action, number=number)
    if not can_answer(user, action):
        raise PermissionDenied
    return action
