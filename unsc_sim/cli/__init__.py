"""The ``unsc-sim`` command: a thin click layer over the library, one module per family."""

# Importing the families registers their commands on ``main``.
from . import analysis, backtest, explorer, new, plots, power, record, run  # noqa: F401
from .common import main

__all__ = ["main"]
