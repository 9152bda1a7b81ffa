from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package: site-wide pages, settings and the demo-data command."""

    name = "portal"
