"""Reported tallies: the ``reported:`` block, each count checked, its citation checked.

```yaml
reported:
  yes: 8                      # an exact count, or {min: 8, max: 9}; any of yes/no/abstain/absent
  source: seeds/000_0963a4101a18558c.txt
  quote: "Diplomats said the U.S. had eight “yes” votes this year"
```

Several reports may be given as a list. A report is evidence: the baseline is the stances'
distribution of the votes given every report (``engine.given``). Reports the stances make
impossible are refused at the count's line; reports they make very unlikely get a warning.
"""

from __future__ import annotations

from typing import Any

from .. import words
from ..engine.choose import conditioning
from ..engine.evidence import tiny
from ..errors import ImpossibleEvidenceError, InvalidValueError, UnscSimError
from ..model import VOTES, Report, Scenario, Vote, count_range
from .located import Located, clip, did_you_mean, join_path, kind_of
from .stances import cite_evidence

REPORT_KEYS = (*(v.value for v in VOTES), "source", "quote")
RANGE_KEYS = ("min", "max")


def read_reports(data: Any, doc: Located) -> tuple[tuple[Report, ...], list[tuple[Any, dict]]]:
    """The reports of the file's ``reported:`` (a mapping or a list of mappings), and for each
    its node and the key of each vote it counts, to locate later messages."""
    node = data.get("reported")
    if node is None:
        return (), []
    items = node if isinstance(node, list) else [node]
    if isinstance(node, list) and not node:
        raise doc.fail("reported is an empty list", data, "reported", field="reported")
    reports, places = [], []
    for k, item in enumerate(items):
        field = f"reported[{k}]" if isinstance(node, list) else "reported"
        parent, key = (node, k) if isinstance(node, list) else (data, "reported")
        if not hasattr(item, "items"):
            raise doc.fail(
                f"a report is a mapping of counts (yes: 8) with source and quote, not "
                f"{kind_of(item)}",
                parent,
                key,
                field=field,
            )
        counts: dict[Vote, Any] = {}
        keys: dict[Vote, Any] = {}
        for written in item:
            if written in ("source", "quote"):
                continue
            try:
                vote = Vote(words.vote(written)) if isinstance(written, str) else None
            except InvalidValueError:
                vote = None
            if vote is None:
                raise doc.fail(
                    f"unknown key {clip(written)!r}",
                    item,
                    written,
                    field=join_path(field, written),
                    hint=did_you_mean(written, list(REPORT_KEYS))
                    or f"known keys: {', '.join(REPORT_KEYS)}",
                    at_key=True,
                )
            if vote in counts:
                raise doc.fail(
                    f"{clip(written)!r} counts {vote.value} twice",
                    item,
                    written,
                    field=join_path(field, written),
                    at_key=True,
                )
            counts[vote] = _count(item[written], doc, item, written, join_path(field, written))
            keys[vote] = written
        if not counts:
            raise doc.fail(
                "a report gives at least one count: yes, no, abstain or absent",
                parent,
                key,
                field=field,
            )
        evidence: dict[str, Any] = {}
        for k2 in ("source", "quote"):
            if item.get(k2) is not None:
                if not isinstance(item[k2], str) or not item[k2].strip():
                    raise doc.fail(f"{k2} must be non-empty text", item, k2, field=f"{field}.{k2}")
                evidence[k2] = " ".join(item[k2].split())
        if "source" not in evidence:
            raise doc.fail(
                "a report needs a source",
                parent,
                key,
                field=join_path(field, "source"),
                hint="a seed file, a URL or a UN document symbol, with the quote",
            )
        cite_evidence(evidence, doc, item, field)
        first = next(iter(keys.values()))
        line = doc.fail("", item, first).line
        reports.append(Report(counts, evidence["source"], evidence.get("quote"), line))
        places.append((item, {v: keys[v] for v in counts}))
    return tuple(reports), places


def _count(value: Any, doc: Located, node: Any, key: Any, field: str) -> tuple[int, int | None]:
    """A count: a whole number, or {min:, max:} (either may be left out)."""
    if hasattr(value, "items"):
        doc.check_keys(value, RANGE_KEYS, field)
        if not value:
            raise doc.fail("a range gives min, max or both", node, key, field=field)
        lo, hi = value.get("min", 0), value.get("max")
        for which, x in (("min", lo), ("max", hi)):
            if x is not None and not _whole(x):
                raise doc.fail(
                    f"{which} must be a whole number, not {clip(x)!r}", value, which, field=field
                )
        if hi is not None and hi < lo:
            raise doc.fail(f"max {hi} is below min {lo}", value, "max", field=field)
        if lo < 0:
            raise doc.fail(f"min must be 0 or more, not {lo}", value, "min", field=field)
        return lo, hi
    if not _whole(value) or value < 0:
        raise doc.fail(
            f"a reported count is a whole number or {{min: , max: }}, not {clip(value)!r}",
            node,
            key,
            field=field,
        )
    return value, value


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def check_reports(scenario: Scenario, places: list[tuple[Any, dict]], doc: Located) -> None:
    """Refuse reports the stances make impossible (at the count's line, naming it); warn when
    they make them very unlikely (``evidence.tiny``)."""
    if not scenario.reported:
        return
    try:
        found = conditioning(scenario, trials=20_000, seed=0)
        assert found is not None
        evidence = found[1].evidence
    except ImpossibleEvidenceError as e:
        k = scenario.reported.index(e.report) if e.report in scenario.reported else 0
        item, keys = places[k]
        vote = e.vote if e.vote in keys else next(iter(keys))
        field = join_path("reported" if len(places) == 1 else f"reported[{k}]", keys[vote])
        raise doc.fail(str(e), item, keys[vote], field=field) from None
    except UnscSimError:
        return  # the scenario's own errors are reported where they are made
    warning = tiny_warning(evidence, scenario.reported)
    if warning:
        item, keys = places[0]
        doc.warn(warning, item, next(iter(keys.values())), field="reported")


def tiny_warning(evidence: float, reports: tuple[Report, ...] | list[Report]) -> str | None:
    """The warning for reports whose probability under the stances is tiny (``evidence.tiny``)."""
    if not tiny(evidence):
        return None
    said = ", ".join(
        f"{v.value}: {count_range(lo, hi)}" for r in reports for v, (lo, hi) in r.counts.items()
    )
    return (
        f"the stances give the reports ({said}) a probability of only {evidence:.1e}: "
        "the conditioned numbers rest on rare combinations of votes"
    )
