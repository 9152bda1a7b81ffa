"""The shared loader for content kept in versioned YAML files (a toolbox module).

It imports nothing of the portal's apps, so every app may use it (see ARCHITECTURE.md).
"""

from pathlib import Path

import yaml


def read_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


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
