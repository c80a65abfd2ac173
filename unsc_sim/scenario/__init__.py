"""Scenario files: safe YAML, located messages, members, stances, blocs, citations, schema."""

from .loader import load, loads

__all__ = ["load", "loads"]
