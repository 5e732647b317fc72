"""What templates show for a session or an event: pure functions, exposed as Jinja filters.

``make_filters(options)`` binds the build's locale, words (``options.translator``), display zones
and "now"; the filters accept either the model objects or the Pelican pages wrapping them.
An event's state (upcoming, happening now, past, ...) comes from ``states``.

Every word here is a whole message for translators (``N_`` marks those kept as constants), with
named placeholders for what varies, so that each language can order the words its own way.
"""

from __future__ import annotations

from functools import partial

from babel.dates import get_day_names
from markupsafe import Markup, escape

from . import locales, states
from .model import N_, Event, Session, registration_label
from .options import Options
from .recurrence import Occurrence
from .zones import (
    ZoneTime,
    format_clock,
    format_day,
    format_day_range,
    format_month,
    own_start_text,
    utc_iso,
    zone_label,
    zone_times,
)

# Translators: a session whose time is not announced yet; %(day)s is its date, such as "Fri, 31 May 2024".
TIME_TBA_UPCOMING = N_("%(day)s, time to be announced")
# Translators: a past session whose time nobody recorded; %(day)s is its date, such as "Fri, 31 May 2024".
TIME_TBA_PAST = N_("%(day)s, time not recorded")
# Translators: a session of which only the month is known yet; %(month)s is the month, such as "March 2024".
MONTH_ONLY = N_("%(month)s, details to come")
# Translators: a session of which only the year is known yet, such as a campaign.
YEAR_ONLY = N_("%(year)d, dates to come")
# Translators: a past session of which only the month was recorded; %(month)s is the month, such as "March 2024".
MONTH_ONLY_PAST = N_("%(month)s, exact date not recorded")
# Translators: a past session of which only the year was recorded.
YEAR_ONLY_PAST = N_("%(year)d, dates not recorded")
# Translators: a past session whose date nobody recorded.
DATE_UNKNOWN = N_("Date not recorded")


def _event(item) -> Event:
    return getattr(item, "model", item)


def session_zone_times(session: Session, event, options: Options) -> tuple[ZoneTime, ...]:
    """A timed session in its own zone and the event's (or site's) display zones."""
    if not session.is_timed:
        return ()
    zones = _event(event).display_zones or options.display_zones
    return zone_times(session.start, session.end, session.timezone, zones, options.locale, options.zone_labels)


def session_when(session: Session, options: Options) -> str:
    """The date of a session in words, for everything but the converted times."""
    if session.kind == "timed":
        return format_day(session.start.date(), options.locale, with_weekday=True)
    if session.kind == "days":
        return format_day_range(session.start, session.end, options.locale)
    words = options.translator
    # Once a session is over, what was not announced was not recorded: it is no longer "to come".
    over = session.start is not None and states.session_is_over(session, options.now)
    if session.kind == "time_tba":
        day = format_day(session.start, options.locale, with_weekday=True)
        return words.gettext(TIME_TBA_PAST if over else TIME_TBA_UPCOMING) % {"day": day}
    if session.kind == "month":
        month = format_month(session.start, options.locale)
        return words.gettext(MONTH_ONLY_PAST if over else MONTH_ONLY) % {"month": month}
    if session.kind == "year":
        return words.gettext(YEAR_ONLY_PAST if over else YEAR_ONLY) % {"year": session.start.year}
    return words.gettext(DATE_UNKNOWN)


def own_zone_start(timed: Session | Occurrence, options: Options) -> str:
    """A timed session's (or meeting's) start in its own zone, with its name: "Thu, 26 Oct 2023 12:00 Eastern"."""
    label = zone_label(timed.timezone, options.locale, options.zone_labels)
    return f"{own_start_text(timed.start, timed.timezone, options.locale)} {label}"


def when_everywhere(session: Session | Occurrence, event, options: Options) -> str:
    """A session (or meeting) on one line as its page shows it: "Thu, 30 May 2019 09:00 Sydney / 29 May 16:00
    Pacific / 29 May 23:00 UTC" when timed, else its date in words. Feeds of news and summaries use it."""
    if session.is_timed:
        return " / ".join(zone_time.text for zone_time in session_zone_times(session, event, options))
    return session_when(session, options)


def event_when(event, options: Options) -> str:
    """A one-line date for lists: each session's date, joined; timed ones in their own zone."""
    parts = []
    for session in _event(event).sessions:
        parts.append(own_zone_start(session, options) if session.is_timed else session_when(session, options))
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else "; ".join(unique)


def session_iso(session: Session) -> str | None:
    """A machine-readable value for ``<time datetime>``: UTC instant, a date, or a month."""
    if session.kind == "timed":
        return utc_iso(session.start)
    if session.kind in ("days", "time_tba"):
        return session.start.isoformat()
    if session.kind == "month":
        return session.start.strftime("%Y-%m")
    if session.kind == "year":
        return str(session.start.year)
    return None


