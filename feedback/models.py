"""Public feedback on the draft Actions: rounds, comments, moderation, answers and page votes.

The workflow rules live in `feedback.moderation`; these models hold state and the database
constraints that keep it consistent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from partnership.countries import country_name


class FeedbackRoundQuerySet(models.QuerySet):
    def open_at(self, moment=None) -> "FeedbackRoundQuerySet":
        moment = moment or timezone.now()
        return self.filter(opens_at__lte=moment, closes_at__gte=moment)


class FeedbackRound(models.Model):
    """A window in which the public may comment on some Actions.

    Opening and closing moments are stored as instants; `feedback.rounds.brussels_window`
    turns a first and last day into 00:00:00 and 23:59:59 Europe/Brussels.
    """

    class Moderation(models.TextChoices):
        PRE = "pre", _("Pre-moderation: comments wait for approval")
        POST = "post", _("Post-moderation: comments are published at once")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(unique=True)
    actions = models.ManyToManyField("actions.Action", related_name="feedback_rounds")
    opens_at = models.DateTimeField(
        _("opens at"),
        help_text=_("Brussels time. A round usually opens at 00:00 on its first day."),
    )
    closes_at = models.DateTimeField(
        _("closes at"), help_text=_("Brussels time. A round closes at 23:59:59 on its last day.")
    )
    introduction = models.TextField(_("introduction"), blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.PRE
    )

    objects = FeedbackRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="feedback_round_closes_after_opening",
                violation_error_message=_("A round must close after it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment <= self.closes_at

    def has_closed(self, moment=None) -> bool:
        return (moment or timezone.now()) > self.closes_at

    @property
    def publishes_at_once(self) -> bool:
        return self.moderation == self.Moderation.POST


class ActionLeader(models.Model):
    """A user who speaks for an Action: may answer its comments and write its outcome."""

    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, related_name="leader_users"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="led_actions"
    )

    class Meta:
        verbose_name = _("Action leader")
        verbose_name_plural = _("Action leaders")
        constraints = [
            models.UniqueConstraint(fields=["action", "user"], name="unique_action_leader")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.action.number}"


# Commenters from outside the portal's country list choose this ("user-assigned" ISO code).
OTHER_COUNTRY = ("ZZ", _("Another country"))


def feedback_country_name(code: str) -> str:
    return str(OTHER_COUNTRY[1]) if code == OTHER_COUNTRY[0] else country_name(code)


class RespondentType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    PUBLIC_AUTHORITY = "authority", _("Public authority")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    RESEARCH = "research", _("Research or academia")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class CommentQuerySet(models.QuerySet):
    def published_for(self, action) -> "CommentQuerySet":
        """The public list of an Action, newest first, with what each row shows."""
        return (
            self.filter(action=action, status=Comment.Status.PUBLISHED)
            .select_related("round", "response")
            .order_by("-published_at", "-id")
        )

    def auto_hidden(self) -> "CommentQuerySet":
        """Hidden by visitors' reports and waiting for a coordinator (feedback/MODERATION.md),
        oldest first, each with its open reports in `open_report_list`."""
        open_reports = Report.objects.filter(resolved_at__isnull=True)
        return (
            self.filter(status=Comment.Status.HIDDEN)
            .filter(models.Exists(open_reports.filter(comment=models.OuterRef("pk"))))
            .select_related("round", "action")
            .prefetch_related(
                models.Prefetch(
                    "reports", open_reports.order_by("created_at", "id"), to_attr="open_report_list"
                )
            )
            .order_by("created_at", "id")
        )

    def counted(self) -> "CommentQuerySet":
        """Comments that count in summaries: everything received except rejected ones."""
        return self.exclude(status=Comment.Status.REJECTED)

    def with_open_reports(self) -> "CommentQuerySet":
        """Annotate `open_reports`: a subquery per row, no GROUP BY over the whole list."""
        counts = (
            Report.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
            .order_by()
            .values("comment")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.annotate(
            open_reports=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")
        REJECTED = "rejected", _("Rejected")

    round = models.ForeignKey(FeedbackRound, on_delete=models.PROTECT, related_name="comments")
    action = models.ForeignKey(
        "actions.Action", on_delete=models.PROTECT, related_name="feedback_comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    respondent_type = models.CharField(
        _("respondent type"), max_length=20, choices=RespondentType.choices
    )
    country = models.CharField(_("country"), max_length=2)
    # sha256 of the normalised text: refuses the same comment twice without comparing bodies.
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    consent_at = models.DateTimeField(_("privacy consent given at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email_erased_at = models.DateTimeField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # The language the commenter chose for the comment (the page's by default): the comment is
    # marked with it, and e-mails to its author are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["action", "status", "-published_at", "-id"], name="comment_public_list"
            ),
            models.Index(fields=["status", "created_at"], name="comment_queue"),
            models.Index(fields=["created_at", "id"], name="comment_received"),
            models.Index(fields=["round", "action", "status"], name="comment_round_action"),
            models.Index(fields=["round"], condition=~Q(email=""), name="comment_with_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "action", "content_hash"], name="unique_comment_text"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="comment_rejection_has_reason",
                violation_error_message=_("Give a reason when you reject a comment."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="comment_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} on Action {self.action_id}"

    @property
    def shown_name(self) -> str:
        return self.display_name or str(_("Anonymous"))

    @property
    def country_name(self) -> str:
        return feedback_country_name(self.country)

    @property
    def language_name(self) -> str:
        try:
            return get_language_info(self.language)["name_translated"]
        except KeyError:
            return self.language


class OfficialResponse(models.Model):
    """The partnership's answer to a comment, shown under it once the comment is published."""

    class Role(models.TextChoices):
        COORDINATORS = "coordinators", _("the partnership coordinators")
        ACTION_LEADER = "leader", _("the Action leader")

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="response")
    body = models.TextField(_("response"), max_length=5000)
    role = models.CharField(max_length=15, choices=Role.choices, default=Role.COORDINATORS)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("official response")
        verbose_name_plural = _("official responses")

    def __str__(self) -> str:
        return f"Response to {self.comment}"


