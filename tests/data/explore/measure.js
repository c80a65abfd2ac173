// What tests/test_explorer_layout.py measures in the page, in one round trip (CSS pixels).
(() => {
    const W = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll("body *")].filter((e) => {
        if (e.closest("[aria-hidden=true][style]") || e.closest(".sr-only")) return false;
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.right > W + 0.5 || r.left < -0.5);
    }).map((e) => e.id || e.tagName + "." + (e.getAttribute("class") || ""));
    const svg = document.getElementById("chamber");
    const scale = svg.getScreenCTM().a;
    // How far a shape reaches from its seat's centre towards direction phi (user units).
    const reach = (shape, phi) => {
        const sw = Number(shape.getAttribute("stroke-width") || getComputedStyle(shape).strokeWidth.replace("px", "") || 0) / 2;
        if (shape.tagName === "circle") return Number(shape.getAttribute("r")) + sw;
        const half = Number(shape.getAttribute("width")) / 2;
        const m = /rotate\(([-0-9.]+)/.exec(shape.getAttribute("transform") || "");
        const t = ((m ? Number(m[1]) : 0) * Math.PI) / 180;
        return half * (Math.abs(Math.cos(phi - t)) + Math.abs(Math.sin(phi - t))) + sw;
    };
    const seats = [...svg.querySelectorAll(".seat")].map((g) => {
        const m = /translate\(([-0-9.]+),([-0-9.]+)\)/.exec(g.getAttribute("transform"));
        const hit = g.querySelector(".hit").getBoundingClientRect();
        const label = g.querySelector(".label");
        return {name: g.dataset.member, x: Number(m[1]), y: Number(m[2]), hit: [hit.left, hit.top, hit.right, hit.bottom],
                font: parseFloat(getComputedStyle(label).fontSize) * scale};
    });
    const pairs = [];
    const groups = [...svg.querySelectorAll(".seat")];
    for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < groups.length; j++) {
        const [a, b] = [seats[i], seats[j]];
        const phi = Math.atan2(b.y - a.y, b.x - a.x);
        const d = Math.hypot(b.x - a.x, b.y - a.y);
        const gap = (cls) => (d - reach(groups[i].querySelector(cls), phi) - reach(groups[j].querySelector(cls), phi + Math.PI)) * scale;
        pairs.push({a: a.name, b: b.name, shape: gap(".shape"), ring: gap(".pivot-ring")});
    }
    const bars = [...document.querySelectorAll("#distribution .barlabel")].map((t) => {
        const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, t.textContent];
    });
    return {W, scroll: document.documentElement.scrollWidth, outside, seats, pairs, bars,
            mode: svg.classList.contains("roll") ? "roll" : "arc"};
})
