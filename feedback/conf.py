"""The feedback app's tunable rules, read from Django settings with these defaults.

Any of them can be set in portal/settings.py (or overridden in tests).
"""

from django.conf import settings

DEFAULTS = {
    # A form posted sooner than this after it was shown is treated as a bot. Kept short: a
    # person pasting prepared text sends within 1.5 s; a bot posts within milliseconds.
    "FEEDBACK_MIN_SECONDS": 1,
    # A form older than this is refused as expired (a fresh one is shown, the text is kept).
    "FEEDBACK_FORM_MAX_AGE_SECONDS": 24 * 60 * 60,
    # Posts (comments, reports, page votes, each counted apart) per address per window.
    "FEEDBACK_RATE_LIMIT": 10,
    "FEEDBACK_RATE_WINDOW_SECONDS": 10 * 60,
    # Reports from different networks (see feedback.antispam.client_network) that hide a
    # published comment until a coordinator decides.
    "FEEDBACK_AUTO_HIDE_REPORTS": 3,
    "FEEDBACK_COMMENTS_PER_PAGE": 20,
    "FEEDBACK_EMAIL_RETENTION_MONTHS": 6,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
