"""A browser page watched for errors and stray requests, and what the explorer shows."""

SHOWN = """() => {
    const o = document.querySelector("[data-outcome]");
    const seats = [...document.querySelectorAll("[data-member]")];
    const pivotal = new Set(seats.filter(e => e.classList.contains("pivotal"))
                                 .map(e => e.dataset.member));
    return {
        "hypothetical": document.querySelector("[data-hypothetical]").value,
        "yes": o.dataset.yes, "p-adopted": o.dataset.pAdopted, "adopted": o.dataset.adopted,
        "seats": Object.fromEntries(seats.map(e => [e.dataset.member, e.dataset.vote])),
        "pivotal": unscSim.result.names.filter(n => pivotal.has(n)),
    };
}"""


class Watched:
    """A page that records console errors, page errors and requests other than file://."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.on(
            "request",
            lambda r: r.url.startswith("file://") or self.problems.append(f"request {r.url}"),
        )

    def open(self, path, fragment: str = ""):
        self.page.goto("about:blank")  # a new document even when only the fragment differs
        self.page.goto(path.as_uri() + fragment)
        return self.page

    def outcome(self) -> dict[str, str]:
        shown = self.shown()
        return {k: shown[k] for k in ("yes", "p-adopted", "adopted")}

    def seats(self) -> dict[str, str]:
        return self.shown()["seats"]

    def shown(self) -> dict:
        """The outcome's attributes, the seats' votes and the pivotal seats, in one call."""
        return self.page.evaluate(SHOWN)
