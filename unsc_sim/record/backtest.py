"""A leave-future-out backtest of the priors (``priors.py``) on the recorded procedural votes.

Each recorded vote is predicted from the full rows strictly before its date, by the model and
by three baselines: always 0.5 (uniform over the four votes at the member level), the base
rate so far (the share of earlier votes adopted; all members' vote shares), and each member's
own past frequency, ignoring sides (smoothed toward all members' with four pseudo-votes).
The model's P(adopted) treats the members' votes as a little correlated (``yes_distribution``
with ``priors.RHO``), then adds the sponsor camp's selection offset, refitted on the votes
before each one (``selection``); the own-frequency baseline's treats them as independent.
Scores are in ``scoring``.

Vote level: every row, tally-only rows included (their Council is known from the roster).
Member level: the full rows only (a tally-only row does not say who cast which vote).
The model reads the sides from ``proposed_by`` only, unless ``opposed=True``: on the votes
before the cut-off, reading ``opposed_by`` too helps the member-level scores and hurts the
vote-level ones (see the README), so the default keeps to the proposers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine import quadrature
from ..engine.exact import distributions
from ..engine.latent import Factors
from ..model import VOTES, Rule, RuleKind
from . import selection, stored
from .council import council_on
from .priors import (
    ALPHA,
    HALF_LIFE,
    KIND_WEIGHT,
    NO_DATA,
    RHO,
    SHRINK,
    SLOPE,
    TOPIC_ALPHA,
    TOPIC_WEIGHT,
    Prior,
    Record,
    member_code,
    reading,
    regional_groups,
)
from .scoring import (
    EPS,
    VOTE_WORDS,
    Bin,
    Score,
    accuracy,
    binned,
    binned_arrays,
    brier,
    indices,
    log_loss,
    member_log_loss,
)
from .votes import RecordedVote, record_key, recorded_votes

if TYPE_CHECKING:
    import pandas as pd

CUTOFF = dt.date(2000, 1, 1)  # constants are tuned on the votes before; scores shown after too
OWN_WEIGHT = 4.0  # the own-frequency baseline's pseudo-votes toward all members' shares
VOTE_PREDICTORS = ("model", "always 0.5", "base rate", "own frequency")
MEMBER_PREDICTORS = ("model", "uniform", "base rate", "own frequency")
Probs = tuple[float, float, float, float]
# The options of a plain ``backtest()``: its result has a slot of its own in the cache folder.
_DEFAULTS = dict(alpha=ALPHA, half_life=HALF_LIFE, rho=RHO, topic_weight=TOPIC_WEIGHT,
                 kind_weight=KIND_WEIGHT, shrink=SHRINK, topic_alpha=TOPIC_ALPHA, slope=SLOPE,
                 cutoff=CUTOFF, opposed=False, until=None)  # fmt: skip


@dataclass(frozen=True)
class VoteRow:
    """One recorded vote: the predictions from earlier votes beside what happened."""

    id: str
    date: dt.date
    topic: str
    members_known: bool
    proposed_by: tuple[str, ...]
    p_adopted: float  # the model
    p_base_rate: float
    p_own: float
    expected: Probs  # expected numbers of yes, no, abstain, absent votes (the model)
    predicted_yes: int  # the model's most likely number of yes votes
    actual: tuple[int | None, ...]  # recorded yes, no, abstain, absent (None: not confirmed)
    adopted: bool
    p_members: float = 0.0  # P(adopted) from the members' priors, before the offset
    camp: str = "unrecorded"  # the sponsor camp (``selection.camp``)
    offset: float = 0.0  # the camp's selection offset (log-odds), fitted on the votes before


@dataclass(frozen=True)
class MemberRow:
    """One member's vote in a full row: each predictor's distribution and the vote cast."""

    id: str
    date: dt.date
    member: str
    vote: str
    model: Probs
    base_rate: Probs
    own: Probs
    new_member: bool


@dataclass(frozen=True)
class Backtest:
    votes: tuple[VoteRow, ...]
    members: tuple[MemberRow, ...]
    scores: tuple[Score, ...]
    calibration: tuple[Bin, ...]
    cutoff: dt.date
    alpha: float
    half_life: float
    rho: float
    opposed: bool
    topic_weight: float = 1.0
    kind_weight: float = 1.0
    shrink: float = 0.0
    topic_alpha: float = math.inf
    slope: float = 1.0
    evidence: tuple[selection.Evidence, ...] = field(default=(), repr=False, compare=False)

    def score(self, level: str, predictor: str, period: str = "all") -> Score:
        """One score; KeyError when that period holds no vote."""
        for s in self.scores:
            if (s.level, s.predictor, s.period) == (level, predictor, period):
                return s
        raise KeyError(f"no {level}-level score of {predictor!r} for {period}: no vote there")

    def to_records(self) -> list[dict[str, Any]]:
        """The per-vote table, flat."""
        out = []
        for r in self.votes:
            row = _fields(r)
            for v, e, a in zip(VOTES, row.pop("expected"), row.pop("actual")):
                row[f"expected_{v.value}"], row[v.value] = e, a
            row["proposed_by"] = list(r.proposed_by)
            out.append(row)
        return out

    def member_records(self) -> list[dict[str, Any]]:
        """The per-member-vote table, flat."""
        out = []
        for r in self.members:
            row = {k: v for k, v in _fields(r).items() if k not in ("model", "base_rate", "own")}
            for name in ("model", "base_rate", "own"):
                for v, p in zip(VOTES, getattr(r, name)):
                    row[f"{name}_{v.value}"] = p
            out.append(row)
        return out

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.to_records())


def _fields(row: VoteRow | MemberRow) -> dict[str, Any]:
    """A row's fields by name (``asdict`` without its deep copies: the values are immutable)."""
    return {f.name: getattr(row, f.name) for f in fields(row)}


