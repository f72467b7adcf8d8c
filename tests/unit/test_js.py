"""Run the node:test unit tests of the field scripts (tests/js/*.test.mjs) under pytest, and check
that the service worker caches every script the offline pages need.

So `make test` runs them too. `scripts/setup.sh --test` installs node when it is missing; a
machine without it fails here, loudly, rather than skipping the phone scripts' tests.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JS_TESTS = ROOT / "tests" / "js"
STATIC = ROOT / "static"
TEMPLATES = ROOT / "templates"
# The templates of the pages the service worker keeps for offline use (sw.js PAGES), and base.html.
OFFLINE_TEMPLATES = [
    "base.html",
    "patrols/field.html",
    "patrols/new_finding.html",
    "inspections/walk.html",
    "main/diagnostics.html",
    "repairs/new.html",
    "surveys/unit.html",
    "hazards/detail.html",
    "fleet/defect.html",
    "crew/pretrip_field.html",
    "crew/briefing_field.html",
    "crew/work_zone_field.html",
]
ASSET = re.compile(r"filename='((?:js|css)/[^']+\.(?:js|css))'")
IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^;"']*?(?:from\s*)?["'](\.{1,2}/[^"']+)["']""", re.M
)


def test_field_scripts_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (scripts/setup.sh --test installs it)", pytrace=False)
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    assert files, "no tests in tests/js"
    done = subprocess.run(
        [node, "--test", *files], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def cached_files() -> list[str]:
    source = (STATIC / "js" / "sw.js").read_text(encoding="utf-8")
    listed = re.search(r"var STATIC = \[(.*?)\];", source, re.S)
    assert listed, "sw.js has no STATIC list"
    return re.findall(r'"(/static/[^"]+)"', listed.group(1))


def test_the_service_worker_caches_what_the_offline_pages_load_and_import():
    cached = cached_files()
    for url in cached:
        assert (ROOT / url.lstrip("/")).is_file(), f"sw.js caches {url}, which does not exist"
    for name in OFFLINE_TEMPLATES:
        for asset in ASSET.findall((TEMPLATES / name).read_text(encoding="utf-8")):
            assert f"/static/{asset}" in cached, f"{name} loads {asset}: add it to sw.js STATIC"
    # A module imports others: each must be cached too, or the page breaks without signal.
    for url in cached:
        if not url.endswith(".js"):
            continue
        source = (ROOT / url.lstrip("/")).read_text(encoding="utf-8")
        for target in IMPORT.findall(source):
            imported = posixpath.normpath(posixpath.join(posixpath.dirname(url), target))
            assert imported in cached, f"{url} imports {target}: add {imported} to sw.js STATIC"
