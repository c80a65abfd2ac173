"""The evidence: seed articles kept byte for byte, and every catalogued quote really in them."""

import hashlib

from ruamel.yaml import YAML

from unsc_sim.scenario.citations import normalize

from ..conftest import ROOT

SEEDS = ROOT / "seeds"
# SHA-256 of the five articles as delivered in shared/seeds (computed 2026-11-23).
DIGESTS = {
    "000_0963a4101a18558c.txt": "ce21dd37575fc1f7f8c6eac6ef3c8fa75eca4bcdf95da1a8a891c4477e4ef477",
    "001_1a3d8701fcf1dd54.txt": "69b26e012b576d6efe1756e1b000ee03578ac229466aeb4bacc2e1fa628324eb",
    "002_bc6ab423fb04c07b.txt": "a3bfdd7026ccf2a2b0161d97d9bdbdf06c3a946a02d188a93daaae94aef67115",
    "003_9448a4a29b926b22.txt": "a5e57c5a596b0e8dff6338ddecf55ac82366d22feb6909e9e4073525383398e8",
    "004_839ed11371d87e67.txt": "f25d7ae4475361189d6cb72b3519d81556e768ed0b183044854d9893407f7279",
}


def test_seeds_are_unchanged():
    for name, digest in DIGESTS.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest, name


def test_every_catalogued_quote_is_in_its_seed():
    catalogue = YAML(typ="safe", pure=True).load((SEEDS / "sources.yaml").read_text("utf-8"))
    assert set(catalogue["sources"]) == set(DIGESTS)
    quotes = 0
    for name, entry in catalogue["sources"].items():
        text = normalize((SEEDS / name).read_text("utf-8"))
        for claim in entry["claims"]:
            assert normalize(claim["quote"]) in text, (name, claim["id"])
            quotes += 1
    for item in catalogue["disagreements"]:
        for position in item["positions"]:
            text = normalize((SEEDS / position["source"]).read_text("utf-8"))
            assert normalize(position["quote"]) in text, item["id"]
            quotes += 1
    assert quotes > 40
