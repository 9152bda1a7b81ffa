"""E-mails about assessments. Called from workflow functions through transaction.on_commit."""

import logging

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from assessment.models import Assessment, ItemComment
from partnership.roles import COORDINATORS_GROUP
from portal.mail import absolute, send

logger = logging.getLogger(__name__)


def officer_emails(assessment: Assessment) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(memberships__authority_id=assessment.authority_id, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def coordinator_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(groups__name=COORDINATORS_GROUP, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def assessment_submitted(assessment: Assessment) -> None:
    url = absolute(reverse("assessment:review", args=[assessment.pk]))
    send(
        _("Submitted for review: %(assessment)s") % {"assessment": assessment},
        _("%(authority)s submitted its %(cycle)s self-assessment. Review it at %(url)s")
        % {"authority": assessment.authority, "cycle": assessment.cycle, "url": url},
        coordinator_emails(),
    )


def assessment_returned(assessment: Assessment) -> None:
    url = absolute(reverse("assessment:overview", args=[assessment.pk]))
    body = _(
        "A coordinator returned your %(cycle)s self-assessment with this comment:\n\n"
        "%(comment)s\n\nSee the comments and update your answers at %(url)s"
    ) % {"cycle": assessment.cycle, "comment": assessment.return_comment, "url": url}
    remarks = item_remarks(assessment)
    if remarks:
        body += "\n\n" + _("Comments on individual questions:") + "\n" + "\n".join(remarks)
    send(
        _("Returned for changes: %(assessment)s") % {"assessment": assessment},
        body,
        officer_emails(assessment),
    )


def item_remarks(assessment: Assessment) -> list[str]:
    """The item comments of the review round that ended with this return (one query)."""
    comments = ItemComment.objects.filter(assessment=assessment).select_related("item")
    if assessment.submitted_at is not None:
        comments = comments.filter(created_at__gte=assessment.submitted_at)
    return [f"- {c.item.code}: {c.text}" for c in comments]


def assessment_approved(assessment: Assessment) -> None:
    url = absolute(reverse("assessment:results", args=[assessment.pk]))
    send(
        _("Approved: %(assessment)s") % {"assessment": assessment},
        _("Your %(cycle)s self-assessment has been approved. See the results at %(url)s")
        % {"cycle": assessment.cycle, "url": url},
        officer_emails(assessment),
    )
