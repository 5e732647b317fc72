"""Whatever text a contributor puts in any field of an event, the feed holds only the lines it should.

An attacker's pull request once put CR/LF in a join link, and calendar.ics got an ATTACH, a VALARM
and a whole forged VEVENT with the attacker's UID. Here every field an event can have gets random
text (control characters, line breaks, Unicode line separators, quotes, backslashes, commas,
semicolons and colons included), written in front matter as a double-quoted YAML string and read
the way the build reads it. Each example must end in one of two ways:

* the model refuses it with a ``ContentError``: one line, naming the file, no traceback; or
* the feed is built, and icalendar and vobject read it with exactly the lines, components and
  properties of the same event with a plain word in place of every text, with the UIDs the event
  should have; its bytes have no CR or LF but the CRLF line ends and folds, and no control
  character or line separator.

Anything else, an ``ics`` ``ValueError`` included, is a value that got past the model.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import vobject
import yaml
from community_events import feeds, model
from community_events.errors import ContentError
from community_events.frontmatter import decode, split
from community_events.history import Revision
from hypothesis import HealthCheck, example, given, settings
from hypothesis import event as label_example
from hypothesis import strategies as st
from icalendar import Calendar

PATH = "content/events/meetup.md"
SLUG = "meetup"  # what the build makes of PATH
UID_DOMAIN = "events.example.org"
PAGE_URL = "https://example.org/events/meetup/"
BODY = "The body's first paragraph.\n"
REVISION = Revision({}, datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
REFRESH = timedelta(hours=12)
# Written on their own, before the sessions; lists have one item per value.
EVENT = {
    "title": "Wikidata meetup",
    "summary": "Librarians and volunteers meet.",
    "status": "scheduled",
    "id": "wikidata-meetup-2024",
    "hosts": ["Ada Lovelace"],
    "speakers": ["Grace Hopper"],
    "organisers": ["Wikimedia"],
    "tags": ["Wikidata", "libraries"],
    "registration": "https://example.org/register",
    "notes": "https://example.org/notes",
    "recording": "https://example.org/recording",
    "display_zones": ["Europe/London"],
}
# Between them, every session field: timed with an end, all-day, and timed in UTC with a duration.
SESSIONS = [
    {
        "label": "Part one",
        "start": "2024-05-31 14:00",
        "end": "15:30",
        "timezone": "Europe/Paris",
        "platform": "Zoom",
        "join": "https://example.org/j/1",
    },
    {"label": "Workshop", "start": "2024-06-03", "end": "2024-06-04", "place": "Central Library, Room 2"},
    {
        "label": "Part two",
        "start": "2024-06-10 18:00",
        "duration": "1 hour",
        "timezone": "UTC",
        "platform": "Jitsi",
        "place": "Online",
        "join": "https://example.org/j/2",
    },
]
SLOTS = [(name,) for name, value in EVENT.items() if isinstance(value, str)]
SLOTS += [(name, 0) for name, value in EVENT.items() if isinstance(value, list)]
SLOTS += [("sessions", index, name) for index, session in enumerate(SESSIONS) for name in session]

# What no feed may hold, but in the CRLF that ends or folds a line: C0 controls but tab, DEL, C1
# controls, and Unicode's line and paragraph separators (line ends to str.splitlines, for one).
NOT_IN_A_FEED = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# Texts a plain twin of the event keeps: they are names the model checks, not free text.
KEPT = {"slug", "source_path", "status", "timezone", "display_zones", "series", "kind"}
PLAIN_LINK = "https://example.org/plain"
YAML_LOADERS = (yaml.SafeLoader, yaml.CSafeLoader) if yaml.__with_libyaml__ else (yaml.SafeLoader,)
# Controls; line ends (CR and LF to iCalendar; VT, FF, FS, GS, RS, NEL, U+2028 and U+2029 too to
# str.splitlines); a BOM; and what iCalendar escapes or quotes.
SPECIAL = "\r\n\t\x00\x01\x0b\x0c\x1b\x1c\x1d\x1e\x1f\x7f\x85\x9f\u2028\u2029\ufeff\"'\\,;:^’ "
NASTY = st.sampled_from(
    [
        "\r\nBEGIN:VEVENT\r\nUID:evil\r\nEND:VEVENT\r\n",
        "\r\nATTACH:https://evil.example/x\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM",
        "x\nATTACH:http://e",
        "\rATTACH:http://e",
        "\u2028BEGIN:VEVENT\u2028UID:evil",
        "\x85UID:evil",
        "\\n",
        "\\",
        "a,b;c",
        '"',
        "'",
        ":",
        ";",
        "^n",
        "\t",
        "\n",
        "\r",
        "\r\n",
        " \n ",
        "\x0b",
        "\x1e",
        "\x00",
    ]
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]) | st.sampled_from(SPECIAL), max_size=12)
# Instead of the value, after it, or inside it: "https://exa<text>mple.org/j/1" still looks like a link.
PLACES = st.sampled_from(["instead", "after", "inside"])


def _quoted(value: str) -> str:
    """``value`` as a double-quoted YAML string that YAML reads back as the same string.

    json.dumps's escapes for quotes, backslashes and C0 controls, which YAML shares; every other
    character outside printable ASCII as YAML's \\U escape. (JSON writes a character beyond U+FFFF
    as a \\u surrogate pair, which libyaml refuses and PyYAML reads as two lone surrogates.)
    """
    return re.sub(r"[^\x20-\x7e]", lambda found: f"\\U{ord(found.group()):08X}", json.dumps(value, ensure_ascii=False))


def _front_matter(event: dict, sessions: list[dict]) -> bytes:
    lines = ["---"]
    for name, value in event.items():
        if isinstance(value, list):
            lines += [f"{name}:"] + [f"  - {_quoted(item)}" for item in value]
        else:
            lines.append(f"{name}: {_quoted(value)}")
    lines.append("sessions:")
    for session in sessions:
        lines += [
            f"{'  - ' if index == 0 else '    '}{name}: {_quoted(value)}"
            for index, (name, value) in enumerate(session.items())
        ]
    return ("\n".join(lines) + "\n---\n" + BODY).encode("utf-8")


def _with(slot: tuple, text: str, place: str) -> bytes:
    """The event's file with ``text`` in one field: ("title",), ("tags", 0) or ("sessions", 0, "join")."""
    event, sessions = copy.deepcopy(EVENT), copy.deepcopy(SESSIONS)
    if slot[0] == "sessions":
        container, key = sessions[slot[1]], slot[2]
    elif len(slot) == 2:
        container, key = event[slot[0]], slot[1]
    else:
        container, key = event, slot[0]
    plain = container[key]
    middle = len(plain) // 2
    container[key] = {"instead": text, "after": plain + text, "inside": plain[:middle] + text + plain[middle:]}[place]
    return _front_matter(event, sessions)


