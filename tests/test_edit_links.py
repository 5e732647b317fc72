"""Every page built from a content file links to that file on GitHub; the footer and the join page link the
repository."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from pelican.settings import read_settings

REPOSITORY = "https://github.com/example-group/example-group.github.io"
EDIT = f"{REPOSITORY}/edit/trunk/content"
SETTINGS = {"REPOSITORY_URL": REPOSITORY, "REPOSITORY_BRANCH": "trunk"}
SUGGEST = "Suggest a change to this page"

FILES = {
    # The event's "id" and the story's name differ from their file names: the link follows the file.
    "events/2024-05-31-talk.md": (
        "---\ntitle: Talk\nid: another-name\nseries: salons\n"
        "sessions:\n  - start: 2024-05-31 10:00\n    timezone: UTC\n---\nAgenda.\n"
    ),
    "series/salons.md": "---\ntitle: Salons\n---\nA series.\n",
    "stories/2024-01-01-a-story.md": (
        "---\ntitle: A story\nauthor: Someone\ndate: 2024-01-01\nsummary: One.\n---\nText.\n"
    ),
    "pages/campaign.md": "---\ntitle: Campaign\ntemplate: campaign\n---\nJoin the campaign.\n",
    "goals/1-first.md": "---\ntitle: First goal\norder: 2\nactions: [Do it]\n---\n",
    "goals/2-second.md": "---\ntitle: Second goal\norder: 1\n---\n",
}

PAGES_FROM_FILES = {
    "events/2024-05-31-talk/": "events/2024-05-31-talk.md",
    "events/series/salons/": "series/salons.md",
    "stories/a-story/": "stories/2024-01-01-a-story.md",
    "campaign/": "pages/campaign.md",
    "about/": "pages/about.md",
    "join/": "pages/join.md",
}
PAGES_OF_THE_SITE = ["", "events/", "stories/", "goals/", "404.html"]


@pytest.fixture
def site(build_site):
    return build_site(FILES, **SETTINGS)


def suggestions(soup) -> list:
    return [a for a in soup.select("main a") if a.get_text(strip=True) == SUGGEST]


@pytest.mark.parametrize("page", PAGES_FROM_FILES)
def test_a_page_built_from_a_file_links_to_that_file_on_github(site, page):
    (link,) = suggestions(site.html(page))
    assert link["href"] == f"{EDIT}/{PAGES_FROM_FILES[page]}"
    assert link["rel"] == ["noopener"] and not link.get("target")


@pytest.mark.parametrize("page", PAGES_OF_THE_SITE)
def test_a_page_of_the_site_itself_has_no_file_to_suggest_a_change_to(site, page):
    assert suggestions(site.html(page)) == []


def test_each_goal_links_its_own_file_beside_it(site):
    goals = site.html("goals/").select("section.goal")
    assert [goal["id"] for goal in goals] == ["2-second", "1-first"]  # by their order, not their file names
    for goal, path in zip(goals, ["goals/2-second.md", "goals/1-first.md"], strict=True):
        (link,) = goal.select(".edit-link a")
        assert link["href"] == f"{EDIT}/{path}" and link["rel"] == ["noopener"]
        title = goal.find("h2").get_text().split(". ", 1)[1]
        assert link.get_text() in link["aria-label"] and title in link["aria-label"]


@pytest.mark.parametrize("page", [*PAGES_FROM_FILES, *PAGES_OF_THE_SITE])
def test_the_footer_links_the_repository(site, page):
    footer = site.html(page).select_one("footer.site-footer")
    (link,) = footer.select(f'a[href="{REPOSITORY}"]')
    assert link["rel"] == ["noopener"]


def test_the_join_page_links_the_repository_and_its_contributing_guide(site):
    main = site.html("join/").find("main")
    assert main.select_one(f'a[href="{REPOSITORY}"]')["rel"] == ["noopener"]
    assert main.select_one(f'a[href="{REPOSITORY}/blob/trunk/CONTRIBUTING.md"]')["rel"] == ["noopener"]
    assert not site.html("about/").find("main").select(f'a[href="{REPOSITORY}"]')


def test_the_path_is_the_files_not_what_the_file_says(build_site):
    # A story's title, slug-like words and front matter never reach the link; only its file name does.
    story = "---\ntitle: ../../etc/passwd\nauthor: x/../../y\ndate: 2024-02-02\nsummary: s\n---\n[a](https://example.org/edit/main/x.md)\n"
    site = build_site({"stories/2024-02-02-path.md": story}, **SETTINGS)
    (link,) = suggestions(site.html("stories/path/"))
    assert link["href"] == f"{EDIT}/stories/2024-02-02-path.md"


def test_the_repository_is_the_one_github_pages_publishes(monkeypatch):
    """pelicanconf.py's repository is the owner/name that publishconf.py's GitHub Pages address implies."""
    monkeypatch.delenv("SITEURL", raising=False)
    monkeypatch.chdir(ROOT)
    local = read_settings(str(ROOT / "pelicanconf.py"))
    published = read_settings(str(ROOT / "publishconf.py"))
    host = urlsplit(published["SITEURL"]).hostname
    owner = host.removesuffix(".github.io")
    assert local["REPOSITORY_URL"] == published["REPOSITORY_URL"] == f"https://github.com/{owner}/{host}"
    assert local["REPOSITORY_BRANCH"] == "main" and local["REPOSITORY_CONTENT_PATH"] == "content"


def test_the_real_site_edits_its_files_on_main(real_site):
    repository = "https://github.com/wikimedia-libraries/wikimedia-libraries.github.io"
    (link,) = suggestions(real_site.html("events/2019-05-30-1lib1ref-hangout/"))
    assert link["href"] == f"{repository}/edit/main/content/events/2019-05-30-1lib1ref-hangout.md"
    pages = sorted(real_site.output.rglob("index.html"))
    with_links = [p for p in pages if suggestions(real_site.html(str(p.relative_to(real_site.output))))]
    # Nine events, one series, two stories and four pages; not the home, events, stories or goals pages.
    assert len(with_links) == 16