def event_state(event, options: Options) -> str:
    """One of ``states.STATES`` for the event at the build's moment."""
    return states.event_state(_event(event), options.now, states.horizon(options))


# The states in which an event can still be attended: its page offers the join and sign-up links
# (event.html's "live"), and its share card and structured data may name them too.
LIVE_STATES = ("upcoming", "now")


def is_live(event, options: Options) -> bool:
    return event_state(event, options) in LIVE_STATES


def is_over(event, options: Options) -> bool:
    """Every session of the event is over (an undated event never is)."""
    return states.is_over(_event(event), options.now)


def is_upcoming(event, options: Options) -> bool:
    """Dated and not over: listed with the upcoming events."""
    model = _event(event)
    return model.first_day() is not None and not states.is_over(model, options.now)


def registration_text(url: str, options: Options) -> str:
    """The words of a registration link in the page's language (the calendar feeds keep the English)."""
    return options.translator.gettext(registration_label(url))


def state_attributes(event, options: Options) -> Markup:
    """The data attributes, each after a space, from which local-time.js moves an item on by the reader's clock."""
    model = _event(event)
    found = {"data-state": event_state(model, options)}
    found.update(states.page_instants(model, options.now, states.horizon(options)))
    # Escaped value by value and joined as text: Markup.format took five times as long (17 µs, not 3.4).
    return Markup("".join(f' {name}="{escape(value)}"' for name, value in found.items()))


# --- Repeating sessions -----------------------------------------------------------------------

# A rule's sentence is put together from these, each a phrase a translator can word alone; the whole
# sentence is a message too, so that a language may put the phrases in another order.
# Translators: a repeating session's rule: %(every)s is how often it meets ("Every month"), %(day)s on
# which day ("on the third Thursday"), %(time)s at what time ("14:00–15:00 UTC").
RULE = N_("%(every)s %(day)s, %(time)s")
# Translators: a repeating session's rule, as above; %(end)s says when it ends ("until 31 December 2025", "10 times").
RULE_WITH_END = N_("%(every)s %(day)s, %(time)s, %(end)s")
# One message per ordinal, as the ordinal agrees with the weekday's gender in many languages.
ORDINAL_DAYS = {
    # Translators: the day a monthly session meets ("Every month on the first Thursday"); %(weekday)s is a weekday.
    1: N_("on the first %(weekday)s"),
    # Translators: the day a monthly session meets ("Every month on the second Thursday"); %(weekday)s is a weekday.
    2: N_("on the second %(weekday)s"),
    # Translators: the day a monthly session meets ("Every month on the third Thursday"); %(weekday)s is a weekday.
    3: N_("on the third %(weekday)s"),
    # Translators: the day a monthly session meets ("Every month on the fourth Thursday"); %(weekday)s is a weekday.
    4: N_("on the fourth %(weekday)s"),
    # Translators: the day a monthly session meets ("Every month on the fifth Thursday"); %(weekday)s is a weekday.
    5: N_("on the fifth %(weekday)s"),
    # Translators: the day a monthly session meets ("Every month on the last Thursday"); %(weekday)s is a weekday.
    -1: N_("on the last %(weekday)s"),
}
EARLIER_LISTED = 20  # past meetings a page lists, newest first; the count says how many more


def repeat_sentence(session: Session, options: Options) -> str:
    """The rule in words: "Every month on the third Thursday, 14:00–15:00 UTC, until 31 December 2025".

    Weekday names are CLDR's, from Babel, in the build's locale; everything else is the catalogue's.
    """
    words, repeat, start = options.translator, session.repeat, session.start
    weekday = get_day_names("wide", locale=options.locale)[start.weekday()]
    if repeat.unit == "week":
        # Translators: how often a weekly session meets; the sentence goes on with its day and time.
        every = words.ngettext("Every week", "Every %(num)d weeks", repeat.interval)
        # Translators: the day a weekly session meets ("Every week on Thursday"); %(weekday)s is a weekday.
        day = words.gettext("on %(weekday)s") % {"weekday": weekday}
    else:
        # Translators: how often a monthly session meets; the sentence goes on with its day and time.
        every = words.ngettext("Every month", "Every %(num)d months", repeat.interval)
        if repeat.weekday is not None:
            day = words.gettext(ORDINAL_DAYS[repeat.weekday[0]]) % {"weekday": weekday}
        elif start.day > 28:
            # Translators: the day of the month a monthly session meets, when some months do not have it (the 31st).
            day = words.gettext("on day %(day)d (in the months that have one)") % {"day": start.day}
        else:
            # Translators: the day of the month a monthly session meets ("Every month on day 15").
            day = words.gettext("on day %(day)d") % {"day": start.day}
    clock = format_clock(start, options.locale)
    if session.end is not None:
        clock += f"–{format_clock(session.end, options.locale)}"
    found = {
        "every": every % {"num": repeat.interval},
        "day": day,
        "time": f"{clock} {zone_label(session.timezone, options.locale, options.zone_labels)}",
    }
    if repeat.until is not None:
        # Translators: when a repeating session ends; %(day)s is the last day it may meet on.
        found["end"] = words.gettext("until %(day)s") % {"day": format_day(repeat.until, options.locale)}
    elif repeat.times is not None:
        # Translators: when a repeating session ends: after how many meetings.
        found["end"] = words.ngettext("%(num)d time", "%(num)d times", repeat.times) % {"num": repeat.times}
    rule = RULE_WITH_END if "end" in found else RULE
    return words.gettext(rule) % found


