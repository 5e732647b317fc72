"""Shared fixtures: build small sites (or the real one) into a temp dir and parse the HTML."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from community_events import languages as languages_module  # noqa: E402
from pelican import Pelican  # noqa: E402
from pelican.settings import read_settings  # noqa: E402

# "Today" for every build in the tests; never the wall clock.
TEST_TODAY = "2024-01-15"


class BuiltSite:
    def __init__(self, output: Path):
        self.output = output

    def html(self, relative: str) -> BeautifulSoup:
        path = self.output / relative
        if path.is_dir() or relative.endswith("/") or relative == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def text(self, relative: str) -> str:
        return self.html(relative).find("main").get_text(" ", strip=True)


def assert_clear_sentence(sentence: str, location: str, words: str) -> None:
    """A content error as contributors see it: where, what is wrong, and the fix, on one line."""
    assert sentence.startswith(f"{location}: "), sentence
    assert words in sentence, sentence
    assert "; " in sentence and "\n" not in sentence and "Traceback" not in sentence, sentence


def _settings(content: Path, output: Path, today: str, **overrides) -> dict:
    return read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "COMMUNITY_EVENTS": {"today": today},
            "CACHE_PATH": str(output.parent / "cache"),
            **overrides,
        },
    )


def run_pelican(content: Path, output: Path, today: str = TEST_TODAY, **overrides) -> BuiltSite:
    """Build the site in one language: the first of COMMUNITY_EVENTS' languages (English unless overridden)."""
    Pelican(_settings(content, output, today, **overrides)).run()
    return BuiltSite(output)


def run_all_languages(
    content: Path, output: Path, languages: dict[str, str], translations: Path, today: str = TEST_TODAY, **overrides
) -> dict[str, BuiltSite]:
    """Build the site in every language, as tasks.py does: the first at the root of ``output``, each other
    under ``output/<code>/``, with the catalogues in ``translations``. The built sites, by language code."""
    options = {
        **overrides.pop("COMMUNITY_EVENTS", {}),
        "today": today,
        "languages": languages,
        "translations_path": str(translations),
    }
    settings = _settings(content, output, today, COMMUNITY_EVENTS=options, **overrides)
    for language_settings in languages_module.site_settings(settings):
        Pelican(language_settings).run()
    first = next(iter(languages))
    return {code: BuiltSite(output if code == first else output / code) for code in languages}


def write_files(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


MINIMAL_PAGES = {
    "pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    "pages/join.md": "---\ntitle: Join\n---\nJoin us.\n",
}


@pytest.fixture
def build_site(tmp_path):
    """Build a site from a dict of content files; returns a BuiltSite."""

    def build(files: dict[str, str], today: str = TEST_TODAY, **overrides) -> BuiltSite:
        content = tmp_path / "content"
        write_files(content, {**MINIMAL_PAGES, **files})
        return run_pelican(content, tmp_path / "output", today=today, **overrides)

    return build


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The group's real content, built once with a fixed "today"."""
    base = tmp_path_factory.mktemp("real-site")
    return run_pelican(ROOT / "content", base / "output", today=TEST_TODAY)
