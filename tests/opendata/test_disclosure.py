"""The disclosure rule (portal/opendata/disclosure.py), tested as an attacker would read it.

The attacker sees the published total and cells of every breakdown, knows which cells are
withheld, knows the rule, and knows that every listed cell has at least one authority. The
only relation between the figures of a breakdown is: total = sum of its cells.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.opendata.disclosure import MINIMUM_AUTHORITIES, protect

MIN = MINIMUM_AUTHORITIES


def field_of_authorities():
    """Random fields: (country, band) of each authority."""
    return st.lists(
        st.tuples(st.sampled_from("ABCDEFGH"), st.sampled_from("wxyz")), min_size=0, max_size=60
    )


def table(authorities):
    countries, bands = {}, dict.fromkeys("wxyz", 0)
    for country, band in authorities:
        countries[country] = countries.get(country, 0) + 1
        bands[band] += 1
    return len(authorities), {"country": countries, "band": bands}


def feasible_range(withheld: int, remainder: int, listed_minimum: int = 1) -> range:
    """The values one of `withheld` cells can take when they add up to `remainder` and each
    has at least `listed_minimum` authorities (checked by enumeration in the test below)."""
    highest = remainder - listed_minimum * (withheld - 1)
    return range(listed_minimum if withheld > 1 else remainder, highest + 1)


def test_feasible_range_matches_enumeration():
    for k in range(1, 5):
        for remainder in range(k, 12):
            combos = [
                c
                for c in itertools.product(range(1, remainder + 1), repeat=k)
                if sum(c) == remainder
            ]
            assert {c[0] for c in combos} == set(feasible_range(k, remainder))


@settings(max_examples=400, deadline=None)
@given(field_of_authorities())
def test_no_published_figure_rests_on_fewer_than_five_authorities(authorities):
    total, breakdowns = table(authorities)
    decision = protect(total, breakdowns)
    if decision.total_published:
        assert total >= MIN
    for name, cells in breakdowns.items():
        for cell, n in cells.items():
            if decision.is_published(name, cell):
                assert n == 0 or n >= MIN


@settings(max_examples=400, deadline=None)
@given(field_of_authorities())
def test_no_suppressed_cell_can_be_derived_by_subtraction(authorities):
    total, breakdowns = table(authorities)
    decision = protect(total, breakdowns)
    if not decision.total_published:
        assert all(
            not decision.is_published(n, c)
            for n, cells in breakdowns.items()
            for c, count in cells.items()
            if count
        )
        return
    for name, cells in breakdowns.items():
        withheld = [c for c in cells if not decision.is_published(name, c)]
        if not withheld:
            continue
        remainder = total - sum(n for c, n in cells.items() if decision.is_published(name, c))
        # What subtraction gives is the withheld group as a whole: itself at least 5.
        assert remainder >= MIN
        assert len(withheld) >= 2
        # And no single withheld cell is pinned down by it.
        assert len(feasible_range(len(withheld), remainder)) >= 2, (name, cells)


@settings(max_examples=200, deadline=None)
@given(field_of_authorities(), st.sets(st.sampled_from("ABCDEFGH"), max_size=3))
def test_forced_cells_stay_suppressed_and_remain_protected(authorities, forced):
    total, breakdowns = table(authorities)
    decision = protect(total, breakdowns, forced={"country": forced})
    for cell in forced & set(breakdowns["country"]):
        assert not decision.is_published("country", cell)
    if decision.total_published and any(
        not decision.is_published("country", c) for c in breakdowns["country"]
    ):
        published = sum(
            n for c, n in breakdowns["country"].items() if decision.is_published("country", c)
        )
        assert total - published >= MIN


def test_a_country_of_four_is_suppressed_with_the_next_smallest():
    decision = protect(30, {"country": {"BE": 4, "FR": 6, "DE": 20}})
    assert not decision.is_published("country", "BE")
    assert not decision.is_published("country", "FR")
    assert decision.is_published("country", "DE")


def test_an_empty_band_is_published_as_zero_and_needs_no_partner():
    decision = protect(12, {"band": {"small": 6, "medium": 6, "large": 0}})
    assert decision.is_published("band", "large")
    assert decision.is_published("band", "small")


def test_five_single_authority_countries_are_not_given_away_by_the_total():
    decision = protect(5, {"country": dict.fromkeys("ABCDE", 1)})
    assert not decision.total_published


def test_a_total_under_five_publishes_nothing():
    decision = protect(4, {"country": {"BE": 4}})
    assert not decision.total_published
    assert not decision.is_published("country", "BE")
