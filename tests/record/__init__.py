"""Tests of unsc_sim/record/: the Council's record."""
