"""An issue made with the "Propose an event" form becomes an event file, or one sentence per answer to correct.

Bodies are written as GitHub writes them for this form: "### <label>", a blank line, the answer
("_No response_" when empty), a blank line; the labels are read from the form itself.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from community_events import model, proposal, scaffold
from community_events.proposal import FIELDS, convert
from conftest import ROOT

FORM = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/propose-an-event.yml").read_text(encoding="utf-8"))
QUESTIONS = [item for item in FORM["body"] if item["type"] != "markdown"]
MARKDOWN = runpy.run_path(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
SERIES = frozenset({"ai-salon"})


def form_body(newline: str = "\n", **answers: str) -> str:
    """The issue body GitHub writes for this form, from answers by question id."""
    unknown = set(answers) - {question["id"] for question in QUESTIONS}
    assert not unknown, unknown
    sections = [
        f"### {question['attributes']['label']}{newline}{newline}{answers.get(question['id']) or '_No response_'}"
        for question in QUESTIONS
    ]
    return (newline * 2).join(sections)


def _convert(body: str):
    return convert(body, series=SERIES, markdown_options=MARKDOWN)


def _front_matter(text: str) -> dict:
    head = text.split("\n---\n", 1)[0].removeprefix("---\n")
    return yaml.safe_load(head)


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def test_the_parser_knows_the_forms_questions_in_the_forms_order():
    assert [(field.id, field.label) for field in FIELDS] == [(q["id"], q["attributes"]["label"]) for q in QUESTIONS]
    assert [field.required for field in FIELDS] == [q.get("validations", {}).get("required", False) for q in QUESTIONS]
    assert [field.multiline for field in FIELDS] == [q["type"] == "textarea" for q in QUESTIONS]
    assert FORM["labels"] == ["event"]


# Real-shaped issues: each becomes a file named by convention that the build reads as proposed.

REAL = {
    "online, with everything": (
        dict(
            title="Wikidata office hours",
            start="2025-05-31 14:00",
            timezone="Europe/Paris",
            duration="1 hour",
            platform="Zoom",
            join="https://zoom.us/j/1234567890?pwd=abc",
            registration="https://example.org/sign-up",
            summary="Bring your Wikidata questions.",
            hosts="A. Librarian, B. Librarian",
            details="Open to everyone.\n\n- Introductions\n- Your questions\n- Next steps",
        ),
        "2025-05-31-wikidata-office-hours.md",
        {
            "title": "Wikidata office hours",
            "status": "scheduled",
            "summary": "Bring your Wikidata questions.",
            "hosts": ["A. Librarian", "B. Librarian"],
            "registration": "https://example.org/sign-up",
            "sessions": [
                {
                    "start": "2025-05-31 14:00",
                    "timezone": "Europe/Paris",
                    "duration": "1 hour",
                    "platform": "Zoom",
                    "join": "https://zoom.us/j/1234567890?pwd=abc",
                }
            ],
        },
    ),
    "a date without a time yet": (
        dict(title="Edit-a-thon at the city library", start="2025-06-10", place="City Library, Room 2"),
        "2025-06-10-edit-a-thon-at-the-city.md",
        {
            "title": "Edit-a-thon at the city library",
            "status": "scheduled",
            "sessions": [{"start": "2025-06-10", "place": "City Library, Room 2"}],
        },
    ),
    "several days in person": (
        dict(title="Wikidata Leveling Up Days", start="2025-04-05", end="2025-04-07", place="Online and in Berlin"),
        "2025-04-05-wikidata-leveling-up-days.md",
        {
            "title": "Wikidata Leveling Up Days",
            "status": "scheduled",
            "sessions": [{"start": "2025-04-05", "end": "2025-04-07", "place": "Online and in Berlin"}],
        },
    ),
    "only the month": (
        dict(title="#1Lib1Ref spring campaign", start="2026-05"),
        "2026-05-1lib1ref-spring-campaign.md",
        {"title": "#1Lib1Ref spring campaign", "status": "scheduled", "sessions": [{"start": "2026-05"}]},
    ),
    "an end time instead of how long": (
        dict(
            title="Global meetup",
            start="2025-09-17 21:00",
            timezone="America/Los_Angeles",
            end="22:30",
            platform="Google Meet",
            join="https://meet.google.com/abc-defg-hij",
        ),
        "2025-09-17-global-meetup.md",
        {
            "title": "Global meetup",
            "status": "scheduled",
            "sessions": [
                {
                    "start": "2025-09-17 21:00",
                    "timezone": "America/Los_Angeles",
                    "end": "22:30",
                    "platform": "Google Meet",
                    "join": "https://meet.google.com/abc-defg-hij",
                }
            ],
        },
    ),
    "in a series": (
        dict(
            title="AI Salon: Wikidata and large language models",
            start="2025-10-23 10:00",
            timezone="America/New_York",
            duration="90 minutes",
            series="ai-salon",
            platform="Zoom",
        ),
        "2025-10-23-ai-salon-wikidata-and-large-language.md",
        {
            "title": "AI Salon: Wikidata and large language models",
            "series": "ai-salon",
            "status": "scheduled",
            "sessions": [
                {
                    "start": "2025-10-23 10:00",
                    "timezone": "America/New_York",
                    "duration": "90 minutes",
                    "platform": "Zoom",
                }
            ],
        },
    ),
    "accents in the title": (
        dict(
            title="Édition Wikipédia à Montréal",
            start="2025-03-08 13:00",
            timezone="America/Toronto",
            duration="3 hours",
            place="Grande Bibliothèque",
        ),
        "2025-03-08-edition-wikipedia-a-montreal.md",
        {
            "title": "Édition Wikipédia à Montréal",
            "status": "scheduled",
            "sessions": [
                {
                    "start": "2025-03-08 13:00",
                    "timezone": "America/Toronto",
                    "duration": "3 hours",
                    "place": "Grande Bibliothèque",
                }
            ],
        },
    ),
    "a title YAML would misread": (
        dict(
            title='#1Lib1Ref 2025: "kick-off" call',
            start="2025-01-15 15:00",
            timezone="UTC",
            duration="1h30m",
            summary="Why: #1Lib1Ref turns 10.",
        ),
        "2025-01-15-1lib1ref-2025-kick-off-call.md",
        {
            "title": '#1Lib1Ref 2025: "kick-off" call',
            "status": "scheduled",
            "summary": "Why: #1Lib1Ref turns 10.",
            "sessions": [{"start": "2025-01-15 15:00", "timezone": "UTC", "duration": "1h30m"}],
        },
    ),
    "hybrid, with a sign-up link": (
        dict(
            title="Libraries and Commons workshop",
            start="2025-11-20 09:30",
            timezone="Africa/Nairobi",
            duration="2 hours",
            platform="Jitsi",
            join="https://meet.jit.si/libraries-commons",
            place="Kenya National Library Service, Nairobi",
            registration="https://forms.example.org/commons",
        ),
        "2025-11-20-libraries-and-commons-workshop.md",
        {
            "title": "Libraries and Commons workshop",
            "status": "scheduled",
            "registration": "https://forms.example.org/commons",
            "sessions": [
                {
                    "start": "2025-11-20 09:30",
                    "timezone": "Africa/Nairobi",
                    "duration": "2 hours",
                    "platform": "Jitsi",
                    "join": "https://meet.jit.si/libraries-commons",
                    "place": "Kenya National Library Service, Nairobi",
                }
            ],
        },
    ),
    "a Markdown agenda": (
        dict(
            title="Structured data on Commons",
            start="2025-07-02 16:00",
            timezone="Asia/Kolkata",
            duration="1 hour",
            details="## Agenda\n\n| Time | What |\n| --- | --- |\n| 16:00 | Welcome |\n"
            "| 16:10 | [Demo](https://commons.wikimedia.org/) |\n\n**Bring** a laptop.",
        ),
        "2025-07-02-structured-data-on-commons.md",
        {
            "title": "Structured data on Commons",
            "status": "scheduled",
            "sessions": [{"start": "2025-07-02 16:00", "timezone": "Asia/Kolkata", "duration": "1 hour"}],
        },
    ),
    "only the required answers": (
        dict(title="Wikipedia Day", start="2026-01-15"),
        "2026-01-15-wikipedia-day.md",
        {"title": "Wikipedia Day", "status": "scheduled", "sessions": [{"start": "2026-01-15"}]},
    ),
    "spaces around the answers": (
        dict(
            title="  Office hours  ",
            start=" 2025-05-26 11:00 ",
            timezone=" Australia/Sydney ",
            duration="45 minutes ",
            platform="Zoom",
        ),
        "2025-05-26-office-hours.md",
        {
            "title": "Office hours",
            "status": "scheduled",
            "sessions": [
                {
                    "start": "2025-05-26 11:00",
                    "timezone": "Australia/Sydney",
                    "duration": "45 minutes",
                    "platform": "Zoom",
                }
            ],
        },
    ),
}


@pytest.mark.parametrize("case", REAL, ids=list(REAL))
def test_real_issues_become_event_files(case):
    answers, name, fields = REAL[case]
    result = _convert(form_body(**answers))
    assert isinstance(result, tuple), result
    assert result[0] == name
    assert _front_matter(result[1]) == fields
    model.parse_file(f"content/events/{name}", result[1].encode("utf-8"), "events")


def test_the_answers_reach_the_file_as_new_event_passes_its_flags():
    answers = REAL["online, with everything"][0]
    flags = {
        name: answers.get(name, "")
        for name in (
            "title",
            "start",
            "timezone",
            "duration",
            "end",
            "platform",
            "join",
            "place",
            "series",
            "summary",
            "registration",
        )
    }
    name, text = scaffold.event_file(status="scheduled", hosts=("A. Librarian", "B. Librarian"), **flags)
    result = _convert(form_body(**answers))
    assert result[0] == name
    assert _front_matter(result[1]) == _front_matter(text)


def test_the_agenda_is_the_page_text_and_an_empty_one_leaves_none():
    _, text = _convert(form_body(**REAL["online, with everything"][0]))
    assert _body(text) == "Open to everyone.\n\n- Introductions\n- Your questions\n- Next steps\n"
    _, text = _convert(form_body(**REAL["only the required answers"][0]))
    assert _body(text) == ""


def test_a_body_as_a_browser_sends_it_with_crlf_reads_the_same():
    answers = REAL["a Markdown agenda"][0]
    crlf = form_body("\r\n", **{**answers, "details": answers["details"].replace("\n", "\r\n")})
    assert _convert(crlf) == _convert(form_body(**answers))
    assert "\r" not in _convert(crlf)[1]
    assert _convert(form_body(**answers) + "\n") == _convert(form_body(**answers))  # with or without a last newline


def test_the_files_build_into_the_site(build_site):
    files = {"series/ai-salon.md": "---\ntitle: AI Salons\n---\n"}
    for answers, _, _ in REAL.values():
        name, text = _convert(form_body(**answers))
        files[f"events/{name}"] = text
    site = build_site(files)
    page = site.html("events/2025-07-02-structured-data-on-commons/")
    assert page.find("table") is not None and page.find("h1").get_text() == "Structured data on Commons"
    assert (
        site.html("events/2025-01-15-1lib1ref-2025-kick-off-call/").find("h1").get_text()
        == '#1Lib1Ref 2025: "kick-off" call'
    )


# Mistakes: one sentence each, naming the question and the fix, in the form's order.


@pytest.mark.parametrize(
    ("answers", "sentence"),
    [
        (
            dict(title="Meetup", start="2025-05-31 14:00", timezone="Sydney"),
            '"Time zone": "Sydney" is not a time zone name; use "Australia/Sydney"',
        ),
        (
            dict(title="Meetup", start="2025-05-31 14:00", timezone="Mars/Olympus_Mons"),
            '"Time zone": "Mars/Olympus_Mons" is not a time zone name; use a place-based name',
        ),
        (
            dict(title="Meetup", start="2025-05-31 14:00", timezone="EST"),
            '"Time zone": "EST" is not a time zone name; use "America/New_York"',
        ),
        (
            dict(title="Meetup", start="2025-05-31 14:00"),
            '"Time zone": is needed because the start has a time; give the organisers\' time zone',
        ),
        (dict(title="Meetup", start="31/05/2025"), '"Start": "31/05/2025" is not a date; write dates as YYYY-MM-DD'),
        (dict(title="Meetup", start="2025-05-31 2pm", timezone="UTC"), '"Start": "2025-05-31 2pm" is not a date'),
        (
            dict(title="Meetup", start="2025-05-31 14:00", timezone="UTC", duration="forever"),
            '"How long": "forever" is not a duration',
        ),
        (
            dict(title="Meetup", start="2025-05-31 14:00", timezone="UTC", duration="1 hour", end="15:00"),
            '"How long": is given together with an end; keep either end or duration',
        ),
        (
            dict(title="Meetup", start="2025-05-31 14:00", timezone="UTC", end="13:00"),
            '"End": "13:00" is not after the start',
        ),
        (
            dict(title="Meetup", start="2025-05-31", series="no-such-series"),
            '"Series": there is no series "no-such-series" in content/series/',
        ),
        (
            dict(title="Meetup", start="2025-05-31", registration="www.example.org/sign-up"),
            '"Sign-up link": "www.example.org/sign-up" is not a web link',
        ),
        (dict(start="2025-05-31"), '"Title": is required; edit the issue and fill it in'),
    ],
)
def test_a_mistake_is_one_sentence_naming_the_question(answers, sentence):
    result = _convert(form_body(**answers))
    assert isinstance(result, list) and len(result) == 1, result
    assert result[0].startswith(sentence), result
    assert "\n" not in result[0] and "content/events" not in result[0]


def test_every_mistake_is_named_at_once_in_the_forms_order():
    answers = dict(
        title="Meetup",
        start="2025-05-31 14:00",
        timezone="EST",
        duration="forever",
        join="javascript:alert(1)",
        registration="ftp://x",
        series="nope",
    )
    result = _convert(form_body(**answers))
    assert [sentence.split(":", 1)[0] for sentence in result] == [
        '"Time zone"',
        '"How long"',
        '"Link to join"',
        '"Sign-up link"',
        '"Series"',
    ]


def test_the_comment_lists_the_sentences_where_nothing_is_rendered():
    result = _convert(form_body(title="Meetup", start="2025-05-31 14:00", timezone="@octocat ```EST```"))
    text = proposal.comment(result)
    fence = "````"  # longer than any run of backticks in the sentences
    assert f"\n{fence}text\n" in text and text.count(fence) == 2
    assert "@octocat" in text.split(fence)[1]  # inside the code block: no mention, no Markdown
    made = proposal.comment(("2025-05-31-meetup.md", "…"))
    assert "`content/events/2025-05-31-meetup.md`" in made and "```" not in made


# Hostile issues: the body is data. Each is refused with a sentence or becomes a harmless file.


def test_a_form_heading_typed_into_an_answer_is_refused():
    answers = dict(
        title="Real title",
        start="2025-05-31",
        details="Agenda\n\n### Title\n\nInjected title\n\n### Start\n\n1999-01-01",
    )
    result = _convert(form_body(**answers))
    assert result == [
        '"Title": the heading "### Title" appears more than once in the issue; it is the form\'s own heading: '
        "edit the issue and take it out of your answers"
    ]


def test_extra_headings_are_refused_in_a_one_line_answer_and_kept_as_text_in_the_agenda():
    body = form_body(title="Meetup", start="2025-05-31").replace("### Start", "### status\n\ncancelled\n\n### Start")
    assert _convert(body) == [
        '"Title": must be one line; edit the issue and put the answer on one line, with nothing else under the question'
    ]
    name, text = _convert(
        form_body(
            title="Meetup", start="2025-05-31", details="Intro\n\n### Notes\n\n---\ntitle: evil\nstatus: cancelled\n---"
        )
    )
    assert _front_matter(text) == {"title": "Meetup", "status": "scheduled", "sessions": [{"start": "2025-05-31"}]}
    assert _body(text) == "Intro\n\n### Notes\n\n---\ntitle: evil\nstatus: cancelled\n---\n"
    assert model.parse_file(f"content/events/{name}", text.encode(), "events").item.title == "Meetup"


def test_text_before_the_first_question_is_refused():
    result = _convert("Please add this!\n\n" + form_body(title="Meetup", start="2025-05-31"))
    assert result == [
        "The form: the issue has text before the first question; "
        'edit the issue so that it starts with "### Title", as the form wrote it, or open a new issue with the form'
    ]
    assert _convert("just some text") == [
        'The form: the issue has none of the form\'s questions; open a new issue with the "Propose an event" form'
    ]
    assert _convert("") == _convert("just some text")


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\u2028", "\x85"])
def test_a_line_break_in_a_one_line_answer_is_refused(line_break):
    result = _convert(form_body(title=f"Meetup{line_break}status: cancelled", start="2025-05-31"))
    assert isinstance(result, list) and len(result) == 1 and result[0].startswith('"Title": '), result
    assert "\r" not in result[0] and "\u2028" not in result[0] and "\x85" not in result[0]


@pytest.mark.parametrize(
    "title",
    [
        '": #',
        '"quoted": #hash',
        "---",
        "--- \n",
        "title: x\n---",
        "'single' & <b>bold</b>?",
        "{a: [1, 2]}",
        "*alias &anchor !!python/object",
    ],
)
def test_a_title_that_would_break_yaml_is_written_exactly_or_refused(title):
    result = _convert(form_body(title=title, start="2025-05-31"))
    if isinstance(result, list):
        assert len(result) == 1 and result[0].startswith('"Title": '), result
        return
    name, text = result
    assert _front_matter(text)["title"] == title.strip()
    assert model.parse_file(f"content/events/{name}", text.encode(), "events").item.title == title.strip()


def test_enormous_answers_are_refused_quickly():
    body = form_body(title="x" * (1024 * 1024), start="2025-05-31")
    too_long = [
        "The form: the issue text is longer than GitHub allows an issue (65,536 characters); "
        "open a new issue with the form and keep the agenda short"
    ]
    assert _convert(body) == too_long
    assert _convert(form_body(title="Meetup", start="2025-05-31", details="x" * 65_536)) == too_long
    result = _convert(form_body(title="word " * 1000, start="2025-05-31"))
    assert result == ['"Title": is 4,999 characters long, more than the 200 it may have; shorten it']
    assert _convert(form_body(title="x" * 150, start="2025-05-31")) == [
        '"Title": makes a file name that is too long; use fewer or shorter words'
    ]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "https://example.org/a b",
        "//evil.example/x",
    ],
)
def test_a_link_that_is_not_a_web_link_is_refused(link):
    result = _convert(form_body(title="Meetup", start="2025-05-31 14:00", timezone="UTC", join=link))
    assert len(result) == 1 and result[0].startswith('"Link to join": '), result


@pytest.mark.parametrize(
    ("details", "words"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ("[click](javascript:alert(1))", '"javascript:" link'),
        ("<img src=x onerror=alert(1)>", "on"),
        ("![me]({static}/images/secret.png)", "link into the site"),
        ("[x]({attach}../../tasks.py)", "link into the site"),
    ],
)
def test_an_agenda_the_allowlist_would_change_is_refused(details, words):
    result = _convert(form_body(title="Meetup", start="2025-05-31", details=details))
    assert len(result) == 1 and result[0].startswith('"Agenda and details": ') and words in result[0], result


def test_html_in_a_field_is_refused():
    assert _convert(form_body(title="<script>alert(1)</script>", start="2025-05-31")) == [
        '"Title": contains HTML ("<script"); write plain text; the site adds the formatting'
    ]


@pytest.mark.parametrize(
    "title",
    ["../../calendar", "../../../etc/passwd", "/etc/passwd", "..\\..\\windows", "content/events/../../tasks.py", "."],
)
def test_a_title_like_a_path_gives_a_plain_file_name(title):
    name, _ = _convert(form_body(title=title, start="2025-05-31"))
    assert proposal.FILE_NAME.fullmatch(name) and "/" not in name and ".." not in name


@pytest.mark.parametrize("character", ["\x00", "\x1b[31m", "\x07", "\x9b", "\u2029"])
def test_control_characters_are_refused_and_never_echoed(character):
    result = _convert(form_body(title="Meetup", start="2025-05-31", summary=f"A{character}B"))
    assert len(result) == 1 and result[0].startswith('"Summary": contains an invisible control character'), result
    assert not any(char in result[0] for char in "\x00\x1b\x07\x9b\u2029")


# The command the workflow runs.


def _run(tmp_path: Path, body: str | bytes, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True, exist_ok=True)
    (content / "series").mkdir(exist_ok=True)
    (content / "series" / "ai-salon.md").write_text("---\ntitle: AI Salons\n---\n")
    body_file = tmp_path / "body.md"
    body_file.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    command = [
        sys.executable,
        "-m",
        "community_events.proposal",
        "--body-file",
        str(body_file),
        "--out-dir",
        "content/events",
        "--comment-file",
        str(tmp_path / "answer" / "comment.md"),
        "--outputs-file",
        str(tmp_path / "outputs"),
        "--settings",
        str(ROOT / "pelicanconf.py"),
        *extra,
    ]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True), tmp_path


def test_the_command_writes_the_file_the_comment_and_the_outputs(tmp_path):
    answers = REAL["in a series"][0]
    done, folder = _run(tmp_path, form_body("\r\n", **answers))
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout == "Wrote content/events/2025-10-23-ai-salon-wikidata-and-large-language.md.\n"
        and done.stderr == ""
    )
    written = folder / "content/events/2025-10-23-ai-salon-wikidata-and-large-language.md"
    assert written.read_text() == _convert(form_body(**answers))[1]
    assert (folder / "outputs").read_text() == "status=made\nfile=2025-10-23-ai-salon-wikidata-and-large-language.md\n"
    assert (
        "`content/events/2025-10-23-ai-salon-wikidata-and-large-language.md`"
        in (folder / "answer/comment.md").read_text()
    )


def test_the_command_answers_a_form_with_mistakes_and_writes_nothing(tmp_path):
    done, folder = _run(
        tmp_path,
        form_body(
            title="::set-output name=status::made", start="2025-05-31 14:00", timezone="EST", join="javascript:alert(1)"
        ),
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"Not written: the form has 2 answers to correct; the reply is in {folder / 'answer/comment.md'}.\n"
    )
    assert list((folder / "content/events").iterdir()) == []
    assert (folder / "outputs").read_text() == "status=refused\nfile=\n"
    answer = (folder / "answer/comment.md").read_text()
    assert (
        '"Time zone": "EST" is not a time zone name' in answer
        and '"Link to join": "javascript:alert(1)" is not a web link' in answer
    )


def test_the_command_never_writes_over_a_file_or_through_a_link(tmp_path):
    body = form_body(title="Wikipedia Day", start="2026-01-15")
    (tmp_path / "content/events").mkdir(parents=True)
    (tmp_path / "content/events/2026-01-15-wikipedia-day.md").write_text("the existing event")
    done, folder = _run(tmp_path, body)
    assert done.returncode == 0 and (folder / "outputs").read_text() == "status=refused\nfile=\n"
    assert (folder / "content/events/2026-01-15-wikipedia-day.md").read_text() == "the existing event"
    assert "already exists" in (folder / "answer/comment.md").read_text()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = tmp_path / "other"
    other.mkdir()
    (other / "content").mkdir()
    (other / "content" / "events").symlink_to(elsewhere)
    done, _ = _run(other, body)
    assert done.returncode != 0 and list(elsewhere.iterdir()) == []
    assert not (other / "outputs").exists() or "status=made" not in (other / "outputs").read_text()


def test_the_command_refuses_a_body_that_is_not_utf8(tmp_path):
    done, folder = _run(tmp_path, b"### Title\n\n\xff\xfe\n")
    assert done.returncode == 0 and "the issue text is not UTF-8" in (folder / "answer/comment.md").read_text()


def test_characters_that_reorder_text_are_shown_as_escapes_in_a_sentence():
    result = _convert(form_body(title="Meetup", start="2025-05-31 14:00", timezone="\u202eTSE"))
    assert len(result) == 1 and "\\u202e" in result[0] and "\u202e" not in result[0], result


def test_an_agenda_with_old_mac_line_ends_reads_as_lines():
    _, text = _convert(form_body(title="Meetup", start="2025-05-31", details="- one\r- two"))
    assert _body(text) == "- one\n- two\n"


@pytest.mark.parametrize("name", ["../x.md", ".hidden.md", "x.md\nstatus=made", "X.md", "x.txt", "a/b.md", ""])
def test_only_a_plain_file_name_is_ever_written(tmp_path, name):
    with pytest.raises(ValueError):
        proposal._write_new(tmp_path, name, "text")
    assert list(tmp_path.iterdir()) == []


def test_an_issue_from_the_old_form_or_without_a_required_question_says_which_is_missing():
    old_form = (
        "### Title\n\nMeetup\n\n### Date and time\n\n2025-05-31 14:00\n\n"
        "### City whose clock that time is on\n\nNew York"
    )
    # The old questions are not headings here, so they are part of the title's answer.
    assert _convert(old_form) == [
        '"Title": must be one line; '
        "edit the issue and put the answer on one line, with nothing else under the question",
        '"Start": the question is missing from the issue; '
        'edit the issue and add the line "### Start" with your answer below it, '
        "or open a new issue with the form",
    ]
    without_title = form_body(title="Meetup", start="2025-05-31").replace("### Title\n\nMeetup\n\n", "")
    assert _convert(without_title)[0].startswith('"Title": the question is missing from the issue')


def test_a_heading_edited_with_trailing_spaces_is_still_the_question():
    body = form_body(title="Meetup", start="2025-05-31").replace("### Start\n", "### Start  \t\n")
    assert _convert(body)[0] == "2025-05-31-meetup.md"


def test_the_command_refuses_an_enormous_body_without_reading_it_all(tmp_path):
    done, folder = _run(tmp_path, form_body(title="Meetup", start="2025-05-31", details="\u00e9" * (1024 * 1024)))
    assert done.returncode == 0 and (folder / "outputs").read_text() == "status=refused\nfile=\n"
    assert "longer than GitHub allows an issue" in (folder / "answer/comment.md").read_text()