def _read_event(data: bytes) -> model.Event:
    """The event as the build reads it, through whichever entry point the model has (newest first)."""
    for name, arguments in (("parse_event_file", (PATH, data)), ("parse_file", (PATH, data, "events"))):
        if hasattr(model, name):
            parsed = getattr(model, name)(*arguments)
            return getattr(parsed, "item", parsed)
    fields = split(PATH, decode(PATH, data)).fields
    return model.parse_event(PATH, SLUG, fields)


def _feed(event: model.Event) -> bytes:
    """The event's own feed, as the build writes it."""
    entries = feeds.event_entries(
        event, page_url=PAGE_URL, about=event.summary or BODY.strip(), revision=REVISION, uid_domain=UID_DOMAIN
    )
    info = feeds.CalendarInfo(
        prodid="-//Test site//Events calendar//EN",
        name=event.title,
        description=f"{event.title}: every session, from the test site.",
        refresh=REFRESH,
        url=PAGE_URL,
        source=PAGE_URL + "calendar.ics",
    )
    return feeds.calendar_bytes(info, entries, feeds.zone_years(entries))


def _plain(value, name: str):
    """A text the event holds, as a plain word (a link as a plain link); None, empty and kept values as they are."""
    if name in KEPT or not value:
        return value
    if isinstance(value, tuple):
        return tuple(_plain(item, name) for item in value)
    if not isinstance(value, str):
        return value
    return PLAIN_LINK if value.startswith(("http://", "https://", "mailto:")) else "word"


def _plain_twin(item):
    """The same event or session, with a plain word in place of every text."""
    changes = {field.name: _plain(getattr(item, field.name), field.name) for field in dataclasses.fields(item)}
    if "sessions" in changes:
        changes["sessions"] = tuple(_plain_twin(session) for session in item.sessions)
    return dataclasses.replace(item, **changes)


def _shape(data: bytes) -> list[tuple[str, str]]:
    """Every content line icalendar reads: BEGIN and END with their component, other properties by name."""
    calendar = Calendar.from_ical(data)
    return [
        (name, value.decode() if name in ("BEGIN", "END") else "")
        for name, value in calendar.property_items(sorted=False)
    ]


def _vobject_shape(data: bytes) -> list[tuple[str, list[str]]]:
    # vobject keeps the zones it has read in a module-wide map (see feed_readers.read_vobject).
    vobject.icalendar.__dict__["__tzidMap"].clear()
    calendar = vobject.readOne(data.decode("utf-8"))
    return [(event.uid.value, sorted(child.name for child in event.getChildren())) for event in calendar.vevent_list]


