"""Sending the portal's e-mails (a toolbox module: it imports no app, so every app may use it)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """The full address of a path of the site, for links in e-mails."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def send(
    subject: str, body: str, recipients: list[str], *, reply_to: list[str] | None = None
) -> None:
    """Send one e-mail to `recipients` (a reply goes to `reply_to` when given)."""
    if not recipients:
        return
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, recipients, reply_to=reply_to or None
    )
    try:
        message.send()
    except OSError:
        # A mail server outage must not undo or hide a transition that has already happened.
        logger.exception("Could not send %r to %d recipients", subject, len(recipients))
