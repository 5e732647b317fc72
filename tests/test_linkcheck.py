"""The check of a built site before it is published: links into the site lead to files, feeds are well formed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from community_events.linkcheck import check_site, lint_ics, main
from conftest import ROOT, TEST_TODAY, run_pelican

SITE = "https://example.org"
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a@example.org\r\nDTSTAMP:20240101T000000Z\r\nURL:https://example.org/events/a/\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def _site(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def _messages(output: Path, siteurl: str = SITE) -> list[str]:
    return [str(problem) for problem in check_site(output, siteurl)]


@pytest.mark.parametrize(
    "settings",
    [{}, {"SITEURL": "https://example.org/sub", "FEED_DOMAIN": "https://example.org/sub"}],
    ids=["root-relative", "under-a-path"],
)
def test_the_real_site_has_no_broken_link_and_well_formed_feeds(tmp_path, settings):
    site = run_pelican(ROOT / "content", tmp_path / "output", today=TEST_TODAY, **settings)
    assert list(site.output.rglob("*.ics")) and list(site.output.rglob("*.html"))
    assert check_site(site.output, settings.get("SITEURL", "")) == []


def test_links_that_lead_nowhere_are_named_with_their_file_and_line(tmp_path):
    output = _site(
        tmp_path / "output",
        {
            "index.html": (
                '<!doctype html>\n<a href="#main">skip</a><main id="main">\n'
                '<a href="https://example.org/events/">events</a>\n'  # a folder with index.html
                '<a href="/events/a/">a</a>\n'  # root-relative
                '<a href="events/a">a, without the slash</a>\n'  # relative; a folder
                '<a href="https://example.org/missing/">missing</a>\n'  # line 6
                '<a href="https://example.org/events/a/#nowhere">no id</a>\n'  # line 7
                '<a href="https://example.org/events/a/#agenda">has id</a>\n'
                # line 9
                '<img src="https://example.org/theme/x.png" srcset="/theme/x.png 1x, /theme/big.png 2x" alt="">\n'
                '<a href="https://other.example/missing/">another site</a> <a href="mailto:a@example.org">mail</a>\n'
                '<a href="webcal://example.org/calendar.ics">subscribe</a> '  # line 11
                '<a href="webcal://example.org/gone.ics">gone</a>\n'
                '<a href="../../../etc/passwd">out</a>\n'  # line 12
                '<a href="/events/a/index.html?x=1&amp;y=2">query</a>\n'
                '<script src="/theme/js/gone.js"></script>\n'  # line 14
            ),
            "events/index.html": "<p>events</p>",
            "events/a/index.html": (
                '<h2 id="agenda">Agenda</h2><a href="../">up</a> <a href="../../index.html#main">home</a>'
            ),
            "theme/x.png": b"png",
            "calendar.ics": CALENDAR,
            "sitemap.xml": (
                '<?xml version="1.0"?>\n<urlset>\n<url><loc>https://example.org/events/a/</loc></url>\n'
                "<url><loc>https://example.org/old/</loc></url>\n</urlset>\n"
            ),
            "stories/feed.atom": '<feed>\n<link href="https://example.org/stories/gone/" rel="alternate"/>\n</feed>\n',
        },
    )
    assert _messages(output) == [
        'output/index.html:6: the link "https://example.org/missing/" leads to missing/index.html, '
        "which is not in output/",
        'output/index.html:7: the link "https://example.org/events/a/#nowhere" leads to #nowhere, '
        "which is not an id in events/a/index.html",
        'output/index.html:9: the link "/theme/big.png" leads to theme/big.png, which is not in output/',
        'output/index.html:11: the link "webcal://example.org/gone.ics" leads to gone.ics, which is not in output/',
        'output/index.html:12: the link "../../../etc/passwd" leads out of the site',
        'output/index.html:14: the link "/theme/js/gone.js" leads to theme/js/gone.js, which is not in output/',
        'output/sitemap.xml:4: the link "https://example.org/old/" leads to old/index.html, which is not in output/',
        'output/stories/feed.atom:2: the link "https://example.org/stories/gone/" leads to stories/gone/index.html, '
        "which is not in output/",
    ]


def test_a_site_under_a_path_checks_links_against_that_path(tmp_path):
    output = _site(
        tmp_path / "output",
        {
            "index.html": (
                '<a href="https://example.org/sub/about/">ok</a>\n<a href="/sub/about/">ok</a>\n'
                '<a href="/about/">outside</a>\n<a href="https://example.org/subway/">outside</a>\n'
            ),
            "about/index.html": "<p>about</p>",
        },
    )
    assert _messages(output, "https://example.org/sub/") == [
        'output/index.html:3: the link "/about/" leads out of the site',
        'output/index.html:4: the link "https://example.org/subway/" leads out of the site',
    ]


def test_calendar_links_into_the_site_are_checked(tmp_path):
    output = _site(
        tmp_path / "output", {"events/a/index.html": "<p>a</p>", "a.ics": CALENDAR.replace("/events/a/", "/events/b/")}
    )
    assert _messages(output) == [
        'output/a.ics:7: the link "https://example.org/events/b/" leads to events/b/index.html, which is not in output/'
    ]


def test_a_wrong_site_address_is_not_a_silent_pass(tmp_path):
    output = _site(tmp_path / "output", {"index.html": '<a href="https://example.org/a/">a</a>', "a/index.html": "a"})
    assert _messages(output, "https://example.org") == []
    assert _messages(output, "https://elsewhere.example") == [
        "output:0: no link leads into the site at https://elsewhere.example; "
        "is SITEURL the address the site was built for?"
    ]


def test_well_formed_calendars_pass():
    assert lint_ics("a.ics", CALENDAR.encode()) == []
    folded = CALENDAR.replace(
        "PRODID:-//test//EN\r\n",
        "PRODID:-//" + "x" * 65 + "\r\n y//EN\r\nDESCRIPTION:caf\xe9 " + "\xe9" * 28 + "\r\n\t" + "\xe9" * 10 + "\r\n",
    )
    assert lint_ics("a.ics", folded.encode()) == []


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (CALENDAR.replace("\r\n", "\n"), "a line ends with a bare CR or LF instead of CRLF"),
        (CALENDAR.replace("VERSION:2.0\r\n", "VERSION:2.0\n"), "2: a line ends with a bare CR or LF"),
        (CALENDAR.replace("VERSION:2.0\r\n", "VERSION:2.0\r"), "2: a line ends with a bare CR or LF"),
        (CALENDAR[:-2], "the file does not end with CRLF"),
        (
            CALENDAR.replace("PRODID:-//test//EN", "PRODID:-//" + "x" * 70),
            "3: the line is 80 octets long; fold it at 75",
        ),
        (CALENDAR.replace("UID:a@example.org", "UID:a\x07b"), "5: the line has the control character \\x07"),
        (CALENDAR.replace("UID:a@example.org", "UID:a\x7fb"), "5: the line has the control character \\x7f"),
        (CALENDAR.replace("END:VEVENT\r\n", ""), "8: END:VCALENDAR closes BEGIN:VEVENT of line 4"),
        (CALENDAR.replace("END:VCALENDAR\r\n", ""), "1: BEGIN:VCALENDAR is never ended"),
        (CALENDAR.replace("END:VEVENT", "END:VTODO"), "8: END:VTODO closes BEGIN:VEVENT of line 4"),
        (CALENDAR.replace("BEGIN:VEVENT\r\n", ""), "7: END:VEVENT closes BEGIN:VCALENDAR of line 1"),
        (CALENDAR + "END:VCALENDAR\r\n", "10: END:VCALENDAR has no BEGIN"),
        (CALENDAR + "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "10: BEGIN:VCALENDAR comes after the calendar ended"),
        (CALENDAR + "X-AFTER:1\r\n", "10: X-AFTER is outside a VCALENDAR"),
        (CALENDAR.replace("UID:a@example.org\r\n", ""), "4: VEVENT has no UID"),
        (CALENDAR.replace("VERSION:2.0\r\nPRODID:-//test//EN\r\n", ""), "1: VCALENDAR has no VERSION or PRODID"),
        (CALENDAR.replace("UID:a@example.org", "UID a@example.org"), '5: "UID a@example.org" is not a content line'),
        (CALENDAR.replace("UID:a@example.org", 'UID;X-P="open:a@example.org'), "is not a content line"),
        (CALENDAR.replace("VERSION:2.0\r\n", "VERSION:2.0\r\n\r\n"), "3: the line is empty"),
        (" " + CALENDAR, "1: the file starts with a continuation line"),
        ("BEGIN:VTODO\r\nEND:VTODO\r\n", "the file has no VCALENDAR"),
    ],
)
def test_malformed_calendars_are_named_by_line(broken, expected):
    messages = [str(problem) for problem in lint_ics("a.ics", broken.encode("utf-8"))]
    assert any(expected in message for message in messages), messages


def test_a_fold_inside_a_utf8_character_is_refused():
    text = "SUMMARY:" + "\xe9" * 40
    data = text.encode("utf-8")
    folded = data[:75] + b"\r\n " + data[75:]  # byte 75 is inside a two-byte character
    broken = CALENDAR.encode().replace(b"UID:a@example.org\r\n", b"UID:a@example.org\r\n" + folded + b"\r\n")
    assert [str(problem) for problem in lint_ics("a.ics", broken)] == [
        "a.ics:6: the line is not UTF-8 on its own (folded inside a character?)",
        "a.ics:7: the line is not UTF-8 on its own (folded inside a character?)",
    ]


def test_the_command_fails_with_annotations_and_passes_on_a_good_site(tmp_path, capsys):
    output = _site(
        tmp_path / "out,put",
        {"index.html": '<a href="https://example.org/a:b/100%25">x</a>', "x.ics": "BEGIN:VCALENDAR\nEND:VCALENDAR\n"},
    )
    assert main([str(output), "--siteurl", SITE, "--format", "github"]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert (
        printed[0] == "::error file=out%2Cput/index.html,line=1,title=Built site::"
        'the link "https://example.org/a:b/100%2525" leads to a:b/100%25, which is not in out,put/'
    )
    assert all(line.startswith("::error file=out%2Cput/x.ics,") for line in printed[1:-1]) and "%0A" not in "".join(
        printed
    )
    assert printed[-1].endswith(": 6 problems.")
    (output / "x.ics").write_text(CALENDAR.replace("https://example.org/events/a/", "https://example.org/"), newline="")
    (output / "index.html").write_text('<a href="https://example.org/">home</a>')
    assert main([str(output), "--siteurl", SITE]) == 0
    assert capsys.readouterr().out.endswith("for https://example.org: no problems.\n")


def test_the_command_reads_the_address_from_the_settings_and_runs_as_a_script(tmp_path):
    _site(tmp_path / "output", {"index.html": '<a href="https://pages.example/x/">x</a>', "x/index.html": "x"})
    (tmp_path / "pelicanconf.py").write_text('SITEURL = ""\n')
    (tmp_path / "publishconf.py").write_text(
        'import os\nfrom pelicanconf import *\nSITEURL = os.environ.get("SITEURL", "https://pages.example")\n'
    )
    script = [sys.executable, str(ROOT / "plugins/community_events/linkcheck.py"), "output"]
    done = subprocess.run(script, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and "for https://pages.example: no problems" in done.stdout, done.stdout + done.stderr
    done = subprocess.run(
        script, cwd=tmp_path, capture_output=True, text=True, env={"SITEURL": "https://other.example", "PATH": ""}
    )
    assert done.returncode == 1 and "no link leads into the site at https://other.example" in done.stdout, (
        done.stdout + done.stderr
    )
