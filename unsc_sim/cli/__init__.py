"""The ``unsc-sim`` command: a thin click layer over the library, one module per family."""

from . import analysis as analyses
from . import explorer as report
from . import new, record, run
from . import plots as figures
from .common import main

__all__ = ["analyses", "figures", "main", "new", "record", "report", "run"]
