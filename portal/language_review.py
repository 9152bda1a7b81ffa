"""Whether the partnership has reviewed a language's translations ("reviewed by the
partnership" or "not yet reviewed"), as a coordinator marks it on the translations page.

The database row is the one truth (the catalogues' files carry no such header). Every page's
footer reads it through the shared cache; a change deletes the cached value and bumps the
public pages' version, at once and again on commit, so every node shows it on the next request.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from portal import public_cache
from portal.models import LanguageReview, LanguageReviewEvent

CACHE_KEY = "language-review:{language}"


def is_reviewed(language: str) -> bool:
    key = CACHE_KEY.format(language=language)
    cached = cache.get(key)
    if cached is None:
        cached = LanguageReview.objects.filter(language=language, reviewed=True).exists()
        cache.set(key, cached, timeout=None)
    return bool(cached)


def reviews() -> dict[str, LanguageReview]:
    return {r.language: r for r in LanguageReview.objects.select_related("changed_by")}


def _forget(language: str) -> None:
    cache.delete(CACHE_KEY.format(language=language))


@transaction.atomic
def mark_reviewed(*, language: str, reviewed: bool, by) -> LanguageReview:
    """Set the mark and log who changed it and when."""
    now = timezone.now()
    review, _created = LanguageReview.objects.update_or_create(
        language=language, defaults={"reviewed": reviewed, "changed_at": now, "changed_by": by}
    )
    LanguageReviewEvent.objects.create(language=language, reviewed=reviewed, at=now, by=by)
    _forget(language)
    transaction.on_commit(lambda: _forget(language))
    public_cache.bump_version()
    return review