def next_meetings(session: Session, options: Options) -> list[Occurrence]:
    """The meetings not over yet within the horizon, at most ``repeat_listed``; cancelled ones included."""
    upcoming = [o for o in session.occurrences(states.horizon(options)) if o.last_instant() > options.now]
    return upcoming[: options.repeat_listed]


def earlier_meetings(session: Session, options: Options) -> tuple[list[Occurrence], int]:
    """Meetings already over, newest first (at most EARLIER_LISTED), and how many more there were."""
    past = [o for o in session.occurrences(options.today) if o.last_instant() <= options.now]
    past.reverse()
    return past[:EARLIER_LISTED], max(0, len(past) - EARLIER_LISTED)


# --- Language and country ---------------------------------------------------------------------


def language_name(tag: str | None, options: Options) -> str:
    """A checked language tag's name in the build's locale ("pt-BR" -> "Brazilian Portuguese"); "" for None."""
    return locales.language_name(tag, options.locale) if tag else ""


def language_and_autonym(tag: str, options: Options) -> Markup:
    """A language as the event page shows it, "Spanish (español)": the autonym carries its ``lang`` (and
    ``dir`` for a right-to-left script), so screen readers speak it in its language. Without CLDR data
    for the language, or when it is the page's own language, the name alone."""
    name = language_name(tag, options)
    own = locales.language_autonym(tag)
    if own is None or locales.same_language(tag, options.locale) or own.casefold() == name.casefold():
        return escape(name)
    direction = Markup(' dir="rtl"') if locales.is_right_to_left(tag) else ""
    return Markup('{} (<span lang="{}"{}>{}</span>)').format(name, tag, direction, own)


def country_name(code: str | None, options: Options) -> str:
    """A checked country code's name in the build's locale ("NG" -> "Nigeria"); "" for None."""
    return locales.country_name(code, options.locale) if code else ""


def text_lang(item, mark: str = "", *, options: Options) -> Markup:
    """` lang="en"` (and ` class="<mark>"` when asked) on content shown in its original language on a translated
    page: a screen reader then reads it in the right voice. Nothing when the words are in the page's language."""
    language = getattr(item, "text_language", None)
    if language is None or language == options.language:
        return Markup("")
    classes = f' class="{escape(mark)}"' if mark else ""
    # English inside an Arabic page keeps its own direction, or its full stops land at the wrong end.
    direction = f' dir="{language.direction}"' if language.direction != options.language.direction else ""
    return Markup(f' lang="{escape(language.code)}"{direction}{classes}')


def make_filters(options: Options) -> dict:
    """Every filter this module gives the theme, bound to the build's options."""
    return {
        "zone_times": partial(session_zone_times, options=options),
        "text_lang": partial(text_lang, options=options),
        "session_when": partial(session_when, options=options),
        "event_when": partial(event_when, options=options),
        "session_iso": session_iso,
        "is_upcoming": partial(is_upcoming, options=options),
        "is_over": partial(is_over, options=options),
        "state": partial(event_state, options=options),
        "state_attributes": partial(state_attributes, options=options),
        "registration_label": partial(registration_text, options=options),
        "day": partial(format_day, locale=options.locale),
        "utc_iso": utc_iso,
        "repeat_sentence": partial(repeat_sentence, options=options),
        "next_meetings": partial(next_meetings, options=options),
        "earlier_meetings": partial(earlier_meetings, options=options),
        "meeting_when": partial(own_zone_start, options=options),
        "meeting_day": lambda meeting: format_day(meeting.original.date(), options.locale, with_weekday=True),
        "language_name": partial(language_name, options=options),
        "language_and_autonym": partial(language_and_autonym, options=options),
        "country_name": partial(country_name, options=options),
    }
