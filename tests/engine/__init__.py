"""Tests of unsc_sim/engine/: the engines."""
