"""Screenshot an explorer page with the system's Chromium (for the README's figure).

    unsc-sim report scenarios/2018-12-dprk-human-rights.yaml -H held-anyway -o 2018.html
    python docs/screenshot.py 2018.html docs/figures/2018-explorer.png

Needs `pip install playwright` (in the test extra) and Debian's `chromium`.
"""

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--width", type=int, default=1120)
    parser.add_argument("--height", type=int, default=840)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.page.resolve().as_uri())
        page.screenshot(path=str(args.output))
        browser.close()


if __name__ == "__main__":
    main()
