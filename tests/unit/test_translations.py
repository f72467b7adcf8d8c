"""Every user-visible string has a Simplified Chinese translation with the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "inspection/translations/zh_Hans_CN/LC_MESSAGES/messages.po"


def extracted_messages(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "_l",
            "--no-location",
            "-o",
            str(pot),
            "inspection",
            "templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_every_string_is_translated_into_chinese(tmp_path):
    with CATALOGUE.open("rb") as f:
        catalogue = {m.id: m.string for m in read_po(f) if m.id}
    missing = sorted(msgid for msgid in extracted_messages(tmp_path) if not catalogue.get(msgid))
    assert missing == [], "run `make babel-update` and translate these in " + str(CATALOGUE)


def test_translations_keep_their_placeholders():
    with CATALOGUE.open("rb") as f:
        messages = [m for m in read_po(f) if m.id and m.string]
    broken = [
        m.id
        for m in messages
        if sorted(re.findall(r"%\((\w+)\)", m.id)) != sorted(re.findall(r"%\((\w+)\)", m.string))
    ]
    assert broken == []
