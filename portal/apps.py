from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package: site-wide pages, settings and the demo-data command."""

    name = "portal"

    def ready(self):
        from portal import public_cache

        public_cache.connect_signals()
