"""The partnership's translatable texts, keyed as `partnership/data/i18n/<language>.yaml` keys
them: page texts, partners, meetings and their sessions."""

from partnership.content import read_yaml
from partnership.models import MEETING_FIELDS


def partnership_sources() -> dict[str, str]:
    """Key → today's English text, from the partnership's data file."""
    data = read_yaml("partnership.yaml")
    sources = {}
    for block in data["content"]:
        sources[f"content.{block['key']}.title"] = block["title"]
        sources[f"content.{block['key']}.body"] = block["body"].strip()
    for partner in data["partners"]:
        sources[f"partner.{partner['name']}.name"] = partner["name"]
        sources[f"partner.{partner['name']}.detail"] = partner.get("detail", "")
    for meeting in data["meetings"]:
        key = f"meeting.{meeting['slug']}"
        for field in MEETING_FIELDS:
            sources[f"{key}.{field}"] = meeting.get(field, "")
        for position, session in enumerate(meeting.get("sessions", [])):
            sources[f"{key}.session.{position}.title"] = session["title"]
            sources[f"{key}.session.{position}.description"] = session.get("description", "")
    return {key: text for key, text in sources.items() if text.strip()}
