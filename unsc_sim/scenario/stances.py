"""A member's stance as a file gives it: a vote or probabilities, its basis and its citation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import words
from ..errors import (
    InvalidValueError,
)
from ..model import (
    VOTES,
    Basis,
    Stance,
)
from .citations import SourceError, cite
from .located import Located, did_you_mean, join_path

STANCE_KEYS = ("vote", "basis", "source", "quote", "note", "party_to_dispute", "persuadable")
VOTE_WORDS = tuple(v.value for v in VOTES)
NOTE_NEEDED = (Basis.INFERRED, Basis.ASSUMPTION, Basis.PRIOR)  # bases that must say why


def read_stance(
    value: Any,
    doc: Located,
    parent: Any,
    key: Any,
    field: str,
    base: Path,
    *,
    member: bool = False,
    party: bool = True,
) -> tuple[Stance, bool]:
    """A stance from a vote word, a probability mapping, or a mapping with evidence.

    ``member``: the stance is a member's own (under ``members``), where ``persuadable`` may be.
    ``party``: whether ``party_to_dispute`` may stand here (on a member, not in a
    hypothetical or the default, where it would be ignored).
    """
    if isinstance(value, str) or _is_probabilities(value):
        return Stance(*read_probabilities(value, doc, parent, key, field)), False
    if not hasattr(value, "items"):
        raise doc.fail(
            f"a stance is a vote ({', '.join(VOTE_WORDS)}), probabilities or a mapping",
            parent,
            key,
            field=field,
            hint=_bool_hint(value),
        )
    if "vote" not in value and any(k in words.WORDS for k in value):
        # {yes: 0.5, mabye: 0.5} is a probability mapping with a typo, not a stance mapping
        return Stance(*read_probabilities(value, doc, parent, key, field)), False
    doc.check_keys(value, STANCE_KEYS, field)
    if "persuadable" in value and not member:
        raise doc.fail(
            "persuadable belongs to a member's entry under members",
            value,
            "persuadable",
            field=join_path(field, "persuadable"),
        )
    if not party and "party_to_dispute" in value:
        raise doc.fail(
            "party_to_dispute is a fact about a member, not a stance: it has no effect here",
            value,
            "party_to_dispute",
            field=join_path(field, "party_to_dispute"),
            hint="set it on the member under `members:`",
            at_key=True,
        )
    if "vote" not in value:
        raise doc.fail("missing required key 'vote'", parent, key, field=join_path(field, "vote"))
    probs = read_probabilities(value["vote"], doc, value, "vote", join_path(field, "vote"))
    evidence: dict[str, Any] = {}
    for k in ("source", "quote", "note"):
        if value.get(k) is not None:
            if not isinstance(value[k], str):
                raise doc.fail(f"{k} must be text", value, k, field=join_path(field, k))
            evidence[k] = " ".join(value[k].split())
            if not evidence[k]:
                raise doc.fail(f"{k} is empty", value, k, field=join_path(field, k))
    basis = _basis(value, evidence, doc, field)
    if basis in NOTE_NEEDED and "note" not in evidence:
        raise doc.fail(
            f"basis {basis.value!r} needs a note saying why",
            value,
            "basis",
            field=join_path(field, "note"),
        )
    if "quote" in evidence and "source" not in evidence:
        raise doc.fail("a quote needs a source", value, "quote", field=join_path(field, "source"))
    if basis is Basis.REPORTED and "source" not in evidence:
        raise doc.fail(
            "basis 'reported' needs a source",
            value,
            "basis",
            field=join_path(field, "source"),
            hint="a seed file, a URL or a UN document symbol",
        )
    if "source" in evidence:
        cite_evidence(evidence, doc, value, field)
    party = value.get("party_to_dispute", False)
    if not isinstance(party, bool):
        raise doc.fail(
            "party_to_dispute must be true or false",
            value,
            "party_to_dispute",
            field=join_path(field, "party_to_dispute"),
        )
    return Stance(*probs, basis=basis, **evidence), party


def cite_evidence(evidence: dict[str, Any], doc: Located, value: Any, field: str) -> None:
    """Check the source (and quote): a located error, or a warning when unverifiable.

    Several sources may be given as one text separated by "; " (each checked), but a quote
    is checked against one source only.
    """
    parts = [p.strip() for p in evidence["source"].split("; ")]
    if len(parts) > 1 and "quote" in evidence:
        raise doc.fail(
            "a quote is checked against one source: give one source with a quote",
            value,
            "source",
            field=join_path(field, "source"),
        )
    try:
        citations = [cite(part, evidence.get("quote"), doc.roots) for part in parts]
    except SourceError as e:
        raise doc.fail(
            str(e), value, e.field, field=join_path(field, e.field), hint=e.hint
        ) from None
    doc.files += [str(c.path) for c in citations if c.path is not None]
    citation = citations[0]
    if "quote" in evidence and not citation.verified:
        doc.warn(
            f"quote not verified: {citation.kind.value} {evidence['source'][:80]!r} is cited, "
            "not read",
            value,
            "quote",
            field=join_path(field, "quote"),
        )


def _basis(value: Any, evidence: dict[str, Any], doc: Located, field: str) -> Basis | None:
    if "basis" not in value:
        return Basis.REPORTED if "quote" in evidence else None
    try:
        return Basis(value["basis"])
    except ValueError:
        choices = ", ".join(b.value for b in Basis)
        raise doc.fail(
            f"basis must be one of {choices}, not {str(value['basis'])[:40]!r}",
            value,
            "basis",
            field=join_path(field, "basis"),
            hint=did_you_mean(value["basis"], [b.value for b in Basis]),
        ) from None


def _bool_hint(value: Any) -> str | None:
    if isinstance(value, bool):
        return f"{str(value).lower()} is a YAML boolean, not a vote: write yes or no"
    return None


def _is_probabilities(value: Any) -> bool:
    return hasattr(value, "items") and bool(value) and all(k in words.WORDS for k in value)


def read_probabilities(
    value: Any, doc: Located, parent: Any, key: Any, field: str
) -> tuple[float, float, float, float]:
    """A vote word ("yes", "in favour") or a mapping of probabilities ("70%" allowed)."""
    if isinstance(value, str):
        try:
            word = words.vote(value)
        except InvalidValueError as e:
            raise doc.fail(e.message, parent, key, field=field, hint=e.hint) from None
        return tuple(float(w == word) for w in VOTE_WORDS)  # type: ignore[return-value]
    if not hasattr(value, "items") or not value:
        raise doc.fail(
            f"a vote is one of {', '.join(VOTE_WORDS)} or a mapping of probabilities",
            parent,
            key,
            field=field,
            hint=_bool_hint(value),
        )
    try:
        probs, note = words.probabilities(value)
    except InvalidValueError as e:
        if e.key is None:  # the sum: point at the whole mapping
            raise doc.fail(e.message, parent, key, field=field, hint=e.hint) from None
        raise doc.fail(
            e.message, value, e.key, field=join_path(field, e.key), hint=e.hint, at_key=e.at_key
        ) from None
    if note:
        doc.note(f"sum {field}", doc.fail(note, parent, key, field=field))
    return probs
