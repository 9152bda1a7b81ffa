import pytest
from django.core.management import CommandError, call_command

from actions.models import Action
from assessment.models import Answer, Assessment
from partnership.models import PopulationBand, UrbanAuthority

pytestmark = pytest.mark.django_db


def table_counts():
    from django.apps import apps

    apps_of_interest = {"partnership", "actions", "assessment", "feedback", "auth"}
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in apps_of_interest
    }


def test_demo_data_loads_twice_without_change(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    first = table_counts()
    snapshot = list(Answer.objects.order_by("pk").values())
    call_command("load_demo_data")
    assert table_counts() == first
    assert list(Answer.objects.order_by("pk").values()) == snapshot
    out = capsys.readouterr().out
    assert "coordinator" in out and "officer" in out and "portal-demo" in out


def test_demo_data_covers_the_field(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    assert Action.objects.count() == 6
    authorities = UrbanAuthority.objects.all()
    assert authorities.count() >= 30
    assert len({a.country for a in authorities}) >= 8
    assert {a.population_band for a in authorities} == set(PopulationBand)
    assert authorities.filter(is_partner=True, name="Unione della Romagna Faentina").exists()
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert statuses == set(Assessment.Status.values)


def test_demo_accounts_are_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo_data")
    call_command("load_demo_data", "--no-accounts")
    assert Action.objects.count() == 6


def test_population_band_is_derived():
    assert UrbanAuthority(population=49_999).population_band == PopulationBand.SMALL
    assert UrbanAuthority(population=50_000).population_band == PopulationBand.MEDIUM
    assert UrbanAuthority(population=250_000).population_band == PopulationBand.LARGE
    assert UrbanAuthority(population=1_000_000).population_band == PopulationBand.METROPOLIS
