from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partnership.preferences import language_of


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username and password do not match. Check both and try again; after "
            "5 failed attempts in 15 minutes, signing in is paused for 15 minutes."
        ),
    }


class PortalPasswordResetForm(PasswordResetForm):
    """The reset e-mail is written in the account holder's language, not the requester's page's
    (whoever typed the address may read another language than the person who gets the link)."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_of(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
