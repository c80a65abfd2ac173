"""Tests of unsc_sim/output/: what a reader sees: tables, figures, the page."""
