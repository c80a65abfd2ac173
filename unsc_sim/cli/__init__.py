"""The ``unsc-sim`` command: a thin click layer over the library, one module per family.

Each family's module (analysis, backtest, explorer, new, plots, power, record, run) is
imported when one of its commands runs (``common.COMMANDS``), so start-up stays short.
"""

from .common import main

__all__ = ["main"]
