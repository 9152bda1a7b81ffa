"""Load the six Actions and their interlinks from the versioned data file."""

from pathlib import Path

import yaml
from django.db import transaction

from actions.models import Action, ActionLink

ACTIONS_FILE = Path(__file__).resolve().parent / "data" / "actions.yaml"
ACTION_FIELDS = ("draft_title", "final_title", "short_title", "objective", "problem",
                 "draft_summary", "deliverables", "status", "leader")


@transaction.atomic
def load_actions(path: Path = ACTIONS_FILE) -> int:
    """Create or update the Actions and links; returns the number of rows changed."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    changed = 0
    actions = {}
    for entry in data["actions"]:
        defaults = {field: (entry.get(field) or "").strip() for field in ACTION_FIELDS}
        action, was_changed = update_or_create_if_changed(Action, {"number": entry["number"]},
                                                           defaults)
        actions[action.number] = action
        changed += was_changed
    for link in data.get("links", []):
        low, high = sorted(link["actions"])
        _, was_changed = update_or_create_if_changed(
            ActionLink, {"source": actions[low], "target": actions[high]},
            {"reason": link["reason"].strip(), "confirmed": link.get("confirmed", True)},
        )
        changed += was_changed
    return changed


def update_or_create_if_changed(model, lookup: dict, defaults: dict) -> tuple:
    """Like update_or_create, but writes nothing (and reports False) when nothing differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    dirty = [field for field, value in defaults.items() if getattr(obj, field) != value]
    if dirty:
        for field in dirty:
            setattr(obj, field, defaults[field])
        obj.save(update_fields=dirty)
    return obj, bool(dirty)
