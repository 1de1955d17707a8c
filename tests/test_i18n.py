"""grader's messages go through gettext: Russian by default, English for operators' logs with
GRADER_LANG=en, and the English catalogue keeps up with the code."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po
from conftest import REPO

from grader import i18n

PO = REPO / "grader" / "locale" / "en" / "LC_MESSAGES" / "grader.po"
sys.path.insert(0, str(REPO / "scripts"))
from update_catalogue import extracted  # noqa: E402


def _catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


def test_catalogue_has_every_message_of_the_code():
    """Is every `_()`/`N_()` message id in grader/ in the English catalogue (run
    scripts/update_catalogue.py when this fails)?"""
    code = {m.id for m in extracted() if m.id}
    catalogue = {m.id for m in _catalogue() if m.id}
    assert code, "no messages extracted"
    assert code - catalogue == set()


def test_translations_keep_the_placeholders():
    """Does every English translation use exactly the placeholders of its Russian id?"""
    names = re.compile(r"\{(\w*)[^}]*\}")
    for message in _catalogue():
        if message.id and message.string:
            assert sorted(names.findall(message.id)) == sorted(names.findall(message.string)), (
                message.id
            )


def test_russian_by_default_and_english_on_request(monkeypatch):
    """Is a message Russian without GRADER_LANG, English with GRADER_LANG=en, and Russian for
    a language without a catalogue?"""
    message = "{name}: отзывы выданы"
    monkeypatch.delenv("GRADER_LANG", raising=False)
    assert i18n._(message) == message
    monkeypatch.setenv("GRADER_LANG", "en")
    assert i18n._(message) == "{name}: feedback released"
    monkeypatch.setenv("GRADER_LANG", "de")
    assert i18n._(message) == message


@pytest.mark.parametrize(
    ("lang", "expected"), [("", "использование: grader"), ("en", "usage: grader")]
)
def test_cli_help_in_either_language(lang, expected):
    """Does `grader --help` start with the usage line of the chosen language?"""
    env = {"GRADER_LANG": lang, "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "grader", "--help"], capture_output=True, text=True, env=env,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(expected)
