"""The ``unsc-sim`` command: a thin click layer over the library, one module per family."""

from . import analyses, figures, new, record, report, run
from .common import main

__all__ = ["analyses", "figures", "main", "new", "record", "report", "run"]
