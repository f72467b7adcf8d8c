"""Run the node:test unit tests of the field scripts (tests/js/*.test.mjs) under pytest.

So `make test` runs them too. `scripts/setup.sh --test` installs node when it is missing; a
machine without it fails here, loudly, rather than skipping the phone scripts' tests.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).resolve().parents[1] / "js"


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
