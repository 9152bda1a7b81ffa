"""The report's summary in words: sentences a mayor can read, built from the results data.

`summary_for(results)` is pure (no queries): it reads a `Results` (from `assessment.results`)
and returns a `ReportSummary` whose sentences are translated in the active language. Nothing
here is content: every word comes from gettext/ngettext and every figure from the results.

Rules that are not obvious:
- Strongest and weakest are the highest and lowest Action scores that exist (ties go to the
  lower Action number); Actions without a score are counted, never ranked as zero.
- The peer sentence speaks only of groups with enough peers: a suppressed group gives neither
  its statistics nor its number of peers, as on the results page (privacy first).
- The first improvements are the items that lose the most weighted points across all Actions
  (weight x (4 - points), as `scoring.improvement_priorities` ranks them within an Action);
  ties go to the weaker Action. An item counting towards several Actions is named once.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessment import scoring
from assessment.benchmark import MIN_PEERS
from assessment.results import ActionResult, Advice, Results
from portal.content_translations import ShownText

FIRST_IMPROVEMENTS = 3
TOP_PERCENTILE = 99.5  # "higher than about 100 %" is said as "higher than that of all"


@dataclass(frozen=True)
class FirstImprovement:
    """One of the first things to improve, with the Action it weighs most on."""

    code: str
    question: ShownText
    action: int
    sentence: str


@dataclass(frozen=True)
class ReportSummary:
    overall: str
    strongest: str | None
    weakest: str | None
    unscored: str | None
    change: str | None  # None when there is no earlier cycle
    peers: tuple[str, ...]
    improvements: tuple[FirstImprovement, ...]

    @property
    def sentences(self) -> tuple[str, ...]:
        """Every sentence in reading order (the improvements as a list come last)."""
        parts = (self.overall, self.strongest, self.weakest, self.unscored, self.change)
        return (
            *(p for p in parts if p),
            *self.peers,
            *(item.sentence for item in self.improvements),
        )


def _score(value: float) -> str:
    return number_format(value, 1)


def _overall(results: Results) -> str:
    if results.overall is None:
        return _("There is no overall index yet: no Action has a score.")
    return _("The overall index is %(score)s out of 100, in the %(band)s band.") % {
        "score": _score(results.overall),
        "band": results.overall_band_label,
    }


def _action_facts(action: ActionResult) -> dict:
    return {
        "number": action.number,
        "title": action.short_title,
        "score": _score(action.score),
        "band": action.band_label,
    }


def _strongest_and_weakest(results: Results) -> tuple[str | None, str | None, str | None]:
    scored = [a for a in results.actions if a.score is not None]
    unscored = len(results.actions) - len(scored)
    missing = (
        ngettext(
            "%(count)d Action has no score yet: nothing applicable is answered there.",
            "%(count)d Actions have no score yet: nothing applicable is answered there.",
            unscored,
        )
        % {"count": unscored}
        if unscored
        else None
    )
    if not scored:
        return None, None, missing
    strongest = max(scored, key=lambda a: (a.score, -a.number))
    weakest = min(scored, key=lambda a: (a.score, a.number))
    if strongest.score == weakest.score:
        return (
            _("Every Action with a score stands at %(score)s.")
            % {"score": _score(strongest.score)},
            None,
            missing,
        )
    return (
        _("The strongest Action is Action %(number)d, %(title)s, at %(score)s (%(band)s).")
        % _action_facts(strongest),
        _("The weakest is Action %(number)d, %(title)s, at %(score)s (%(band)s).")
        % _action_facts(weakest),
        missing,
    )


def _change(results: Results) -> str | None:
    previous = results.previous
    if previous is None:
        return None
    change = results.overall_change
    if change is None:
        return _("No comparison with %(cycle)d: one of the two cycles has no overall index.") % {
            "cycle": previous.cycle
        }
    facts = {
        "cycle": previous.cycle,
        "change": _score(abs(change)),
        "before": _score(previous.overall),
    }
    if change > 0:
        sentence = (
            _("Since %(cycle)d the overall index has risen by %(change)s points (from %(before)s).")
            % facts
        )
    elif change < 0:
        sentence = (
            _(
                "Since %(cycle)d the overall index has fallen by %(change)s points "
                "(from %(before)s)."
            )
            % facts
        )
    else:
        sentence = _("The overall index is unchanged since %(cycle)d.") % facts
    moved = [a for a in results.actions if a.change]
    if moved:
        largest = max(moved, key=lambda a: (abs(a.change), -a.number))
        sign = "+" if largest.change > 0 else "−"
        sentence += " " + _(
            "The largest change is in Action %(number)d, %(title)s (%(sign)s%(change)s)."
        ) % {
            "number": largest.number,
            "title": largest.short_title,
            "sign": sign,
            "change": _score(abs(largest.change)),
        }
    return sentence


def _peers(results: Results) -> tuple[str, ...]:
    """One sentence per peer group that has enough peers; suppressed groups stay silent, and
    when every group is suppressed, one sentence says so without any count."""
    sentences = []
    for peer in results.overall_peers:
        stats = peer.stats
        if stats.suppressed or stats.percentile is None:
            continue
        facts = {
            "group": peer.label,
            "percentile": number_format(stats.percentile, 0),
            "n": stats.n,
            "median": _score(stats.median),
        }
        if stats.percentile >= TOP_PERCENTILE:
            sentence = ngettext(
                "%(group)s: the overall index is higher than that of the %(n)d peer "
                "authority with one (median %(median)s).",
                "%(group)s: the overall index is higher than that of all %(n)d peer "
                "authorities with one (median %(median)s).",
                stats.n,
            )
        else:
            sentence = ngettext(
                "%(group)s: the overall index is higher than about %(percentile)s%% of the "
                "%(n)d peer authority with one (median %(median)s).",
                "%(group)s: the overall index is higher than about %(percentile)s%% of the "
                "%(n)d peer authorities with one (median %(median)s).",
                stats.n,
            )
        sentences.append(sentence % facts)
    if sentences:
        return tuple(sentences)
    if results.overall is None:
        return ()
    return (
        _(
            "Too few peer authorities have an overall index (fewer than %(min)d in each "
            "group) to say where this authority stands among them."
        )
        % {"min": MIN_PEERS},
    )


def _lost(item: Advice) -> float:
    return item.weight * (scoring.MAX_POINTS - (item.points or 0))


def _improvements(results: Results) -> tuple[FirstImprovement, ...]:
    ranked = []
    for action in results.actions:
        weakness = action.score if action.score is not None else -1.0
        for index, item in enumerate(action.improvements):
            ranked.append((-_lost(item), weakness, action.number, index, item, action))
    ranked.sort(key=lambda row: row[:4])
    chosen: list[FirstImprovement] = []
    for *_rank, item, action in ranked:
        if any(c.code == item.code for c in chosen):
            continue
        if item.points is None:
            state = _("not answered yet")
        else:
            state = ngettext("%(points)d point of 4", "%(points)d points of 4", item.points) % {
                "points": item.points
            }
        chosen.append(
            FirstImprovement(
                code=item.code,
                question=item.question,
                action=action.number,
                sentence=_("%(code)s %(question)s (Action %(number)d, %(state)s)")
                % {
                    "code": item.code,
                    "question": item.question,
                    "number": action.number,
                    "state": state,
                },
            )
        )
        if len(chosen) == FIRST_IMPROVEMENTS:
            break
    return tuple(chosen)


def summary_for(results: Results) -> ReportSummary:
    """The summary of `results` in the active language (no queries)."""
    strongest, weakest, unscored = _strongest_and_weakest(results)
    return ReportSummary(
        overall=_overall(results),
        strongest=strongest,
        weakest=weakest,
        unscored=unscored,
        change=_change(results),
        peers=_peers(results),
        improvements=_improvements(results),
    )