def _assert_clear_refusal(error: ContentError) -> None:
    sentence = str(error)
    assert sentence.startswith(PATH), sentence
    assert len(sentence.splitlines()) == 1 and "\r" not in sentence and "\n" not in sentence, repr(sentence)
    assert "Traceback" not in sentence, sentence


def _assert_feed_has_only_its_lines(event: model.Event, data: bytes) -> None:
    lines = data.split(b"\r\n")
    assert lines.pop() == b"", "the feed does not end with CRLF"
    assert not any(b"\r" in line or b"\n" in line for line in lines), "a CR or LF that is not a line end"
    found = NOT_IN_A_FEED.search(data.decode("utf-8").replace("\r\n", ""))
    assert found is None, f"{found.group()!r} in the feed"
    expected = _feed(_plain_twin(event))
    assert len(data.replace(b"\r\n ", b"").split(b"\r\n")) == len(expected.replace(b"\r\n ", b"").split(b"\r\n"))
    assert _shape(data) == _shape(expected)
    uids = [
        f"{event.calendar_id}-{session.number}@{UID_DOMAIN}"
        for session in event.sessions
        if session.kind in ("timed", "days")
    ]
    assert [str(vevent["UID"]) for vevent in Calendar.from_ical(data).walk("VEVENT")] == uids
    assert _vobject_shape(data) == [
        (uid, names) for uid, (_, names) in zip(uids, _vobject_shape(expected), strict=True)
    ]


def _refused_or_clean(data: bytes) -> None:
    try:
        parsed = _read_event(data)
    except ContentError as error:
        _assert_clear_refusal(error)
        label_example("refused by the model")
        return
    label_example("made a feed")
    _assert_feed_has_only_its_lines(parsed, _feed(parsed))


def test_the_plain_event_makes_a_feed_with_every_session():
    event = _read_event(_front_matter(EVENT, SESSIONS))
    data = _feed(event)
    _assert_feed_has_only_its_lines(event, data)
    assert len(Calendar.from_ical(data).walk("VEVENT")) == len(SESSIONS)
    assert len(Calendar.from_ical(data).walk("VTIMEZONE")) == 1  # Europe/Paris; UTC needs none


def test_the_check_catches_a_forged_line():
    event = _read_event(_front_matter(EVENT, SESSIONS))
    data = _feed(event)
    forged = data.replace(
        b"END:VEVENT\r\n", b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT\r\n", 1
    )
    with pytest.raises(AssertionError):
        _assert_feed_has_only_its_lines(event, forged)
    with pytest.raises(AssertionError):
        _assert_feed_has_only_its_lines(event, data.replace(b"SUMMARY:", b"SUMMARY:\x0b", 1))


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]) | st.sampled_from(SPECIAL)))
def test_values_are_written_in_yaml_as_they_are(value):
    for loader in YAML_LOADERS:
        assert yaml.load(f"x: {_quoted(value)}", Loader=loader) == {"x": value}


# The reported attack, both ways it was written: a YAML block, and escapes in a double-quoted value.
ATTACK_AS_A_BLOCK = """---
title: Wikidata meetup
sessions:
  - start: 2024-05-31 14:00
    timezone: Europe/Paris
    join: |
      https://example.org/j/1
      ATTACH:https://evil.example/x
      BEGIN:VEVENT
      UID:evil
      END:VEVENT
---
Body.
"""
ATTACK_ESCAPED = ATTACK_AS_A_BLOCK.replace(
    "join: |\n      https://example.org/j/1\n      ATTACH:https://evil.example/x\n"
    "      BEGIN:VEVENT\n      UID:evil\n      END:VEVENT\n",
    'join: "https://example.org/j/1\\r\\nATTACH:https://evil.example/x\\r\\nBEGIN:VEVENT\\r\\nUID:evil\\r\\nEND:VEVENT"\n',
)


@pytest.mark.parametrize("text", [ATTACK_AS_A_BLOCK, ATTACK_ESCAPED], ids=["block", "escaped"])
def test_the_reported_attack_is_refused_by_the_model(text):
    with pytest.raises(ContentError) as refused:
        _read_event(text.encode("utf-8"))
    _assert_clear_refusal(refused.value)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SLOTS), NASTY | TEXT, PLACES)
@example(("sessions", 0, "join"), "\r\nBEGIN:VEVENT\r\nUID:evil\r\nEND:VEVENT\r\n", "after")
@example(("sessions", 0, "platform"), "\x1e", "after")
@example(("title",), "\u2028BEGIN:VEVENT\u2028UID:evil", "after")
def test_any_text_in_any_field_is_refused_or_stays_in_its_line(slot, text, place):
    _refused_or_clean(_with(slot, text, place))
