"""Tests of unsc_sim/scenario/: scenario files."""
