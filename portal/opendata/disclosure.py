"""The disclosure rule of the open data: which counts of a table may be published.

Pure Python, no Django. A *table* is one figure set (say Action 3's scores in 2026) counted
over a total and over one or more *breakdowns* (by country, by population band); the cells of
each breakdown add up to the total. `protect` decides which cells, and whether the total, are
published. The rule, in prose, is in `portal/opendata/DISCLOSURE.md`.

1. Primary suppression: a total or a cell resting on fewer than `minimum` authorities is
   withheld (an empty cell, 0, is published: it says nothing about any authority).
2. Complementary suppression: in each breakdown, what the published cells leave of the total
   (the *remainder*, the sum of the withheld cells) must be a group of at least `minimum`
   authorities spread over at least two cells, and not one authority per cell (which a reader
   who knows that every listed cell has at least one authority could work out). While it is
   not, the smallest published cell is withheld too (ties: the first key in sorted order).
3. If a breakdown cannot be protected even with every cell withheld, nothing of the table is
   published: the total would give its only cell away.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MINIMUM_AUTHORITIES = 5


@dataclass(frozen=True)
class Disclosure:
    """The decision for one table: the total's fate and the withheld cells of each breakdown."""

    total_published: bool
    withheld: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def is_published(self, breakdown: str, cell: str) -> bool:
        return self.total_published and cell not in self.withheld.get(breakdown, frozenset())


def _is_protected(withheld: Iterable[int], minimum: int) -> bool:
    counts = list(withheld)
    if not counts:
        return True
    remainder = sum(counts)
    return len(counts) >= 2 and remainder >= minimum and remainder > len(counts)


def _protect_breakdown(
    cells: Mapping[str, int], minimum: int, forced: frozenset[str]
) -> frozenset[str] | None:
    """The withheld cells of one breakdown, or None when it cannot be protected."""
    withheld = {key for key, n in cells.items() if 0 < n < minimum or key in forced}
    published = sorted((n, key) for key, n in cells.items() if key not in withheld and n > 0)
    while not _is_protected((cells[key] for key in withheld), minimum):
        if not published:
            return None
        withheld.add(published.pop(0)[1])
    return frozenset(withheld)


def protect(
    total: int,
    breakdowns: Mapping[str, Mapping[str, int]],
    *,
    minimum: int = MINIMUM_AUTHORITIES,
    forced: Mapping[str, Iterable[str]] | None = None,
) -> Disclosure:
    """Decide what of a table may be published.

    `breakdowns` maps a breakdown's name to its cells' counts (each breakdown's counts add up
    to `total`). `forced` names cells to withhold whatever their count: the cells withheld
    from the headcount table stay withheld in every figure set built on it.
    """
    forced_cells = {name: frozenset(keys) for name, keys in (forced or {}).items()}
    everything = {
        name: frozenset(k for k, n in cells.items() if n > 0) for name, cells in breakdowns.items()
    }
    if total < minimum:
        return Disclosure(total_published=False, withheld=everything)
    withheld: dict[str, frozenset[str]] = {}
    for name, cells in breakdowns.items():
        decided = _protect_breakdown(cells, minimum, forced_cells.get(name, frozenset()))
        if decided is None:
            return Disclosure(total_published=False, withheld=everything)
        withheld[name] = decided
    return Disclosure(total_published=True, withheld=withheld)
