"""The Actions' translatable texts, keyed as `actions/data/i18n/<language>.yaml` keys them."""

from actions.content import ACTIONS_FILE
from actions.models import TRANSLATED_FIELDS
from portal.content import read_yaml


def action_sources() -> dict[str, str]:
    """Key → today's English text, from the Actions' data file."""
    data = read_yaml(ACTIONS_FILE)
    sources = {}
    for entry in data["actions"]:
        for field in TRANSLATED_FIELDS:
            sources[f"action.{entry['number']}.{field}"] = (entry.get(field) or "").strip()
    for link in data.get("links", []):
        low, high = sorted(link["actions"])
        sources[f"link.{low}-{high}.reason"] = link["reason"].strip()
    return {key: text for key, text in sources.items() if text}
