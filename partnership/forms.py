"""The account's language form."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from partnership.preferences import shipped_languages


def language_name(code: str) -> str:
    """The language named in itself, as the language menu shows it ("Français")."""
    return capfirst(get_language_info(code)["name_local"])


def language_choices() -> list[tuple[str, str]]:
    """Every shipped language, named in itself (settings.LANGUAGES, read at each use)."""
    return [(code, language_name(code)) for code in shipped_languages()]


class LanguageSelect(forms.Select):
    """A select of languages, each option marked with its own `lang` (WCAG 3.1.2)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class LanguagePreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the portal and of your e-mails"),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_(
            "Without a choice, the portal follows the language chosen in the menu at the top or "
            "your browser's, and e-mails use the language you last logged in with."
        ),
        error_messages={"invalid_choice": _("Choose one of the listed languages.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("No choice: follow my browser")),
            *language_choices(),
        ]
