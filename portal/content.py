"""The shared loader for content kept in versioned YAML files (a toolbox module).

It imports nothing of the portal's apps, so every app may use it (see ARCHITECTURE.md).
"""

from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def update_or_create_if_changed(
    model: Any, lookup: dict[str, Any], defaults: dict[str, Any]
) -> tuple[Any, bool]:
    """Like update_or_create, but writes nothing (and reports False) when nothing differs.

    `model` is any model class with the default manager `objects`.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    dirty = [field for field, value in defaults.items() if getattr(obj, field) != value]
    if dirty:
        for field in dirty:
            setattr(obj, field, defaults[field])
        obj.save(update_fields=dirty)
    return obj, bool(dirty)
