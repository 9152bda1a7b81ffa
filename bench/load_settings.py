"""Settings for the site under `make loadtest`: the real settings, plus one trusted proxy.

All simulated citizens come from 127.0.0.1, and the comment form's per-address rate limit
would refuse them after ten comments between them. With one trusted proxy the site reads the
address from X-Forwarded-For, which each simulated citizen sets to its own documentation
address (192.0.2.0/24, never contacted), so the limit applies per citizen as it would online.
"""

from portal.settings import *  # noqa: F403

TRUSTED_PROXIES = 1
