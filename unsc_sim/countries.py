"""Country names: any common spelling to one canonical Council name.

A small table (``data/countries.csv``) holds the display names the Security Council's
press releases use, the official names that order the presidency's rotation, historic
seats (USSR, Republic of China, ...) and the aliases ``pycountry`` lacks; everything else
goes to ``pycountry``'s exact lookup (never its fuzzy search, which maps "ROK" to Czechia).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .errors import InvalidArgumentError, UnknownCountryError

PERMANENT_CODES = frozenset({"CHN", "FRA", "GBR", "RUS", "USA", "SUN", "ROC"})


@dataclass(frozen=True)
class Country:
    """A state as it sits on the Council: ISO 3166 alpha-3 code (or a historic code)."""

    code: str
    name: str
    official: str

    @property
    def permanent(self) -> bool:
        return self.code in PERMANENT_CODES


_THE = re.compile(r"^the (?=\S)")


def _key(text: str) -> str:
    """Fold case, accents, typographic apostrophes, dots, spacing and a leading "the"
    ("the U.S.", "The Netherlands") for matching."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace(".", "").replace("'", "")
    return _THE.sub("", " ".join(text.replace(",", " ").split()))


@cache
def _table() -> tuple[dict[str, Country], dict[str, str]]:
    """(code -> Country, alias key -> code) from the shipped table."""
    by_code: dict[str, Country] = {}
    index: dict[str, str] = {}
    path = resources.files("unsc_sim") / "data" / "countries.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            country = Country(row["code"], row["name"], row["official"] or row["name"])
            by_code[country.code] = country
            for alias in (row["code"], row["name"], row["official"], *row["aliases"].split("|")):
                if alias:
                    index.setdefault(_key(alias), country.code)
    return by_code, index


def by_code(code: str) -> Country:
    """The country with this alpha-3 (or historic) code."""
    table, _ = _table()
    if code in table:
        return table[code]
    import pycountry

    record = pycountry.countries.get(alpha_3=code)
    if record is None:
        raise UnknownCountryError(code)
    name = getattr(record, "common_name", None) or record.name
    return Country(code, name, getattr(record, "official_name", None) or record.name)


def resolve(name: str) -> Country:
    """The Council seat a name means ("Ivory Coast" -> Côte d'Ivoire); raises with suggestions."""
    if not isinstance(name, str):
        raise InvalidArgumentError(f"a country is named by text, not {name!r}")
    _, index = _table()
    key = _key(name)
    if key in index:
        return by_code(index[key])
    import pycountry

    for text in dict.fromkeys((name.strip(), re.sub(r"(?i)^the\s+", "", name.strip()))):
        try:
            return by_code(pycountry.countries.lookup(text).alpha_3)
        except LookupError:
            continue
    raise UnknownCountryError(name, suggest(name))


def suggest(name: str, *, n: int = 2) -> tuple[str, ...]:
    """Closest known names, for "did you mean" hints."""
    table, index = _table()
    key = _key(name)
    hits = difflib.get_close_matches(key, list(index), n=n, cutoff=0.6)
    names = dict.fromkeys(table[index[h]].name for h in hits)
    if not names:
        import pycountry

        choices = {_key(c.name): c.name for c in pycountry.countries}
        names = dict.fromkeys(
            choices[h] for h in difflib.get_close_matches(key, list(choices), n=n)
        )
    return tuple(names)
