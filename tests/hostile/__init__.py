"""Hostile input, by topic: links and files, YAML, text and terminals, CSV, numbers and
work bounds (the page's own are in tests/output/test_explorer_hostile.py)."""
