"""Sending the portal's e-mails (a toolbox module: it imports no app, so every app may use it)."""

import logging

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """The full address of a path of the site, for links in e-mails."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def send(subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        # A mail server outage must not undo or hide a transition that has already happened.
        logger.exception("Could not send %r to %d recipients", subject, len(recipients))
