"""Answers kept for a user whose session expired while typing, until they log in again."""

from dataclasses import dataclass

STASH_KEY = "pending_answers"
STASH_MAX_CHARS = 200_000


@dataclass(frozen=True)
class Stash:
    assessment_id: int
    action: int
    data: dict[str, str]


def stash_answers(session, *, assessment_id: int, action: int, data: dict[str, str]) -> bool:
    """Keep posted answer fields in the (anonymous) session until the user logs in again.

    Only fields that look like answer fields are kept, and only up to a size limit, so an
    anonymous visitor cannot fill the session store. Returns whether anything was kept.
    """
    kept = {k: v for k, v in data.items() if looks_like_answer_field(k) and isinstance(v, str)}
    pending = dict(session.get(STASH_KEY) or {})
    earlier = pending.get(str(assessment_id))
    if earlier and earlier.get("action") == action:
        # Several autosaves of the same page may arrive after expiry: keep them all.
        kept = {**earlier.get("data", {}), **kept}
    if not kept or sum(len(k) + len(v) for k, v in kept.items()) > STASH_MAX_CHARS:
        return False
    pending[str(assessment_id)] = {"action": action, "data": kept}
    session[STASH_KEY] = pending
    return True


def pop_stash(session, *, assessment_id: int) -> Stash | None:
    pending = dict(session.get(STASH_KEY) or {})
    entry = pending.pop(str(assessment_id), None)
    if entry is None:
        return None
    if pending:
        session[STASH_KEY] = pending
    else:
        session.pop(STASH_KEY, None)
    try:
        return Stash(assessment_id, int(entry["action"]), dict(entry["data"]))
    except (KeyError, TypeError, ValueError):
        return None


ANSWER_FIELD_SUFFIXES = (
    "level",
    "yes",
    "number",
    "not_applicable",
    "na_reason",
    "evidence_note",
    "evidence_url",
    "version",
    "loaded",
    "conflict",
    "resolve",
    "flagged",
)


def looks_like_answer_field(name: str) -> bool:
    prefix, _, suffix = name.rpartition("-")
    return bool(prefix) and len(prefix) <= 20 and suffix in ANSWER_FIELD_SUFFIXES
