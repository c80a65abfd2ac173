"""Tests of unsc_sim/analysis/: the analyses."""