class OutcomeSummary(models.Model):
    """What changed in an Action after a round's feedback, written once the round has closed."""

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="outcomes")
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, related_name="feedback_outcomes"
    )
    body = models.TextField(_("what we changed after your feedback"), max_length=10000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outcome summary")
        verbose_name_plural = _("outcome summaries")
        constraints = [
            models.UniqueConstraint(fields=["round", "action"], name="unique_outcome_per_action")
        ]

    def __str__(self) -> str:
        return f"{self.round}: Action {self.action_id}"


class Report(models.Model):
    """A visitor's report of a published comment.

    The reporter is a keyed hash of their network (an IPv4 address, an IPv6 /64), never the
    address itself: one network reports a comment once, whatever browser it claims to be
    (feedback/MODERATION.md).
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or abusive")
        OFF_TOPIC = "off_topic", _("Off-topic")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    reporter_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a coordinator decides on the comment; open reports drive the queue and auto-hide.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_hash"], name="one_report_per_reporter"
            )
        ]
        indexes = [
            models.Index(
                fields=["comment"], condition=Q(resolved_at__isnull=True), name="report_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.comment}"

    @property
    def fingerprint(self) -> str:
        """A short reporter tag for coordinators: tells reporters apart, reveals no address."""
        return self.reporter_hash[:8]


class ModerationEvent(models.Model):
    """Who did what to a comment, and when; `actor` is empty for automatic decisions."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        HIDDEN = "hidden", _("Hidden")
        UNHIDDEN = "unhidden", _("Unhidden")
        AUTO_HIDDEN = "auto_hidden", _("Hidden automatically after reports")
        RESTORED = "restored", _("Restored after automatic hiding")
        REPORTS_DISMISSED = "kept", _("Reports dismissed, kept published")
        RESPONDED = "responded", _("Official response saved")
        ERASED = "erased", _("Personal data erased")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    to_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("moderation event")
        verbose_name_plural = _("moderation events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.comment}"


class PageFeedback(models.Model):
    """An answer to "Was this page useful?" on a public page; no personal data is asked."""

    path = models.CharField(_("page"), max_length=200)
    useful = models.BooleanField(_("useful"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    comment_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        indexes = [models.Index(fields=["path", "created_at"], name="page_feedback_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["path", "comment_hash"],
                condition=~Q(comment_hash=""),
                name="unique_page_feedback_comment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.path}: {'yes' if self.useful else 'no'}"


class SpentFormToken(models.Model):
    """A public form's token that a successful post has used up; replaying it is refused.

    In the database (not a per-process cache) so that every worker sees it; the unique digest
    lets only one of two simultaneous posts with the same token through. Rows older than a
    token's lifetime are useless (the token has expired anyway) and are purged as new ones come.
    """

    digest = models.CharField(max_length=64, unique=True)
    spent_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.digest[:8]} spent at {self.spent_at:%Y-%m-%d %H:%M}"
