"""What each share card says: the text of an event's card, and of the site's.

Every line is text the event's page already shows, from the functions that write it there
(``display``): the status as the page names it, a timed session's start and end in its own zone
and in two display zones (``ZoneTime.text``, the page's "several zones" lines), a date known
less exactly as the page words it, a repeating session's rule. ``share_images`` draws it.
"""

from __future__ import annotations

from . import display
from .options import Options
from .share_images import CardText
from .zones import is_utc

ZONES_ON_CARD = 3
UNTIMED_SESSIONS_ON_CARD = 3
# The statuses a card names, as the event page does ("Cancelled.", "Postponed.", "Tentative.").
STATUS_WORDS = {"cancelled": "Cancelled", "postponed": "Postponed", "tentative": "Tentative"}
NEXT_MEETING = "Next: {when}"


def card_zone_lines(times) -> list[str]:
    """Three of a timed session's zone lines: its own zone, UTC, then the first other zone the page lists.

    The page lists every display zone, west to east; a card has room for three, and UTC is the one
    a reader anywhere can convert from.
    """
    if not times:
        return []
    own, others = times[0], list(times[1:])
    chosen = [z for z in others if is_utc(z.zone)][:1]
    chosen += [z for z in others if z not in chosen][: ZONES_ON_CARD - 1 - len(chosen)]
    chosen.sort(key=others.index)  # in the page's order
    return [own.text, *(z.text for z in chosen)]


def _repeating_lines(session, event, options: Options) -> list[str]:
    lines = [display.repeat_sentence(session, options)]
    meeting = next((m for m in display.next_meetings(session, options) if not m.cancelled), None)
    if meeting is not None:
        zone_lines = card_zone_lines(display.session_zone_times(meeting, event, options))
        lines += [NEXT_MEETING.format(when=zone_lines[0]), *zone_lines[1:]]
    return lines


def _when_lines(event, options: Options) -> list[str]:
    sessions = event.model.sessions
    first = sessions[0]
    if first.is_repeating:
        lines, shown = _repeating_lines(first, event, options), 1
    elif first.is_timed:
        lines, shown = card_zone_lines(display.session_zone_times(first, event, options)), 1
    else:
        untimed = []
        for session in sessions[:UNTIMED_SESSIONS_ON_CARD]:
            if session.is_timed or session.is_repeating:
                break
            untimed.append(display.session_when(session, options))
        # Sessions on one day with the same words ("Tue, 26 May 2020, time not recorded") are one line.
        lines, shown = list(dict.fromkeys(untimed)), len(untimed)
    more = len(sessions) - shown
    if more:
        lines.append(f"and {more} more session{'' if more == 1 else 's'}")
    return lines


def event_card(event, options: Options, site_name: str) -> CardText:
    """An event page's card: the site, the title, the status if the page names one, and when."""
    status = event.model.status
    # "Tentative" only while it can be attended, as the page says it.
    word = STATUS_WORDS.get(status) if status != "tentative" or display.is_live(event, options) else None
    return CardText(site_name=site_name, title=event.title, status=word or "", when=tuple(_when_lines(event, options)))


def site_card(site_name: str, subtitle: str) -> CardText:
    """The card of every other page: the site's name as the title (not above it too), and its subtitle."""
    return CardText(site_name="", title=site_name, when=(subtitle,) if subtitle else ())
