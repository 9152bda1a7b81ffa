"""E-mails about assessments. Called from workflow functions through transaction.on_commit.

Each recipient reads the e-mail in their own language (`partnership.preferences.language_of`):
the recipients are grouped by language and each group gets one e-mail written in it. What
people wrote (the return comment, the comments on questions) is quoted as written.
"""

import logging
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.models import Assessment, ItemComment
from partnership.preferences import by_language
from partnership.roles import COORDINATORS_GROUP
from portal.mail import absolute, send

logger = logging.getLogger(__name__)


def officers(assessment: Assessment):
    return (
        get_user_model()
        .objects.filter(memberships__authority_id=assessment.authority_id, is_active=True)
        .exclude(email="")
        .distinct()
    )


def coordinators():
    return (
        get_user_model()
        .objects.filter(groups__name=COORDINATORS_GROUP, is_active=True)
        .exclude(email="")
        .distinct()
    )


def officer_emails(assessment: Assessment) -> list[str]:
    return sorted(set(officers(assessment).values_list("email", flat=True)))


def coordinator_emails() -> list[str]:
    return sorted(set(coordinators().values_list("email", flat=True)))


def send_in_each_language(recipients, write: Callable[[], tuple[str, str]]) -> None:
    """One e-mail per language of `recipients`, `write()` called with that language active."""
    for language, users in sorted(by_language(recipients).items()):
        with translation.override(language):
            subject, body = write()
        send(subject, body, sorted({user.email for user in users}))


def assessment_submitted(assessment: Assessment) -> None:
    url = absolute(reverse("assessment:review", args=[assessment.pk]))

    def write() -> tuple[str, str]:
        return (
            _("Submitted for review: %(assessment)s") % {"assessment": assessment},
            _("%(authority)s submitted its %(cycle)s self-assessment. Review it at %(url)s")
            % {"authority": assessment.authority, "cycle": assessment.cycle, "url": url},
        )

    send_in_each_language(coordinators(), write)


def assessment_returned(assessment: Assessment) -> None:
    url = absolute(reverse("assessment:overview", args=[assessment.pk]))
    remarks = item_remarks(assessment)

    def write() -> tuple[str, str]:
        body = _(
            "A coordinator returned your %(cycle)s self-assessment with this comment:\n\n"
            "%(comment)s\n\nSee the comments and update your answers at %(url)s"
        ) % {"cycle": assessment.cycle, "comment": assessment.return_comment, "url": url}
        if remarks:
            body += "\n\n" + _("Comments on individual questions:") + "\n" + "\n".join(remarks)
        return _("Returned for changes: %(assessment)s") % {"assessment": assessment}, body

    send_in_each_language(officers(assessment), write)


def item_remarks(assessment: Assessment) -> list[str]:
    """The item comments of the review round that ended with this return (one query)."""
    comments = ItemComment.objects.filter(assessment=assessment).select_related("item")
    if assessment.submitted_at is not None:
        comments = comments.filter(created_at__gte=assessment.submitted_at)
    return [f"- {c.item.code}: {c.text}" for c in comments]


def assessment_approved(assessment: Assessment) -> None:
    url = absolute(reverse("assessment:results", args=[assessment.pk]))

    def write() -> tuple[str, str]:
        return (
            _("Approved: %(assessment)s") % {"assessment": assessment},
            _("Your %(cycle)s self-assessment has been approved. See the results at %(url)s")
            % {"cycle": assessment.cycle, "url": url},
        )

    send_in_each_language(officers(assessment), write)
