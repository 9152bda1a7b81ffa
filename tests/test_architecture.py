"""The import direction of ARCHITECTURE.md: higher floors use lower ones, never the reverse.

Every module of every app is parsed (ast, nothing is imported); an import of a module on a
higher floor, or of a sibling app on the same floor, fails the test.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The floors, lowest first. Apps on one floor do not import each other.
FLOORS: list[set[str]] = [
    # the toolbox: imports no app
    {
        "portal.cache_versions",
        "portal.client_address",
        "portal.content",
        "portal.content_translations",
        "portal.csv",
        "portal.mail",
        "portal.shared_cache",
    },
    {"actions"},  # the six Actions
    {"partnership"},  # authorities, memberships, meetings, the coordinator role
    {"assessment", "feedback"},  # the two domains, side by side
    # the site (settings, root URLs, home page, demo data) and the open data beside it
    {"portal", "portal.opendata"},
]
TOOLBOX = FLOORS[0]
APPS = ["portal", "partnership", "actions", "assessment", "feedback"]
# Units that live inside an app's package but stand on their own floor.
INNER_UNITS = TOOLBOX | {"portal.opendata"}


def owner(module: str) -> str | None:
    """The unit of FLOORS a dotted module name belongs to (inner units before their app)."""
    for unit in INNER_UNITS:
        if module == unit or module.startswith(unit + "."):
            return unit
    top = module.split(".")[0]
    return top if top in APPS else None


def floor_of(unit: str) -> int:
    return next(i for i, floor in enumerate(FLOORS) if unit in floor)


def app_modules() -> list[tuple[str, Path]]:
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules.append((dotted.removesuffix(".__init__"), path))
    return modules


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # `from portal import content` imports the toolbox module, not the site.
                full = f"{node.module}.{alias.name}"
                names.add(full if owner(full) in TOOLBOX else node.module)
    return names


def may_import(here: str, there: str) -> bool:
    """A unit uses itself and the floors below it; the toolbox uses no app at all."""
    if there == here:
        return True
    if here in TOOLBOX:
        return False
    return floor_of(there) < floor_of(here)


def wrong_way_imports(module: str, path: Path) -> list[str]:
    here = owner(module)
    return [
        name
        for name in sorted(imported_names(path))
        if (there := owner(name)) is not None and not may_import(here, there)
    ]


MODULES = app_modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_import_runs_from_a_lower_floor_to_a_higher_one(module, path):
    assert wrong_way_imports(module, path) == []


def test_the_check_catches_an_import_that_runs_back_up(tmp_path):
    upward = tmp_path / "views.py"
    upward.write_text("from feedback.panel import feedback_panel_context\n", encoding="utf-8")
    sideways = tmp_path / "moderation.py"
    sideways.write_text("from assessment.access import get_assessment_for_user\n", encoding="utf-8")
    toolbox = tmp_path / "content.py"
    toolbox.write_text("from actions.models import Action\n", encoding="utf-8")
    opendata = tmp_path / "figures.py"
    opendata.write_text("from portal.opendata.figures import Summary\n", encoding="utf-8")

    assert wrong_way_imports("actions.views", upward) == ["feedback.panel"]
    assert wrong_way_imports("feedback.views.moderation", sideways) != []
    assert wrong_way_imports("portal.content", toolbox) != []
    assert wrong_way_imports("portal.views", upward) == []
    assert wrong_way_imports("portal.opendata.figures", upward) == []
    assert wrong_way_imports("portal.opendata.views", toolbox) == []
    assert wrong_way_imports("assessment.results", opendata) == ["portal.opendata.figures"]
    assert wrong_way_imports("portal.views", opendata) != []


def test_every_app_module_is_on_a_floor():
    assert {owner(module) for module, _ in MODULES} <= set().union(*FLOORS)
