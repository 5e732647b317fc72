"""An event's state at a moment (states.py), its wording, and what the built pages offer in each state.

Every "now" here is fixed; none is the wall clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from community_events import states
from community_events.display import session_when
from community_events.frontmatter import decode, split
from community_events.model import parse_event, registration_label
from community_events.options import SettingsError, load

PATH = "content/events/x.md"
THROUGH = date(2026, 1, 1)


def event_from(front_matter: str):
    doc = split(PATH, decode(PATH, f"---\n{front_matter.strip()}\n---\n".encode()))
    return parse_event(PATH, "x", doc.fields)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def state(front_matter: str, now: str) -> str:
    return states.event_state(event_from(front_matter), at(now), THROUGH)


TIMED = "title: T\n{status}sessions:\n  - start: 2024-05-31 10:00\n    timezone: UTC\n{end}"
DAYS = "title: T\nsessions:\n  - start: 2024-04-05\n    end: 2024-04-07\n"
WEEKLY = (
    "title: T\nsessions:\n  - start: 2024-05-06 10:00\n    timezone: UTC\n    duration: 1 hour\n"
    "    repeat:\n      every: week\n      times: 3\n"
    "      changes:\n        - date: 2024-05-13\n          status: cancelled\n"
)


@pytest.mark.parametrize(
    ("front_matter", "now", "expected"),
    [
        (TIMED.format(status="", end="    end: 11:30\n"), "2024-05-31T09:59", "upcoming"),
        (TIMED.format(status="", end="    end: 11:30\n"), "2024-05-31T10:00", "now"),
        (TIMED.format(status="", end="    end: 11:30\n"), "2024-05-31T11:29", "now"),
        (TIMED.format(status="", end="    end: 11:30\n"), "2024-05-31T11:30", "past"),
        # No end: taken to run for an hour.
        (TIMED.format(status="", end=""), "2024-05-31T10:59", "now"),
        (TIMED.format(status="", end=""), "2024-05-31T11:00", "past"),
        (TIMED.format(status="status: held\n", end=""), "2024-06-01T00:00", "past"),
        # All day: from midnight at UTC+14 on the first day to midnight at UTC-12 after the last.
        (DAYS, "2024-04-04T09:59", "upcoming"),
        (DAYS, "2024-04-04T10:00", "now"),
        (DAYS, "2024-04-06T12:00", "now"),
        (DAYS, "2024-04-08T11:59", "now"),
        (DAYS, "2024-04-08T12:00", "past"),
        # A repeating session runs while one of its meetings does; a cancelled meeting does not run.
        (WEEKLY, "2024-05-06T10:30", "now"),
        (WEEKLY, "2024-05-08T10:30", "upcoming"),
        (WEEKLY, "2024-05-13T10:30", "upcoming"),
        (WEEKLY, "2024-05-20T10:30", "now"),
        (WEEKLY, "2024-05-20T11:00", "past"),
        # Month, year and time-to-be-announced dates are never "happening now".
        ("title: T\nsessions:\n  - start: 2024-03", "2024-03-15T12:00", "upcoming"),
        ("title: T\nsessions:\n  - start: 2024-03", "2024-04-01T12:00", "past"),
        ("title: T\nsessions:\n  - start: 2024\n", "2024-06-01T00:00", "upcoming"),
        ("title: T\nsessions:\n  - start: 2024-05-26\n    time_tba: true", "2024-05-26T12:00", "upcoming"),
        # The status wins over the date; an event with no date is undated, whenever it is asked.
        (TIMED.format(status="status: cancelled\n", end=""), "2024-05-31T10:30", "cancelled"),
        (TIMED.format(status="status: cancelled\n", end=""), "2025-01-01T00:00", "cancelled"),
        (TIMED.format(status="status: postponed\n", end=""), "2024-01-01T00:00", "postponed"),
        ("title: T\nsessions:\n  - start: unknown", "1900-01-01T00:00", "undated"),
        ("title: T\nsessions:\n  - start: unknown", "2200-01-01T00:00", "undated"),
    ],
)
def test_each_state_at_a_fixed_moment(front_matter, now, expected):
    assert state(front_matter, now) == expected


def test_an_open_ended_repeating_session_is_never_over_and_runs_only_in_its_meetings():
    event = event_from(
        "title: T\nsessions:\n  - start: 2024-05-06 10:00\n    timezone: UTC\n    repeat:\n      every: week\n"
    )
    assert not states.is_over(event, at("2199-01-01T00:00"))
    assert states.event_state(event, at("2025-06-02T10:30"), date(2025, 7, 1)) == "now"  # a Monday
    assert states.event_state(event, at("2025-06-03T10:30"), date(2025, 7, 1)) == "upcoming"
    found = states.page_instants(event, at("2025-06-03T10:30"), date(2025, 7, 1))
    assert "data-ends" not in found
    assert found["data-runs"].split()[0] == "2025-06-09T10:00:00Z/2025-06-09T11:00:00Z"


def test_the_page_carries_the_instants_still_ahead():
    event = event_from(DAYS + "  - start: 2024-04-12\n    end: 2024-04-14\n")
    found = states.page_instants(event, at("2024-04-09T00:00"), THROUGH)
    assert found == {"data-ends": "2024-04-15T12:00:00Z", "data-runs": "2024-04-11T10:00:00Z/2024-04-15T12:00:00Z"}
    cancelled = event_from(DAYS + "status: cancelled")
    assert "data-runs" not in states.page_instants(cancelled, at("2024-04-01T00:00"), THROUGH)


def test_the_lists_and_the_model_agree_on_upcoming():
    event = event_from(TIMED.format(status="", end="    end: 11:30\n"))
    assert event.is_upcoming(date(2024, 5, 31)) and not event.is_upcoming(date(2024, 6, 1))
    assert not event_from("title: T\nsessions:\n  - start: unknown").is_upcoming(date(1900, 1, 1))


@pytest.mark.parametrize(
    ("start", "today", "words"),
    [
        ("2024-03", "2024-03-15", "March 2024, details to come"),
        ("2024-03", "2024-05-01", "March 2024, exact date not recorded"),
        ("2024", "2024-06-01", "2024, dates to come"),
        ("2024", "2025-02-01", "2024, dates not recorded"),
        ("2024-05-26\n    time_tba: true", "2024-05-27", "Sun, 26 May 2024, time to be announced"),
        ("2024-05-26\n    time_tba: true", "2024-05-28", "Sun, 26 May 2024, time not recorded"),
        ("unknown", "2024-05-28", "Date not recorded"),
    ],
)
def test_past_sessions_never_say_to_come(start, today, words):
    session = event_from(f"title: T\nsessions:\n  - start: {start}").sessions[0]
    assert session_when(session, load({"COMMUNITY_EVENTS": {"today": today}})) == words


@pytest.mark.parametrize(
    ("url", "meta"),
    [
        ("https://meta.wikimedia.org/wiki/Event:Foo", True),
        ("https://meta.wikimedia.org/wiki/Special:RegisterForEvent/123", True),
        ("https://meta.wikimedia.org/w/index.php?title=Special:RegisterForEvent/123", True),
        ("https://example.org/Event:x", False),
        ("http://meta.wikimedia.org.evil.com/wiki/Event:x", False),
        ("https://example.org/?next=https://meta.wikimedia.org/wiki/Event:x", False),
        ("https://meta.wikimedia.org/wiki/Wikimedia_and_Libraries_User_Group", False),
    ],
)
def test_meta_wiki_event_registration_is_recognised(url, meta):
    assert registration_label(url) == ("Register on Meta-Wiki (Wikimedia account)" if meta else "Sign up")


def test_today_may_be_a_date_or_a_utc_moment():
    assert load({"COMMUNITY_EVENTS": {"today": "2024-01-15"}}).now == at("2024-01-15T00:00")
    moment = load({"COMMUNITY_EVENTS": {"today": "2024-01-15T10:30"}})
    assert (moment.now, moment.today) == (at("2024-01-15T10:30"), date(2024, 1, 15))
    assert load({}).now.tzinfo is UTC
    with pytest.raises(SettingsError, match="YYYY-MM-DDTHH:MM in UTC"):
        load({"COMMUNITY_EVENTS": {"today": "2024-01-15 10:30"}})
    for key in ("repeat_horizon_days", "repeat_listed"):
        with pytest.raises(SettingsError, match=f"{key} is 0; give a whole number of at least 1"):
            load({"COMMUNITY_EVENTS": {key: 0}})


# --- Built pages ----------------------------------------------------------------------------------

EVENT = """\
---
title: {title}
{extra}
sessions:
  - start: {start}
    timezone: UTC
    duration: 1 hour
    join: https://zoom.example.org/j/1
