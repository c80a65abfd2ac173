"""Screenshot an explorer page with the system's Chromium, at desktop and phone sizes.

    unsc-sim report scenarios/2018-12-dprk-human-rights.yaml -o 2018.html
    python docs/screenshot.py 2018.html docs/figures/2018-explorer.png

writes docs/figures/2018-explorer.png (1280 px wide, the top of the page: the reports, the
count, the members who would make nine) and docs/figures/2018-explorer-phone.png (390 x 844,
a touch screen, after a tap on Côte d'Ivoire's seat: the what-if, its outcome line in view).
Needs `pip install playwright` (in the test extra) and Debian's `chromium`; never
`playwright install`.
"""

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("output", type=Path, help="the desktop picture; the phone's gets -phone")
    parser.add_argument("--tap", default="Côte d'Ivoire", help="the seat tapped on the phone")
    args = parser.parse_args()
    phone = args.output.with_name(f"{args.output.stem}-phone{args.output.suffix}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport=DESKTOP)
        page.goto(args.page.resolve().as_uri())
        page.screenshot(path=str(args.output))
        page.close()
        context = browser.new_context(
            viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2
        )
        page = context.new_page()
        page.goto(args.page.resolve().as_uri())
        page.locator(f'[data-member="{args.tap}"] .shape').tap()
        page.evaluate("window.scrollTo(0, document.getElementById('chamber').offsetTop - 60)")
        page.screenshot(path=str(phone))
        context.close()
        browser.close()
    print(f"wrote {args.output} and {phone}")


if __name__ == "__main__":
    main()
