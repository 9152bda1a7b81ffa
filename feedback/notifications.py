"""E-mails to commenters. Called from moderation transitions through transaction.on_commit."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from feedback.models import Comment
from partnership.preferences import shipped_or_default
from portal.mail import absolute, send


def comment_rejected(*, comment_pk: int) -> None:
    """Tell the author that their comment will not be published, in the language they wrote in.

    The coordinator's reason stays in the moderation log (the form says it is not shown)."""
    comment = Comment.objects.select_related("action", "round").filter(pk=comment_pk).first()
    if comment is None or not comment.email or comment.status != Comment.Status.REJECTED:
        return
    with translation.override(shipped_or_default(comment.language)):
        values = {
            "number": comment.action.number,
            "title": str(comment.action.tr.final_title),
            "round": comment.round.title,
            "body": comment.body,
            "url": absolute(reverse("actions:detail", args=[comment.action.number])),
        }
        subject = _("Your comment on Action %(number)d was not published") % values
        body = (
            _(
                "Thank you for taking part in the feedback round “%(round)s”.\n\n"
                "A coordinator of the partnership read your comment on Action %(number)d "
                "(%(title)s) and decided not to publish it: it does not meet the rules for public "
                "comments (for example: advertising, abuse, or personal details of other "
                "people).\n\n"
                "Your comment:\n\n%(body)s\n\n"
                "While the round is open, you are welcome to send a new comment: %(url)s\n\n"
                "You receive this e-mail because you gave your address with your comment. It is "
                "erased automatically after the round."
            )
            % values
        )
    send(subject, body, [comment.email])