---
Agenda.
"""
OVER = "2024-05-31 10:00"
AHEAD = "2024-08-01 10:00"
TODAY = "2024-06-15"
MONTH_ONLY = "---\ntitle: {title}\nsessions:\n  - start: {start}\n---\n"


def event(title: str, start: str, extra: str = "registration: https://example.org/sign-up") -> str:
    return EVENT.format(title=title, start=start, extra=extra)


def offers(site, page: str) -> dict:
    soup = site.html(page)
    hrefs = [a["href"] for a in soup.select("main a[href]")]
    return {
        "webcal": any(h.startswith("webcal:") for h in hrefs) or "webcal:" in str(soup),
        "google": any("calendar.google.com" in h for h in hrefs),
        "outlook": any("outlook." in h for h in hrefs),
        "registration": "Sign up" in soup.get_text() or any("sign-up" in h for h in hrefs),
        "join": "Join this session" in soup.get_text(),
        "download": bool(soup.select("a[download][href$='.ics']")),
        "to come": "to come" in soup.get_text(),
    }


def test_a_past_event_keeps_the_download_and_offers_nothing_else(build_site):
    site = build_site(
        {
            "events/over.md": event("Over", OVER),
            "events/ahead.md": event("Ahead", AHEAD),
            "events/month.md": MONTH_ONLY.format(title="Month", start="2024-03"),
        },
        today=TODAY,
        SITEURL="https://example.org",
    )
    past = {k: v for k, v in offers(site, "events/over/").items() if k not in IN_THE_SESSIONS}
    assert past == {**dict.fromkeys(past, False), "download": True}
    assert offers(site, "events/ahead/") == {**dict.fromkeys(offers(site, "events/over/"), True), "to come": False}
    month = site.html("events/month/")
    assert "to come" not in month.get_text() and "March 2024, exact date not recorded" in month.get_text()
    assert "exact date and time were not recorded" in month.get_text()
    text = site.text("events/over/")
    assert "This event is over. Our records do not say whether it took place as announced." in text
    assert "has taken place" not in text
    # Built as upcoming, the page carries what the script needs, and the past state hidden.
    article = site.html("events/ahead/").select_one("article.event")
    assert article["data-state"] == "upcoming" and article["data-ends"] == "2024-08-01T11:00:00Z"
    assert article.select_one(".when-past")["hidden"] == "" and article.select(".while-upcoming")
    assert not site.html("events/over/").select("[data-state], .while-upcoming")


# The join buttons and each session's "Add to Google Calendar" are in the sessions block, which tests `live`.
IN_THE_SESSIONS = ("join", "google")


def test_a_past_event_offers_no_join_button_and_no_single_session_link(build_site):
    site = build_site({"events/over.md": event("Over", OVER)}, today=TODAY, SITEURL="https://example.org")
    past = offers(site, "events/over/")
    assert not any(past[k] for k in IN_THE_SESSIONS), past


def test_states_are_worded_in_the_header_and_on_the_cards(build_site):
    site = build_site(
        {
            "events/held.md": event("Held", OVER, "status: held"),
            "events/off.md": event("Off", OVER, "status: cancelled"),
            "events/off-later.md": event("Off later", AHEAD, "status: cancelled"),
            "events/running.md": event("Running", "2024-06-15 09:30"),
            "events/undated.md": MONTH_ONLY.format(title="Undated", start="unknown"),
            "events/meta.md": event("Meta", AHEAD, "registration: https://meta.wikimedia.org/wiki/Event:Meta"),
        },
        today="2024-06-15T10:00",
    )
    assert "This event took place." in site.text("events/held/")
    off = site.text("events/off/")
    assert "Cancelled. This event did not take place." in off and "took place." not in off.replace("did not take", "")
    later = site.html("events/off-later/").select_one(".status-cancelled")
    assert later.select_one(".while-upcoming").get_text() == "This event will not take place."
    assert "Happening now." in site.html("events/running/").select_one(".when-now:not([hidden])").get_text()
    assert "our records do not give its date" in site.text("events/undated/")
    assert "Register on Meta-Wiki (Wikimedia account)" in site.text("events/meta/")
    index = site.html("events/")
    assert [a.get_text() for a in index.select("#happening ~ .cards h3 a")] == ["Running"]
    assert index.select_one("#happening ~ .cards .badge-now").get_text() == "Happening now"


def test_with_nothing_upcoming_the_home_page_lists_past_events_and_the_subscription(build_site):
    files = {f"events/e{n}.md": event(f"Event {n}", f"2024-0{n}-10 10:00") for n in range(1, 6)}
    files["events/old.md"] = event("Old", "2020-01-10 10:00")
    site = build_site(files, today=TODAY, SITEURL="https://example.org")
    home = site.html("").select_one("section[aria-labelledby=next-events]")
    text = home.get_text(" ", strip=True)
    assert "No upcoming events are announced right now." in text
    assert [a.get_text() for a in home.select(".cards h4 a")] == ["Event 5", "Event 4", "Event 3"]
    assert home.select_one("a[href^='webcal:']") and "as soon as it is announced" in text
    assert "notes and recordings" not in text and "Past events are on the events page" in text
    holds = site.html("events/").select_one(".calendar-links .subscription-holds").get_text(" ", strip=True)
    assert "every upcoming event that has an exact date, and those of the last 365 days" in holds
    assert "empty" not in holds  # the last 365 days hold events


def test_the_events_page_says_when_the_subscription_is_empty_and_why(build_site):
    files = {"events/old.md": event("Old", "2020-01-10 10:00")}
    site = build_site(files, today=TODAY, COMMUNITY_EVENTS={"today": TODAY, "calendar_past_days": 30})
    holds = site.html("events/").select_one(".subscription-holds").get_text(" ", strip=True)
    assert "those of the last 30 days" in holds
    assert "Right now it is empty: no event is announced, and none had a date in the last 30 days" in holds
    ics = (site.output / "calendar.ics").read_text()
    assert "BEGIN:VEVENT" not in ics  # the feed agrees: one predicate decides both


def test_a_held_event_not_over_yet_and_a_tentative_past_one_are_warned_about(build_site, caplog):
    files = {
        "events/early.md": event("Early", AHEAD, "status: held"),
        "events/maybe.md": event("Maybe", OVER, "status: tentative"),
    }
    build_site(files, COMMUNITY_EVENTS={"today": TODAY, "list_warnings": True})
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert (
        'content/events/early.md:3: status is "held", but the event is not over yet; '
        'set "status: scheduled" until it has taken place' in warnings
    )
    assert any("maybe.md" in w and 'set "status: held" if it took place' in w for w in warnings)
