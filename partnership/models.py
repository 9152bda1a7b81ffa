"""The partnership's own records: urban authorities, who works for them, partners and meetings."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.content_translations import Texts, content_root


class PopulationBand(models.TextChoices):
    """Peer groups by size; derived from population, never stored."""

    SMALL = "lt50k", _("under 50,000")
    MEDIUM = "50k-250k", _("50,000 to 250,000")
    LARGE = "250k-1m", _("250,000 to 1 million")
    METROPOLIS = "gt1m", _("over 1 million")

    @classmethod
    def for_population(cls, population: int) -> "PopulationBand":
        if population < 50_000:
            return cls.SMALL
        if population < 250_000:
            return cls.MEDIUM
        if population < 1_000_000:
            return cls.LARGE
        return cls.METROPOLIS

    @classmethod
    def population_range(cls, band: str) -> tuple[int, int | None]:
        """Inclusive lower and exclusive upper bound, for filtering in the database."""
        return {
            cls.SMALL: (0, 50_000),
            cls.MEDIUM: (50_000, 250_000),
            cls.LARGE: (250_000, 1_000_000),
            cls.METROPOLIS: (1_000_000, None),
        }[cls(band)]


class UrbanAuthorityQuerySet(models.QuerySet):
    def in_population_band(self, band: str) -> "UrbanAuthorityQuerySet":
        low, high = PopulationBand.population_range(band)
        qs = self.filter(population__gte=low)
        return qs.filter(population__lt=high) if high is not None else qs


class UrbanAuthority(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        REGION = "region", _("Region")
        METROPOLITAN_AREA = "metropolitan", _("Metropolitan area")
        MUNICIPAL_UNION = "union", _("Union of municipalities")

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 code."))],
        help_text=_("ISO 3166-1 alpha-2 code, e.g. FR."),
    )
    population = models.PositiveIntegerField(_("population"), validators=[MinValueValidator(1)])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    is_partner = models.BooleanField(_("partner of the partnership"), default=False)

    objects = UrbanAuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("urban authority")
        verbose_name_plural = _("urban authorities")
        indexes = [models.Index(fields=["country"]), models.Index(fields=["population"])]

    def __str__(self) -> str:
        return self.name

    @property
    def population_band(self) -> PopulationBand:
        return PopulationBand.for_population(self.population)

    @property
    def country_name(self) -> str:
        from partnership.countries import country_name

        return country_name(self.country)


class Membership(models.Model):
    """A user works for an urban authority as a security officer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(
        UrbanAuthority, on_delete=models.CASCADE, related_name="memberships"
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.authority}"


class PartnerOrganisation(models.Model):
    """A member of the partnership, as listed on the partnership page."""

    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member States")
        CITY_REGION = "city_region", _("Cities and regions")
        UMBRELLA = "umbrella", _("European networks")
        EU_INSTITUTION = "eu", _("EU institutions")
        OTHER = "other", _("Other organisations")

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        SECRETARIAT = "secretariat", _("Technical secretariat")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    country = models.CharField(_("country"), max_length=2, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    authority = models.OneToOneField(
        UrbanAuthority, null=True, blank=True, on_delete=models.SET_NULL, related_name="partner"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def tr(self) -> Texts:
        key = f"partner.{self.name}"
        fields = {"name": (f"{key}.name", self.name), "detail": (f"{key}.detail", self.detail)}
        return Texts(content_root("partnership"), fields)


class Meeting(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200)
    focus = models.TextField(_("focus"), blank=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tr(self) -> Texts:
        fields = {f: (f"meeting.{self.slug}.{f}", getattr(self, f)) for f in MEETING_FIELDS}
        return Texts(content_root("partnership"), fields)


MEETING_FIELDS = ("title", "place", "focus")


class MeetingSession(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        TECHNICAL = "technical", _("Technical session")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="meeting_sessions")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["date", "position"]
        verbose_name = _("meeting session")
        verbose_name_plural = _("meeting sessions")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.title}"

    @property
    def tr(self) -> Texts:
        key = f"meeting.{self.meeting.slug}.session.{self.position}"
        fields = {f: (f"{key}.{f}", getattr(self, f)) for f in ("title", "description")}
        return Texts(content_root("partnership"), fields)


class ContentBlock(models.Model):
    """Editable page text (partnership intro, privacy notice, accessibility statement), in
    English, the source; its translations are data in `partnership/data/i18n/<language>.yaml`.

    `body` is plain text: blank lines separate paragraphs, "## " starts a heading and
    "- " a list item (see `portal.templatetags.portal.plain_blocks`). No HTML.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("content block")
        verbose_name_plural = _("content blocks")

    def __str__(self) -> str:
        return self.key

    @property
    def tr(self) -> Texts:
        fields = {f: (f"content.{self.key}.{f}", getattr(self, f)) for f in ("title", "body")}
        return Texts(content_root("partnership"), fields)


class UserPreference(models.Model):
    """A person's language: the one they chose, and the one they last logged in with.

    `partnership.preferences.language_of` reads it for every e-mail; the interface follows
    `language` first (`portal.middleware.UserLanguageMiddleware`). Codes are kept even when
    a language stops being shipped: they are ignored, not rewritten, until it comes back.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("Empty: the interface follows the browser's language."),
    )
    last_language = models.CharField(
        _("language of the last log-in"), max_length=8, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}"
