"""Unit tests of the event model: session kinds and the errors contributors see."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from community_events.display import event_when, session_when
from community_events.errors import ContentError
from community_events.frontmatter import decode, split
from community_events.model import name_from_path, parse_event, parse_file, parse_goal
from community_events.options import load
from conftest import assert_clear_sentence

PATH = "content/events/2024-05-31-talk.md"
OPTIONS = load({"COMMUNITY_EVENTS": {"today": "2024-01-15"}})


def event_from(front_matter: str):
    doc = split(PATH, decode(PATH, f"---\n{front_matter.strip()}\n---\n".encode()))
    return parse_event(PATH, "talk", doc.fields)


def error_from(front_matter: str) -> str:
    with pytest.raises(ContentError) as caught:
        event_from(front_matter)
    return str(caught.value)


def one_session(**fields) -> str:
    lines = "\n".join(f"    {k}: {v}" for k, v in fields.items())
    return f"title: Talk\nsessions:\n  - {lines.strip()}"


def test_timed_session_with_duration():
    event = event_from(one_session(start="2024-05-31 10:00", duration="1h30m", timezone="Europe/Paris"))
    session = event.sessions[0]
    assert session.kind == "timed"
    assert session.start.isoformat() == "2024-05-31T10:00:00+02:00"
    assert session.end.isoformat() == "2024-05-31T11:30:00+02:00"


def test_end_as_clock_time_and_across_midnight():
    assert event_from(one_session(start="2024-05-31 10:00", end="11:15", timezone="UTC")).sessions[0].end.hour == 11
    late = event_from(one_session(start='"2024-05-31 23:30"', end='"2024-06-01 00:30"', timezone="UTC")).sessions[0]
    assert late.last_day() == date(2024, 6, 1)


def test_duration_across_a_daylight_saving_change_is_real_time():
    # New York springs forward at 02:00 on 10 March 2024: 01:00 + 2 hours is 04:00 on the wall clock.
    session = event_from(
        one_session(start="2024-03-10 01:00", duration="2 hours", timezone="America/New_York")
    ).sessions[0]
    assert session.end.strftime("%H:%M") == "04:00"


def test_non_contiguous_all_day_ranges():
    event = event_from(
        "title: Days\nsessions:\n  - start: 2024-04-05\n    end: 2024-04-07\n"
        "  - start: 2024-04-12\n    duration: 3 days"
    )
    assert [(s.kind, s.start, s.end) for s in event.sessions] == [
        ("days", date(2024, 4, 5), date(2024, 4, 7)),
        ("days", date(2024, 4, 12), date(2024, 4, 14)),
    ]
    assert event_when(event, OPTIONS) == "5–7 Apr 2024; 12–14 Apr 2024"


@pytest.mark.parametrize(
    ("start", "extra", "kind", "words"),
    [
        ("2024-03", "", "month", "March 2024, details to come"),
        ("2024", "", "year", "2024, dates to come"),
        ("unknown", "", "unknown", "Date not recorded"),
        ("2024-05-26", "\n    time_tba: true", "time_tba", "Sun, 26 May 2024, time to be announced"),
        ("2020-05-26", "\n    time_tba: true", "time_tba", "Tue, 26 May 2020, time not recorded"),
    ],
)
def test_partly_known_dates(start, extra, kind, words):
    session = event_from(f"title: T\nsessions:\n  - start: {start}{extra}").sessions[0]
    assert session.kind == kind
    assert not session.is_scheduled_exactly
    assert session_when(session, OPTIONS) == words


def test_upcoming_uses_the_last_day_and_month_precision():
    # A month is over once its last day has ended everywhere (12:00 UTC the next day), as states.py says.
    march = event_from("title: T\nsessions:\n  - start: 2024-03")
    assert march.is_upcoming(date(2024, 4, 1)) and not march.is_upcoming(date(2024, 4, 2))
    assert not event_from("title: T\nsessions:\n  - start: unknown").is_upcoming(date(1900, 1, 1))


@pytest.mark.parametrize(
    ("front_matter", "line", "words"),
    [
        (
            one_session(start="2024-05-31 10:00", timezone="EST"),
            5,
            'timezone "EST" is not a time zone name; use "America/New_York"',
        ),
        (one_session(start="2024-05-31 10:00", timezone="Sydney"), 5, '"Australia/Sydney"'),
        (one_session(start="2024-05-31 10:00", timezon="UTC"), 5, 'did you mean "timezone"?'),
        (one_session(start="2024-13-01"), 4, '"2024-13-01" is not a real date'),
        (one_session(start="31/05/2024"), 4, "YYYY-MM-DD"),
        (one_session(start="2024-05-31 25:00", timezone="UTC"), 4, "is not a real date or time"),
        (one_session(start="2024-05-31 10:00"), 4, 'no "timezone"'),
        (one_session(start="2024-05-31 10:00", end="09:00", timezone="UTC"), 5, "is not after the start"),
        (one_session(start="2024-05-31 10:00", duration="0 minutes", timezone="UTC"), 5, "is zero"),
        (one_session(start="2024-05-31 10:00", duration="-1 hour", timezone="UTC"), 5, "is negative"),
        (one_session(start="2024-05-31 10:00", duration="soon", timezone="UTC"), 5, "is not a duration"),
        (one_session(start="2024-05-31", end="2024-05-30"), 5, "is before the start"),
        (
            one_session(start="2024-05-31 10:00", end="11:00", duration="1 hour", timezone="UTC"),
            6,
            "keep either end or duration",
        ),
        (one_session(start="2024-10-06 02:30", timezone="Australia/Sydney"), 4, "does not exist in Australia/Sydney"),
        (
            "title: Talk\nstatus: happening\nsessions:\n  - start: 2024-05-31",
            3,
            "use one of: scheduled, tentative, cancelled, postponed, held",
        ),
        ("title: Talk\nepisode: 2\nsessions:\n  - start: 2024-05-31", 3, "names no series"),
        ("title: Talk\nregistration: javascript:alert(1)\nsessions:\n  - start: 2024-05-31", 3, "is not a web link"),
        ("title: Talk\nsesions:\n  - start: 2024-05-31", 3, 'did you mean "sessions"?'),
        ("sessions:\n  - start: 2024-05-31", 2, 'the required field "title" is missing'),
        ("title: Talk", 2, 'the required field "sessions" is missing'),
        (
            "title: T\nsessions:\n  - start: 2024-05-31\n  - start: 2024-05-32",
            5,
            'session 2 start "2024-05-32" is not a real date',
        ),
        ("title: Talk\nsessions:\n  - label: First", 4, 'the required field "start" is missing'),
    ],
)
def test_errors_name_file_line_field_and_fix(front_matter, line, words):
    assert_clear_sentence(error_from(front_matter), f"{PATH}:{line}", words)


def test_goal_needs_an_order():
    doc = split("content/goals/g.md", "---\ntitle: Goal\nactions: [Do it]\n---\n")
    with pytest.raises(ContentError, match='"order" is missing'):
        parse_goal("content/goals/g.md", "g", doc.fields)


def test_timed_session_sorts_by_instant():
    early = event_from(one_session(start="2024-05-31 09:00", timezone="Australia/Sydney"))
    later = event_from(one_session(start="2024-05-31 09:00", timezone="Europe/London"))
    assert early.sort_instant() < later.sort_instant()
    assert early.sort_instant() == datetime.fromisoformat("2024-05-30T23:00:00+00:00")


# --- Values the model refuses, and the repeated hour ------------------------------------------


def test_a_repeated_wall_time_needs_its_utc_offset():
    sentence = error_from(one_session(start="2025-11-02 01:30", timezone="America/New_York", duration="30 minutes"))
    assert_clear_sentence(sentence, f"{PATH}:4", "happens twice in America/New_York")
    assert "-04:00 or -05:00" in sentence
    first = event_from(
        one_session(start='"2025-11-02 01:30 -04:00"', timezone="America/New_York", duration="30 minutes")
    ).sessions[0]
    second = event_from(
        one_session(start='"2025-11-02 01:30 -05:00"', timezone="America/New_York", duration="30 minutes")
    ).sessions[0]
    assert (
        first.start.isoformat() == "2025-11-02T01:30:00-04:00"
        and second.start.isoformat() == "2025-11-02T01:30:00-05:00"
    )
    assert second.start.astimezone(UTC) - first.start.astimezone(UTC) == timedelta(hours=1)


def test_an_offset_the_zone_does_not_have_then_is_refused():
    sentence = error_from(one_session(start='"2025-11-02 01:30 -03:00"', timezone="America/New_York"))
    assert "is not at UTC offset -03:00" in sentence and "use -04:00 or -05:00" in sentence
    sentence = error_from(one_session(start='"2025-07-01 10:00 +02:00"', timezone="America/New_York"))
    assert "use -04:00" in sentence


def test_an_end_in_a_skipped_or_repeated_hour_is_refused_like_a_start():
    sentence = error_from(one_session(start="2025-03-09 01:00", end="02:30", timezone="America/New_York"))
    assert_clear_sentence(sentence, f"{PATH}:5", "end 02:30 on 2025-03-09 does not exist")
    sentence = error_from(one_session(start="2025-11-02 00:30", end="01:30", timezone="America/New_York"))
    assert "end 01:30 on 2025-11-02 happens twice" in sentence
    end = (
        event_from(one_session(start="2025-11-02 00:30", end='"01:30 -05:00"', timezone="America/New_York"))
        .sessions[0]
        .end
    )
    assert end.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"start": "0001-01-01 10:00", "timezone": "UTC"}, '"0001-01-01 10:00" is not between the years 1900 and 2200'),
        ({"start": "9999-12-31"}, "is not between the years 1900 and 2200"),
        ({"start": "1899-12"}, "is not between the years 1900 and 2200"),
        ({"start": "2201"}, "is not between the years 1900 and 2200"),
        ({"start": "2024-05-31", "end": "9999-01-01"}, "is not between the years"),
        ({"start": "2024-05-31 10:00", "timezone": "UTC", "duration": "100000000000 days"}, "is longer than 400 days"),
        (
            {"start": "2024-05-31 10:00", "timezone": "UTC", "duration": "9" * 60 + " minutes"},
            "is longer than 400 days",
        ),
        (
            {"start": "2024-05-31 10:00", "timezone": "UTC", "duration": "9" * 60000 + "x"},
            "more than the 100 it may have",
        ),
        ({"start": "2024-05-31", "duration": "401 days"}, "is longer than 400 days"),
        (
            {"start": "2024-05-31 10:00", "timezone": "UTC", "end": "2025-07-31 10:00"},
            "more than 400 days after the start",
        ),
        ({"start": "2024-05-31", "end": "2025-07-31"}, "more than 400 days after the start"),
        ({"start": "2024-05-31 10:00", "timezone": "UTC", "join": '"https://x.org/a b"'}, "a link with a space"),
        ({"start": "2024-05-31 10:00", "timezone": "UTC", "label": '"two\\nlines"'}, "should be a single line of text"),
    ],
)
def test_values_out_of_range_are_refused_with_a_sentence(fields, words):
    sentence = error_from(one_session(**fields))
    assert re.match(rf"{re.escape(PATH)}:\d+: ", sentence) and words in sentence and "\n" not in sentence, sentence


def test_file_names_become_page_names_or_a_sentence_with_the_fix():
    assert name_from_path("content/stories/2024-05-31-my-story.md", "stories") == "my-story"
    assert name_from_path("content/events/2024-05-31-my-event.md", "events") == "2024-05-31-my-event"
    for bad, fixed in [("My Event", "my-event"), ("a" * 120, "a" * 100), ("café", "cafe"), ("x..y", "x-y")]:
        with pytest.raises(ContentError) as caught:
            name_from_path(f"content/pages/{bad}.md", "pages")
        assert f'rename it, for example to "{fixed}' in str(caught.value)


def test_one_reading_path_for_every_kind():
    parsed = parse_file(
        "content/pages/about.md", b"---\ntitle: About\ntemplate: campaign\ndraft: true\n---\nText.\n", "pages"
    )
    assert (parsed.item.slug, parsed.item.template, parsed.item.draft, parsed.body, parsed.body_line) == (
        "about",
        "campaign",
        True,
        "Text.\n",
        6,
    )
    with pytest.raises(
        ContentError, match='template "../../x" is not an allowed value; use one of: page, campaign, open-tasks'
    ):
        parse_file("content/pages/about.md", b"---\ntitle: About\ntemplate: ../../x\n---\n", "pages")
    for field in ("slug", "save_as", "url"):
        with pytest.raises(ContentError, match=f'"{field}" is not a field of a story'):
            parse_file(
                "content/stories/2024-01-01-x.md",
                f"---\ntitle: X\nauthor: A\ndate: 2024-01-01\n{field}: ../x\n---\n".encode(),
                "stories",
            )
