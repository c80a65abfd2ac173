"""Citations: classify a stance's source, find a cited file inside the allowed folders, check
the quote.

A scenario is untrusted input, so the files it may read are confined to explicit search roots:

- the scenario's own folder (and what lies below it);
- the ``seeds/`` folder of the project the scenario belongs to: the nearest folder, from the
  scenario's own up, that holds both ``seeds/`` and ``scenarios/`` (a relative source there is
  written ``seeds/NAME``);
- folders the user names (``--sources DIR``).

A source resolving outside its root (through a symbolic link, say) is refused, as is anything
but a regular file. A project's ``seeds/`` is a root only if it is a real folder of the project:
a ``seeds`` that is a link (``seeds -> /etc``) leads out, and nothing under it is read.
A source that is not a file is a URL or a UN document symbol, which is cited but not read: a
quote from one cannot be checked here and is reported as not verified.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path, PurePath

from ..files import FileRefused, read_limited

# Typographic marks that editors and news sites swap freely; a quote may use either form.
_MARKS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
MAX_SOURCE_BYTES = 5_000_000  # a news article is a few kB; refuse to read anything huge

_URL = re.compile(r"https?://[^\s/]+\S*")
_YEAR = r"(?:194[5-9]|19[5-9]\d|20\d\d)"
_PARTS = r"(?:/(?:Add|Rev|Corr|Amend)\.\d{1,3})*"
# UN document symbols (the patterns of the Official Document System) and press releases.
_SYMBOLS = tuple(
    re.compile(p)
    for p in (
        r"S/PV\.\d{1,5}(?: \(Resumption \d{1,2}\))?",  # meeting record: S/PV.8209
        rf"S/RES/\d{{1,4}} \({_YEAR}\)",  # resolution: S/RES/2397 (2017)
        rf"S/{_YEAR}/\d{{1,4}}{_PARTS}",  # document since 1994: S/2019/123
        rf"S/\d{{1,5}}{_PARTS}",  # document before 1994: S/25704
        r"S/PRST/" + _YEAR + r"/\d{1,3}",  # presidential statement: S/PRST/2018/1
        r"A/(?=[^ ]*\d)[A-Z0-9][A-Za-z0-9.\-]*(?:/[A-Z0-9][A-Za-z0-9.\-]*)*",  # A/RES/73/180
        r"SC/\d{4,5}",  # Security Council press release: SC/13632
        r"GA/(?:[A-Z]{2,5}/)?\d{4,5}",  # General Assembly press release: GA/12090
        r"SG/SM/\d{4,5}",  # Secretary-General's statement
    )
)
_LOOKS_LIKE_A_SYMBOL = re.compile(r"[A-Z][A-Z0-9.\-]*/")
SYMBOL_EXAMPLES = "S/PV.8209, S/RES/2397 (2017), S/2019/123, A/RES/73/180, SC/13632"
SEEDS = "seeds"
PROJECT_MARKERS = (SEEDS, "scenarios")


class Kind(str, Enum):
    """What a ``source:`` names."""

    FILE = "file"  # a local file, read and searched for the quote
    SYMBOL = "symbol"  # a UN document symbol, cited
    URL = "url"  # a web address, cited


class SourceError(ValueError):
    """A source or quote that is refused; ``field`` says which of the two is wrong."""

    def __init__(self, message: str, field: str = "source", hint: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.hint = hint


@dataclass(frozen=True)
class Root:
    """Relative sources are looked up from ``base`` and must resolve inside ``inside``."""

    base: Path
    inside: Path
    label: str
    trusted: bool = True  # False: a root that is a link or leads out; nothing in it is read


@dataclass(frozen=True)
class Citation:
    """A checked source: its kind, the local file read (if any), and whether the quote was
    found there (False when there is no quote or nothing local to check it against)."""

    kind: Kind
    path: Path | None = None
    verified: bool = False


def normalize(text: str) -> str:
    """Collapse whitespace and fold typographic quotes and dashes."""
    return " ".join(text.translate(_MARKS).split())


def classify(source: str) -> Kind:
    """FILE, SYMBOL or URL; ``SourceError`` for something shaped like a symbol that is none."""
    if _URL.fullmatch(source):
        return Kind.URL
    if any(p.fullmatch(source) for p in _SYMBOLS):
        return Kind.SYMBOL
    if _LOOKS_LIKE_A_SYMBOL.match(source) or source.lower().startswith(("http:", "https:")):
        raise SourceError(
            f"{source[:80]!r} is neither a UN document symbol nor a URL",
            hint=f"symbols look like {SYMBOL_EXAMPLES}; a file: lower case, or ./DIR/FILE",
        )
    return Kind.FILE


def is_file_source(source: str) -> bool:
    """False for URLs and UN document symbols (S/PV.8209), which are cited, not read."""
    try:
        return classify(source) is Kind.FILE
    except SourceError:
        return False


def project_root(folder: Path) -> Path | None:
    """The nearest folder, from ``folder`` up, holding both ``seeds/`` and ``scenarios/``."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if all((candidate / name).is_dir() for name in PROJECT_MARKERS):
            return candidate
    return None


