"""Load the partnership's content and the demo authorities from versioned data files."""

from pathlib import Path

from django.db import transaction

from actions.models import Action
from partnership.models import (
    ContentBlock,
    Meeting,
    MeetingSession,
    PartnerOrganisation,
    UrbanAuthority,
)
from portal import content

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_yaml(name: str) -> dict:
    return content.read_yaml(DATA_DIR / name)


@transaction.atomic
def load_authorities() -> int:
    changed = 0
    for entry in read_yaml("demo_authorities.yaml")["authorities"]:
        _, was_changed = content.update_or_create_if_changed(
            UrbanAuthority,
            {"name": entry["name"]},
            {
                "country": entry["country"],
                "population": entry["population"],
                "kind": entry["kind"],
                "is_partner": entry.get("partner", False),
            },
        )
        changed += was_changed
    return changed


def authority_profiles() -> dict[str, list[int]]:
    """Typical maturity level per Action for each demo authority (drives demo answers)."""
    return {a["name"]: a["profile"] for a in read_yaml("demo_authorities.yaml")["authorities"]}


@transaction.atomic
def load_partnership() -> int:
    data = read_yaml("partnership.yaml")
    changed = 0
    for block in data["content"]:
        _, was_changed = content.update_or_create_if_changed(
            ContentBlock,
            {"key": block["key"]},
            {"title": block["title"], "body": block["body"].strip()},
        )
        changed += was_changed
    authorities = {a.name: a for a in UrbanAuthority.objects.all()}
    for position, entry in enumerate(data["partners"]):
        _, was_changed = content.update_or_create_if_changed(
            PartnerOrganisation,
            {"name": entry["name"]},
            {
                "kind": entry["kind"],
                "role": entry.get("role", "member"),
                "country": entry.get("country", ""),
                "detail": entry.get("detail", ""),
                "authority": authorities.get(entry.get("authority")),
                "position": position,
            },
        )
        changed += was_changed
    actions = {a.number: a for a in Action.objects.all()}
    for entry in data["meetings"]:
        meeting, was_changed = content.update_or_create_if_changed(
            Meeting,
            {"slug": entry["slug"]},
            {
                "number": entry.get("number"),
                "title": entry["title"],
                "starts_on": entry["starts_on"],
                "ends_on": entry["ends_on"],
                "place": entry["place"],
                "focus": entry.get("focus", ""),
            },
        )
        changed += was_changed
        for position, session_def in enumerate(entry.get("sessions", [])):
            session, was_changed = content.update_or_create_if_changed(
                MeetingSession,
                {"meeting": meeting, "position": position},
                {
                    "kind": session_def["kind"],
                    "date": session_def["date"],
                    "title": session_def["title"],
                    "description": session_def.get("description", ""),
                },
            )
            wanted = {actions[n].pk for n in session_def.get("actions", [])}
            if set(session.actions.values_list("pk", flat=True)) != wanted:
                session.actions.set(wanted)
                was_changed = True
            changed += was_changed
    return changed
