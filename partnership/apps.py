from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = _("Partnership")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from partnership.preferences import on_login

        user_logged_in.connect(on_login, dispatch_uid="partnership-language-at-login")
