"""Project-wide consistency: admin coverage, migrations, translations compiled."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command

PORTAL_APPS = {"partnership", "actions", "assessment", "feedback"}
# Models coordinators need not manage in the admin, with the reason.
ADMIN_EXEMPT: dict[str, str] = {
    "feedback.SpentFormToken": "digests of used form tokens: nothing a person reads or edits",
    "assessment.PeerDataVersion": "a counter bumped by the workflow: editing it by hand is a bug",
    "assessment.StoredReport": "rendered PDFs, made by the workers from the data",
    "assessment.ReportState": "where each report's render stands: written by requests and workers",
}


def test_every_portal_model_is_in_the_admin_or_exempt():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS
        and not admin.site.is_registered(model)
        and model._meta.label not in ADMIN_EXEMPT
        and not model._meta.auto_created
    ]
    assert not missing, f"Register in the admin or list in ADMIN_EXEMPT: {missing}"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
