"""Choice of the page language and completeness of the UI strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.web import i18n

TEMPLATES = Path(i18n.__file__).resolve().parent / "templates"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9,fr;q=0.5", "en"),
        ("fr-FR, en;q=0.8", "fr"),
        ("de, en;q=0.3, fr;q=0.7", "fr"),
        ("en;q=0.5, fr;q=0.5", "en"),  # equal weights: the first listed wins
        ("fr;q=0, en;q=0.1", "en"),  # q=0 means "not acceptable"
        ("de, es", None),
        ("*", None),
        ("en;q=abc", None),
        ("", None),
        (None, None),
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert i18n.lang_from_accept_language(header) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("EN", "en"), ("fr_CA", "fr"), ("de", None), ("", None)]
)
def test_normalise_lang(value: str, expected: str | None) -> None:
    assert i18n.normalise_lang(value) == expected


def test_every_string_exists_in_both_languages() -> None:
    for key in i18n.known_keys():
        for lang in i18n.LANGUAGES:
            assert i18n.t(key, lang, n=1, q="x", city="y", names="z", status=404).strip(), (
                key,
                lang,
            )


def test_every_key_used_by_the_templates_is_defined() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']""", template.read_text()))
    assert used, "the templates use the t() helper"
    assert used <= i18n.known_keys(), used - i18n.known_keys()
