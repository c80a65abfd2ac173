"""``python -m unsc_sim``: the command line."""

from .cli import main

main()
