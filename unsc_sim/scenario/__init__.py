"""Scenario files in, checked ``Scenario`` values out, every message located.

``loader`` reads a file (``safeyaml``) and builds the scenario from ``members``, ``stances``,
``blocs`` and ``hypotheticals``, each message ``located``; ``citations`` checks sources and
quotes; ``assignments`` reads command-line stances; ``schema`` is the JSON Schema.
"""

from .assignments import parse_assignment, parse_assignments, resolve_member, resolve_members
from .loader import load, loads, read_yaml

__all__ = [
    "load",
    "loads",
    "parse_assignment",
    "parse_assignments",
    "read_yaml",
    "resolve_member",
    "resolve_members",
]
