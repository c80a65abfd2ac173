"""Tests of unsc_sim/cli/: the command line."""
