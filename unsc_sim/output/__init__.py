"""What a reader sees: tables, JSON and CSV (``formats``), figures (``plots``), the page
(``explorer``). Nothing below this folder imports it."""

from .explorer import Explorer, explore

__all__ = ["Explorer", "explore"]