def search_roots(folder: Path, extra: Sequence[str | Path] = ()) -> tuple[Root, ...]:
    """The roots a scenario in ``folder`` may read from, in lookup order."""
    folder = folder.resolve()
    roots = [Root(folder, folder, "the scenario's folder")]
    project = project_root(folder)
    if project is not None:
        seeds = project / "seeds"  # project is resolved: seeds/ itself must be no link
        real = not seeds.is_symlink() and seeds.resolve() == seeds
        roots.append(Root(project, seeds, "the project's seeds/", trusted=real))
    for given in extra:
        d = Path(given).resolve()
        label = f"--sources {str(given)[:80]}"
        roots.append(Root(d, d, label))
        if d.name == SEEDS:  # a project's seeds folder itself: "seeds/NAME" is found in it
            roots.append(Root(d.parent, d, label))
    return tuple(roots)


def find_source(source: str, roots: Sequence[Root]) -> Path:
    """The file a relative source names, inside one of the roots; ``SourceError`` if none."""
    where = PurePath(source)
    if where.is_absolute() or ".." in where.parts:
        raise SourceError(
            "a source file is named relative to the scenario's folder, without '..'",
            hint="it is looked up there, in the project's seeds/ and in --sources folders",
        )
    escaped = False
    for root in roots:
        candidate = root.base / where
        if not os.path.lexists(candidate):
            continue
        resolved = candidate.resolve()
        if not root.trusted or not resolved.is_relative_to(root.inside.resolve()):
            escaped = True  # a link out of the root, or seeds/.. paths: not offered
            continue
        return resolved
    searched = "; ".join(r.label for r in roots)
    if escaped:
        raise SourceError(
            f"source file {source[:80]!r} leads outside the folders a scenario may read",
            hint=f"searched: {searched}",
        )
    where_to = "add a folder with --sources DIR"
    if where.parts[0] == SEEDS:  # a seed cited from a scenario copied out of its project
        where_to = "pass the project's seeds folder (--sources PATH/seeds) or the project itself"
    raise SourceError(
        f"source file {source[:80]!r} not found", hint=f"searched: {searched}; {where_to}"
    )


def read_source(path: Path) -> str:
    """The normalized text of a source file (bounded; regular files only)."""
    st = path.stat()
    return _read(path, st.st_mtime_ns, st.st_size, st.st_ino)


@lru_cache(maxsize=64)
def _read(path: Path, *_version: int) -> str:
    return normalize(read_limited(path, MAX_SOURCE_BYTES).decode("utf-8"))


def cite(source: str, quote: str | None, roots: Sequence[Root]) -> Citation:
    """Check a source (and its quote, if any): the ``Citation``, or ``SourceError``."""
    if not source.strip():
        raise SourceError("source is empty")
    if quote is not None and not quote.strip():
        raise SourceError("quote is empty", field="quote")
    kind = classify(source)
    if kind is not Kind.FILE:
        return Citation(kind)
    path = find_source(source, roots)
    if quote is None:
        return Citation(kind, path)
    try:
        text = read_source(path)
    except UnicodeDecodeError:
        raise SourceError(f"source file {source[:60]!r} is not UTF-8 text") from None
    except FileRefused as e:
        raise SourceError(f"source file {source[:60]!r} is refused: {e}") from None
    except OSError as e:
        reason = e.strerror or e
        raise SourceError(f"source file {source[:60]!r} cannot be read: {reason}") from None
    if normalize(quote) not in text:
        raise SourceError(f"quote not found in {source[:80]}: {quote[:60]!r}", field="quote")
    return Citation(kind, path, verified=True)
