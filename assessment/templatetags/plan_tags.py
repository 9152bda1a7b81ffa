"""Words for the improvement plan's templates."""

from django import template

from assessment.scoring import Band
from assessment.wording import band_label

register = template.Library()


@register.filter
def band_words(band: Band | None) -> str:
    """A band in words ("no score" for none), as on the results page."""
    return band_label(band)
