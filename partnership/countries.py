"""ISO 3166-1 alpha-2 codes of the countries the portal deals with (EU, EEA and neighbours)."""

from django.utils.translation import gettext_lazy as _

COUNTRIES = {
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "HR": _("Croatia"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "FI": _("Finland"),
    "FR": _("France"),
    "DE": _("Germany"),
    "GR": _("Greece"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LV": _("Latvia"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SK": _("Slovakia"),
    "SI": _("Slovenia"),
    "ES": _("Spain"),
    "SE": _("Sweden"),
    "IS": _("Iceland"),
    "LI": _("Liechtenstein"),
    "NO": _("Norway"),
    "CH": _("Switzerland"),
    "GB": _("United Kingdom"),
    "AL": _("Albania"),
    "BA": _("Bosnia and Herzegovina"),
    "ME": _("Montenegro"),
    "MK": _("North Macedonia"),
    "RS": _("Serbia"),
    "TR": _("Türkiye"),
    "UA": _("Ukraine"),
    "MD": _("Moldova"),
}


def country_name(code: str) -> str:
    return str(COUNTRIES.get(code, code))


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(name)) for code, name in COUNTRIES.items()), key=lambda c: c[1])
