"""Load the six Actions and their interlinks from the versioned data file."""

from pathlib import Path

from django.db import transaction

from actions.models import Action, ActionLink
from portal.content import read_yaml, update_or_create_if_changed

ACTIONS_FILE = Path(__file__).resolve().parent / "data" / "actions.yaml"
ACTION_FIELDS = (
    "draft_title",
    "final_title",
    "short_title",
    "objective",
    "problem",
    "draft_summary",
    "deliverables",
    "status",
    "leader",
)


@transaction.atomic
def load_actions(path: Path = ACTIONS_FILE) -> int:
    """Create or update the Actions and links; returns the number of rows changed."""
    data = read_yaml(path)
    changed = 0
    actions = {}
    for entry in data["actions"]:
        defaults = {field: (entry.get(field) or "").strip() for field in ACTION_FIELDS}
        action, was_changed = update_or_create_if_changed(
            Action, {"number": entry["number"]}, defaults
        )
        actions[action.number] = action
        changed += was_changed
    for link in data.get("links", []):
        low, high = sorted(link["actions"])
        _, was_changed = update_or_create_if_changed(
            ActionLink,
            {"source": actions[low], "target": actions[high]},
            {"reason": link["reason"].strip(), "confirmed": link.get("confirmed", True)},
        )
        changed += was_changed
    return changed