def _council(rv: RecordedVote) -> list[str]:
    return list(rv.votes) if rv.members_known else [t.country.name for t in council_on(rv.date)]


def _baselines(record: Record, day: dt.date, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(base rate, own frequency): (4,) shares of all earlier votes; (n, 4) per member."""
    earlier = record.days < day.toordinal()
    counts = np.stack([(record.votes[earlier] == o).sum(0) for o in range(4)], axis=1)
    pooled = counts.sum(0)
    base = pooled / pooled.sum() if pooled.sum() else NO_DATA
    col = {c: j for j, c in enumerate(record.codes)}
    own = np.array([counts[col[c]] if c in col else np.zeros(4) for c in codes], dtype=float)
    return base, (own + OWN_WEIGHT * base) / (own.sum(1, keepdims=True) + OWN_WEIGHT)


def yes_distribution(probs: np.ndarray, rho: float = 0.0) -> np.ndarray:
    """P(k yes votes), k = 0..n, for members with these (n, 4) probabilities, all in one bloc
    of correlation ``rho`` (the engines' bloc model, integrated by ``quadrature``; 0 is
    independence). With rho = 1 the members move as one: at least k vote yes with the
    probability of the k-th likeliest yes."""
    independent = np.zeros(len(probs), dtype=bool)  # no veto in Art. 27(2)
    if rho == 0:
        return distributions(probs, independent)[0]
    if not 0 < rho <= 1:
        raise ValueError(f"rho must be in [0, 1], not {rho}")
    council = Factors.of([(range(len(probs)), rho)])
    return quadrature.distributions(probs, independent, council)[0]


def p_adopted(probs: np.ndarray, day: dt.date, rho: float) -> tuple[float, np.ndarray]:
    """P(adopted) of a procedural motion on ``day`` from the members' (n, 4) probabilities,
    all in one bloc at ``rho``, and the distribution of the yes votes (``yes_distribution``)."""
    total = yes_distribution(probs, rho)
    return min(1.0, float(total[Rule.on(RuleKind.PROCEDURAL, day).threshold :].sum())), total


def sponsor_camp(proposed_by: Sequence[str], day: dt.date) -> str:
    """The sponsor camp (``selection.camp``) of a motion these members proposed on ``day``."""
    return selection.camp([member_code(n, day) for n in proposed_by], regional_groups())


@dataclass(frozen=True)
class _Vote:
    """A recorded vote as every backtest sees it, whatever the constants."""

    names: list[str]  # its Council
    camp: str  # the sponsor camp
    p_base_rate: float
    p_own: float
    actual: tuple[int | None, ...]
    shares: Probs  # the base-rate baseline of each member
    own: tuple[Probs, ...]  # the own-frequency baseline, member by member
    cast: tuple[str, ...]  # the members' votes (none for a tally-only row)


def _vote(rv: RecordedVote, ordered: Sequence[RecordedVote], record: Record) -> _Vote:
    names = _council(rv)
    base, own = _baselines(record, rv.date, [member_code(n, rv.date) for n in names])
    earlier = [r.adopted for r in ordered if r.date < rv.date]
    return _Vote(
        names,
        sponsor_camp(rv.proposed_by, rv.date),
        sum(earlier) / len(earlier) if earlier else 0.5,
        p_adopted(own, rv.date, 0.0)[0],
        tuple(rv.count(v) for v in VOTES),
        tuple(map(float, base)),  # type: ignore[arg-type]
        tuple(tuple(map(float, o)) for o in own),  # type: ignore[misc]
        tuple(rv.votes[n].value for n in names) if rv.members_known else (),
    )


def _member_rows(rv: RecordedVote, v: _Vote, model: Sequence[Prior]) -> tuple[MemberRow, ...]:
    """The member rows of a full row (a tally-only row does not say who cast which vote)."""
    return tuple(
        MemberRow(rv.id, rv.date, name, cast, m.probabilities, v.shares, own, m.new_member)
        for name, cast, m, own in zip(v.names, v.cast, model, v.own)
    )


def backtest(
    *,
    votes: Sequence[RecordedVote] | None = None,
    alpha: float = ALPHA,
    half_life: float = HALF_LIFE,
    rho: float = RHO,
    topic_weight: float = TOPIC_WEIGHT,
    kind_weight: float = KIND_WEIGHT,
    shrink: float = SHRINK,
    topic_alpha: float = TOPIC_ALPHA,
    slope: float = SLOPE,
    cutoff: dt.date = CUTOFF,
    opposed: bool = False,
    until: dt.date | None = None,
    memo: dict[tuple[Any, ...], Any] | None = None,
) -> Backtest:
    """Predict each recorded vote (before ``until``, if given) from the full rows before it.

    On the whole record the result is kept in the cache folder (``stored``), keyed by the
    record, the source and the options: a second run with the same options reads it.
    ``memo`` keeps, across calls on the same ``votes``, the record's arrays and what each vote
    needs: its reading (``priors.reading``) and baselines whatever the constants, its priors
    for each set of constants, its P(adopted) before the selection term for each ``rho`` too,
    and the selection term's likelihood for each ``slope`` too (shared by every ``shrink``)."""
    options = dict(alpha=alpha, half_life=half_life, rho=rho, topic_weight=topic_weight,
                   kind_weight=kind_weight, shrink=shrink, topic_alpha=topic_alpha, slope=slope,
                   cutoff=cutoff, opposed=opposed, until=until)  # fmt: skip
    if votes is None:  # the whole record: kept in the cache folder
        key = stored.digest([record_key().encode(), repr(sorted(options.items())).encode()])
        slot = "backtest" if options == _DEFAULTS else "backtest-other"
        classes = {c.__name__: c for c in (Backtest, VoteRow, MemberRow, Score, Bin)}
        classes["Evidence"] = selection.Evidence

        def build() -> tuple[Backtest, Any]:
            result = backtest(votes=recorded_votes(), **options)
            return result, stored.plain(result)

        return stored.cached(slot, key, build, lambda v: stored.unplain(v, classes))
    ordered = sorted(votes, key=lambda r: (r.date, r.id))
    memo = {} if memo is None else memo
    record = memo.get(("record",)) or memo.setdefault(("record",), Record.of(ordered))
    constants = {k: options[k] for k in ("alpha", "half_life", "topic_weight", "kind_weight",
                                         "topic_alpha")}  # fmt: skip
    vote_rows: list[VoteRow] = []
    member_rows: list[MemberRow] = []
    evidence: list[selection.Evidence] = []
    for rv in ordered:
        if until is not None and rv.date >= until:
            break
        if (rv.id, "vote") not in memo:  # the same whatever the constants
            memo[rv.id, "vote"] = _vote(rv, ordered, record)
        v = memo[rv.id, "vote"]
        key = (rv.id, opposed, *constants.values())
        if key not in memo:  # the reading: the same whatever the constants
            if (rv.id, opposed) not in memo:
                memo[rv.id, opposed] = reading(
                    v.names, rv.date, proposed_by=rv.proposed_by, topic=rv.topic,
                    opposed_by=rv.opposed_by if opposed else (), kind=rv.kind.value, record=record,
                )  # fmt: skip
            model = memo[rv.id, opposed].priors(**constants)
            probs = np.array([p.probabilities for p in model])
            memo[key] = probs, _member_rows(rv, v, model)
        probs, rows = memo[key]
        members_key, fit_key = (*key, rho), (*key, rho, slope)  # before the selection term
        if members_key not in memo:
            memo[members_key] = p_adopted(probs, rv.date, rho)
        p_members, total = memo[members_key]
        offset = 0.0  # shrink 0: no selection term
        if not shrink <= 0:  # as ``selection.fit`` reads it (NaN included)
            if fit_key not in memo:  # the same for every shrink
                memo[fit_key] = selection.likelihood(evidence, rv.date, v.camp, slope)
            offset = selection.offset(memo[fit_key], shrink).value
        evidence.append(selection.Evidence(rv.date.toordinal(), v.camp, rv.adopted, p_members))
        vote_rows.append(VoteRow(
            id=rv.id,
            date=rv.date,
            topic=rv.topic,
            members_known=rv.members_known,
            proposed_by=tuple(rv.proposed_by),
            p_adopted=selection.shifted(p_members, offset, slope) if shrink > 0 else p_members,
            p_base_rate=v.p_base_rate,
            p_own=v.p_own,  # the baseline: independent members
            expected=tuple(float(x) for x in probs.sum(0)),  # type: ignore[arg-type]
            predicted_yes=int(np.argmax(total)),
            actual=v.actual,
            adopted=rv.adopted,
            p_members=p_members,
            camp=v.camp,
            offset=offset,
        ))  # fmt: skip
        member_rows += rows
    return Backtest(
        tuple(vote_rows),
        tuple(member_rows),
        scores(vote_rows, member_rows, cutoff),
        calibration(vote_rows, member_rows),
        cutoff,
        alpha,
        half_life,
        rho,
        opposed,
        topic_weight=topic_weight,
        kind_weight=kind_weight,
        shrink=shrink,
        topic_alpha=topic_alpha,
        slope=slope,
        evidence=tuple(evidence),
    )


def _periods(cutoff: dt.date) -> list[tuple[str, Callable[[dt.date], bool]]]:
    return [
        ("all", lambda d: True),
        (f"before {cutoff}", lambda d: d < cutoff),
        (f"from {cutoff}", lambda d: d >= cutoff),
    ]


def scores(
    votes: Sequence[VoteRow], members: Sequence[MemberRow], cutoff: dt.date
) -> tuple[Score, ...]:
    """Every predictor's scores on both levels, overall and either side of ``cutoff``."""
    out = []
    dists = [_dists(members, name) for name in ("model", "base_rate", "own")]
    dists.insert(1, np.full((len(members), 4), 0.25))  # uniform
    dates, cast = [r.date for r in members], indices([r.vote for r in members])
    for period, keep in _periods(cutoff):
        vs = [r for r in votes if keep(r.date)]
        outcomes = [r.adopted for r in vs]
        for name, ps in zip(
            VOTE_PREDICTORS,
            (
                [r.p_adopted for r in vs],
                [0.5] * len(vs),
                [r.p_base_rate for r in vs],
                [r.p_own for r in vs],
            ),
        ):
            if vs:
                loss, b = log_loss(ps, outcomes), brier(ps, outcomes)
                out.append(Score("vote", name, period, len(vs), loss, b, None))
        inside = np.fromiter(map(keep, dates), bool, len(dates))
        n, cast_then = int(inside.sum()), cast[inside]
        for name, ds in zip(MEMBER_PREDICTORS, dists):
            if n:
                loss, acc = member_log_loss(ds[inside], cast_then), accuracy(ds[inside], cast_then)
                out.append(Score("member", name, period, n, loss, None, acc))
    return tuple(out)


def _dists(members: Sequence[MemberRow], name: str) -> np.ndarray:
    """(n, 4) one predictor's distributions of the members' votes."""
    return np.array([getattr(r, name) for r in members], dtype=float).reshape(-1, 4)


def calibration(
    votes: Sequence[VoteRow], members: Sequence[MemberRow], bins: int = 10
) -> tuple[Bin, ...]:
    """The model's predictions in ``bins`` equal bins against what happened: P(adopted) at
    the vote level; at the member level every probability it gives (yes, no, abstain,
    absent) against whether that vote was cast."""
    vote = [(r.p_adopted, r.adopted) for r in votes]
    cast = indices([r.vote for r in members])[:, None] == np.arange(4)
    member = binned_arrays("member", _dists(members, "model").ravel(), cast.ravel(), bins)
    return binned("vote", vote, bins) + member


# What the table's columns mean: its footer, and `unsc-sim backtest --help`.
VOTE_COLUMNS = (
    ("P(adopt)", "the model's P(adopted), from the recorded votes strictly before this one"),
    ("base", "baseline: the share of earlier votes adopted (the base rate so far)"),
    ("own", "baseline: P(adopted) from each member's own past frequencies, sides ignored"),
    ("E[yes]", "the model's expected number of yes votes"),
    ("mode", "the model's likeliest number of yes votes"),
    ("yes", "the recorded number of yes votes (? where the record has none)"),
    ("result", "what the Council recorded; (tally only): members' votes not named"),
)
MEMBER_COLUMNS = (
    ("P(vote)", "the model's probability of the vote the member cast"),
    ("likeliest", "the model's likeliest vote for the member"),
    ("new", "yes: no earlier vote of its own on record (its regional group's prior)"),
)


def format_table(result: Backtest, *, members: bool = False) -> str:
    """A plain-text table of every vote (or member vote), good and bad, then the scores."""
    lines = _member_lines(result) if members else _vote_lines(result)
    width = max(len(name) for name, _ in (*VOTE_COLUMNS, *MEMBER_COLUMNS))
    lines += ["", "columns:"] + [
        f"  {name:<{width}}  {meaning}"
        for name, meaning in (MEMBER_COLUMNS if members else VOTE_COLUMNS)
    ]
    lines += ["", f"{'level':<7} {'period':<18} {'predictor':<14} {'n':>5} "
              f"{'Brier':>6} {'log loss':>8} {'accuracy':>8}"]  # fmt: skip
    for s in result.scores:
        b = "" if s.brier is None else f"{s.brier:.3f}"
        a = "" if s.accuracy is None else f"{s.accuracy:.3f}"
        lines.append(
            f"{s.level:<7} {s.period:<18} {s.predictor:<14} {s.n:>5} {b:>6} "
            f"{s.log_loss:>8.3f} {a:>8}"
        )
    lines += ["", "calibration of the model (predicted probability against what happened):"]
    lines.append(f"{'level':<7} {'bin':<9} {'n':>5} {'predicted':>9} {'observed':>8}")
    for c in result.calibration:
        if c.n:
            lines.append(
                f"{c.level:<7} {c.lo:.1f}-{c.hi:.1f}   {c.n:>5} {c.mean_predicted:>9.3f} "
                f"{c.observed:>8.3f}"
            )
    sides = "proposed_by and opposed_by" if result.opposed else "proposed_by"
    lines += [
        "",
        f"model: alpha={result.alpha:g}, half-life {result.half_life:g} years, topic weight "
        f"{result.topic_weight:g}, kind weight {result.kind_weight:g}, rho={result.rho:g}, "
        f"member x topic alpha {result.topic_alpha:g}, selection shrink {result.shrink:g} "
        f"and slope {result.slope:g}, sides from "
        f"{sides}; log loss: natural log, probabilities clipped at {EPS:g}",
    ]
    return "\n".join(lines) + "\n"


def _member_lines(result: Backtest) -> list[str]:
    lines = [f"{'vote':<34} {'member':<28} {'vote':<8} {'P(vote)':>7} {'likeliest':<9}  new"]
    for r in result.members:
        likeliest = VOTES[int(np.argmax(r.model))].value
        lines.append(
            f"{r.id:<34} {r.member[:28]:<28} {r.vote:<8} {r.model[VOTE_WORDS.index(r.vote)]:>7.3f}"
            " "
            f"{likeliest:<9}  {'yes' if r.new_member else ''}"
        )
    return lines


def _vote_lines(result: Backtest) -> list[str]:
    lines = [
        f"{'vote':<34} {'P(adopt)':>8} {'base':>5} {'own':>5} {'E[yes]':>6} {'mode':>4} "
        f"{'yes':>3}  result"
    ]
    for r in result.votes:
        yes = "?" if r.actual[0] is None else str(r.actual[0])
        lines.append(
            f"{r.id:<34} {r.p_adopted:>8.3f} {r.p_base_rate:>5.2f} {r.p_own:>5.2f} "
            f"{r.expected[0]:>6.2f} {r.predicted_yes:>4} {yes:>3}  "
            f"{'adopted' if r.adopted else 'failed'}{'' if r.members_known else ' (tally only)'}"
        )
    return lines
