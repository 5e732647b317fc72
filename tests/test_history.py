"""SEQUENCE from git history: schedule changes raise it, nothing else does, and nothing lowers it.

Each test builds a scratch git repository with dated commits. Most ask ``History``
directly; the rename and schema-change cases also build the whole site, so the
UIDs and SEQUENCE numbers are the ones a calendar app would read.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from community_events import history
from community_events.frontmatter import MAX_FRONT_MATTER_BYTES
from community_events.history import History, read_front_matter, schedule_fingerprints, written_calendar_id
from conftest import MINIMAL_PAGES, run_pelican, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

FALLBACK = datetime(2024, 1, 15, tzinfo=UTC)
FIRST_COMMIT = datetime(2024, 1, 2, 10, tzinfo=UTC)
UID_DOMAIN = "wikimedia-libraries.github.io"
# Commits must not depend on the machine: no user config, fixed names and dates.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

EVENT = """\
---
{head}title: {title}
status: {status}
sessions:
  - start: 2024-05-01 {time}
    timezone: Europe/Paris
    place: {place}
  - start: 2024-05-08 10:00
    timezone: Europe/Paris
---
Agenda.
"""


def event(time="10:00", place="Room 1", title="Meetup", status="scheduled", head="") -> str:
    return EVENT.format(time=time, place=place, title=title, status=status, head=textwrap.dedent(head))


class Repo:
    """A scratch repository whose content/events folder is edited and committed, an hour apart."""

    def __init__(self, root: Path):
        self.root = root
        self.events = root / "content" / "events"
        self.events.mkdir(parents=True)
        self.commits = 0
        self.git("init", "-q")

    def git(self, *args: str) -> None:
        when = (FIRST_COMMIT + timedelta(hours=self.commits)).isoformat()
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True)

    def write(self, name: str, text: str | bytes) -> None:
        path = self.events / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    def commit(self, name: str | None = None, text: str | bytes | None = None) -> None:
        if name is not None:
            self.write(name, text)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", f"edit {self.commits}")
        self.commits += 1

    def move(self, old: str, new: str) -> None:
        self.git("mv", f"content/events/{old}", f"content/events/{new}")
        self.commit()

    def sequence(self, name: str, calendar_id: str | None = None) -> dict[int, int]:
        calendar_id = calendar_id or Path(name).stem
        return History(str(self.events), FALLBACK).revision(str(self.events / name), calendar_id).sequence

    def feed(self, name: str) -> dict[str, int]:
        """UID -> SEQUENCE in a full build's feed for the event in this file."""
        write_files(self.root / "content", MINIMAL_PAGES)
        output = self.root.parent / f"output-{self.commits}"
        run_pelican(self.root / "content", output, today="2024-01-01")
        events = Calendar.from_ical((output / "events" / f"{Path(name).stem}.ics").read_bytes()).walk("VEVENT")
        return {str(e["UID"]): int(e["SEQUENCE"]) for e in events}


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path / "repo")


def uid(calendar_id: str, number: int) -> str:
    return f"{calendar_id}-{number}@{UID_DOMAIN}"


# --- (a) fields the model no longer accepts ----------------------------------------------------------


def test_versions_with_retired_fields_still_count_and_a_time_change_counts_once(repo):
    retired = "slug: meetup\norganizers: [Ada]\n"  # slug is being retired; organizers is the old spelling
    repo.commit("meetup.md", event(head=retired))
    repo.commit("meetup.md", event(head=retired, time="11:00"))
    repo.commit("meetup.md", event(head="organisers: [Ada]\n", time="11:00"))  # content follows the code's rename
    repo.commit("meetup.md", event(head="organisers: [Ada, Grace]\n", time="11:00"))
    assert repo.sequence("meetup.md") == {1: 1}
    assert repo.feed("meetup.md") == {uid("meetup", 1): 1, uid("meetup", 2): 0}


def test_history_does_not_ask_the_content_model(repo, monkeypatch):
    """Whatever the model accepts today, the history reads the same."""
    from community_events import model

    repo.commit("meetup.md", event())
    repo.commit("meetup.md", event(time="11:00"))

    def refuse(*args, **kwargs):
        raise AssertionError("history must not depend on today's model")

    monkeypatch.setattr(model, "parse_event", refuse)
    assert repo.sequence("meetup.md") == {1: 1}


def test_a_stricter_yaml_dialect_later_drops_no_version(repo, monkeypatch):
    """If the site's YAML reader refuses old front matter one day (anchors, say), plain YAML still reads it."""
    anchored = (
        "---\ntitle: Meetup\nsessions:\n  - start: 2024-05-01 {time}\n    timezone: &zone Europe/Paris\n"
        "  - start: 2024-05-08 10:00\n    timezone: *zone\n---\n"
    )
    repo.commit("meetup.md", anchored.format(time="10:00"))
    repo.commit("meetup.md", anchored.format(time="11:00"))
    assert repo.sequence("meetup.md") == {1: 1}

    def refuse(path, text, line_offset=0):
        from community_events.errors import ContentError

        raise ContentError(path, "is refused by a stricter reader", "rewrite it")

    monkeypatch.setattr(history, "parse_yaml", refuse)
    assert repo.sequence("meetup.md") == {1: 1}


# --- (b) changes that are not to the schedule -------------------------------------------------------


def test_only_schedule_changes_raise_sequence(repo):
    repo.commit("meetup.md", event())
    unrelated = [
        event(title="Meetup, second edition"),
        event(title="Meetup, second edition", head="summary: A meetup.\ntags: [wikidata]\n"),
        event(
            title="Meetup, second edition", head="summary: A meetup.\ntags: [wikidata]\nhosts: [Ada]\n"
        ),  # a new field
        event(
            title="Meetup, second edition", head="summary: A meetup.\ntags: [wikidata]\nspeakers: [Ada]\n"
        ),  # renamed
        # quoting, a comment, reordering, spacing, and writing out the default status
        event(title="Meetup, second edition", head="# moved up\nspeakers: [Ada]\n")
        .replace("2024-05-01 10:00", '"2024-05-01 10:00"')
        .replace("place: Room 1", "place:   'Room 1'"),
        event(title="Meetup, second edition").replace(
            "    timezone: Europe/Paris\n    place: Room 1\n", "    place: Room 1\n    timezone: Europe/Paris\n"
        ),
        event(title="Meetup, second edition").replace(
            "    place: Room 1\n", "    place: Room 1\n    platform: Zoom\n    join: https://example.org/j/1\n"
        ),
        event(title="Meetup, second edition").replace(
            "    place: Room 1\n", "    place: Room 1\n    platform: Jitsi\n    join: https://example.org/j/2\n"
        ),
    ]
    for text in unrelated:
        repo.commit("meetup.md", text)
        assert repo.sequence("meetup.md") == {}, text
    assert repo.sequence("meetup.md") == {}

    repo.commit("meetup.md", event(place="Room 2"))
    repo.commit("meetup.md", event(place="Room 2", status="Cancelled"))  # status read without its case
    repo.commit("meetup.md", event(place="Room 2", status="cancelled"))
    assert repo.sequence("meetup.md") == {1: 2, 2: 1}


def test_each_schedule_field_counts(repo):
    repo.commit("meetup.md", event())
    edits = [
        ("2024-05-01 10:00", "2024-05-01 10:30"),
        ("Europe/Paris\n    place", "Europe/Berlin\n    place"),
        ("    place: Room 1\n", "    place: Room 1\n    end: 12:00\n"),
        ("end: 12:00", "duration: 2 hours"),
    ]
    text = event()
    for count, (old, new) in enumerate(edits, start=1):
        text = text.replace(old, new)
        repo.commit("meetup.md", text)
        assert repo.sequence("meetup.md") == {1: count}


def test_an_uncommitted_schedule_change_counts_one_more(repo):
    repo.commit("meetup.md", event())
    repo.commit("meetup.md", event(time="11:00"))
    repo.write("meetup.md", event(time="11:00", title="Retitled"))
    assert repo.sequence("meetup.md") == {1: 1}
    repo.write("meetup.md", event(time="12:00"))
    assert repo.sequence("meetup.md") == {1: 2}


# --- (c) renames ------------------------------------------------------------------------------------


def test_a_rename_that_keeps_the_id_keeps_counting(repo):
    repo.commit("a.md", event(head="id: meetup\n"))
    repo.commit("a.md", event(head="id: meetup\n", time="11:00"))
    repo.move("a.md", "b.md")
    assert repo.sequence("b.md", "meetup") == {1: 1}
    repo.commit("b.md", event(head="id: meetup\n", time="12:00"))
    assert repo.sequence("b.md", "meetup") == {1: 2}
    assert repo.feed("b.md") == {uid("meetup", 1): 2, uid("meetup", 2): 0}


def test_an_id_written_at_the_rename_continues_the_file_names_entries(repo):
    """a.md without id had the calendar id "a"; renamed with "id: a", its entries are the same."""
    repo.commit("a.md", event())
    repo.commit("a.md", event(time="11:00"))
    repo.git("mv", "content/events/a.md", "content/events/b.md")
    repo.commit("b.md", event(head="id: a\n", time="12:00"))  # renamed and edited in one commit
    assert repo.sequence("b.md", "a") == {1: 2}


def test_a_file_replaced_by_another_with_its_id_keeps_counting(repo):
    """Deleted, and added under a new name with "id: <old name>" and a new text: git sees no rename."""
    repo.commit("old-name.md", event())
    repo.commit("old-name.md", event(time="11:00"))
    repo.commit("old-name.md", event(time="12:00"))
    (repo.events / "old-name.md").unlink()
    rewritten = event(head="id: old-name\n", time="12:00", title="A wholly new title").replace(
        "Agenda.", "A new agenda, " * 40
    )
    repo.commit("new-name.md", rewritten)
    assert repo.sequence("new-name.md", "old-name") == {1: 2}
    repo.commit("new-name.md", rewritten.replace("12:00", "13:00"))
    assert repo.sequence("new-name.md", "old-name") == {1: 3}


def test_front_matter_of_the_largest_size_allowed_is_still_read(repo):
    """A comment pads the front matter to exactly the model's limit; the closing line then lies past 64 KiB."""

    def padded(**changes) -> str:
        text = event(head="# \n", **changes)
        front_matter = text.split("---\n")[1]
        return text.replace("# \n", "# " + "x" * (MAX_FRONT_MATTER_BYTES - len(front_matter.encode())) + "\n", 1)

    repo.commit("meetup.md", padded())
    repo.commit("meetup.md", padded(time="11:00"))
    assert repo.sequence("meetup.md") == {1: 1}


def test_a_rename_without_id_starts_afresh(repo):
    repo.commit("a.md", event())
    repo.commit("a.md", event(time="11:00"))
    repo.move("a.md", "b.md")
    assert repo.sequence("b.md") == {}  # new UIDs b-1, b-2: new entries for every calendar
    repo.commit("b.md", event(time="12:00"))
    assert repo.sequence("b.md") == {1: 1}
    assert repo.feed("b.md") == {uid("b", 1): 1, uid("b", 2): 0}


def test_a_rename_that_changes_the_id_starts_afresh(repo):
    repo.commit("a.md", event(head="id: old\n"))
    repo.commit("a.md", event(head="id: old\n", time="11:00"))
    repo.git("mv", "content/events/a.md", "content/events/b.md")
    repo.commit("b.md", event(head="id: new\n", time="11:00"))
    assert repo.sequence("b.md", "new") == {}


def test_names_passed_along_in_one_commit_keep_their_own_histories():
    """a -> b and c -> a in one commit (git reports it so only with -B, but the order must not matter)."""
    day = [datetime(2024, 1, d, tzinfo=UTC) for d in (1, 2, 3)]
    commits = [  # newest first, as git log gives them
        (day[2], [("a.md", "b.md", "1" * 40), ("c.md", "a.md", "3" * 40)]),
        (day[1], [(None, "c.md", "3" * 40)]),
        (day[0], [(None, "a.md", "1" * 40)]),
    ]
    lineages = history._lineages(commits, lambda path: path)
    assert [(v.path, v.blob[0]) for v in lineages["b.md"]] == [("a.md", "1"), ("b.md", "1")]
    assert [(v.path, v.blob[0]) for v in lineages["a.md"]] == [("c.md", "3"), ("a.md", "3")]
    assert set(lineages) == {"a.md", "b.md"}


def test_file_names_that_git_would_quote(repo):
    repo.commit("r\u00e9union \u201cd\u2019\u00e9t\u00e9\u201d.md", event())
    repo.commit("r\u00e9union \u201cd\u2019\u00e9t\u00e9\u201d.md", event(time="11:00"))
    assert repo.sequence("r\u00e9union \u201cd\u2019\u00e9t\u00e9\u201d.md", "x") == {1: 1}


def test_a_file_added_again_under_its_old_name_continues(repo):
    """As before renames were followed: the same name gives the same UIDs, whose SEQUENCE must not fall."""
    repo.commit("a.md", event())
    repo.commit("a.md", event(time="11:00"))
    (repo.events / "a.md").unlink()
    repo.commit()
    repo.commit("a.md", event(time="11:00"))
    assert repo.sequence("a.md") == {1: 1}


# --- (d) versions that cannot be read ---------------------------------------------------------------

BROKEN_VERSIONS = [
    event(time="09:00").replace("title: Meetup", 'title: "Meetup'),  # an unclosed quote
    event(time="09:00").replace("    timezone", "\ttimezone", 1),  # a tab
    event(time="09:00").replace("\n---\nAgenda", "\nAgenda"),  # never closed
    "---\ntitle: Meetup\nsessions:\n  start: 2024-05-01 09:00\n  timezone: Europe/Paris\n---\n",  # no list of sessions
    "---\n- a list\n- not fields\n---\n",
    "no front matter at all\n",
    "",
]


@pytest.mark.parametrize("broken", BROKEN_VERSIONS, ids=range(len(BROKEN_VERSIONS)))
def test_a_version_that_cannot_be_read_is_skipped_not_fatal(repo, broken):
    repo.commit("meetup.md", event())
    repo.commit("meetup.md", broken)
    repo.commit("meetup.md", event(time="11:00"))
    assert repo.sequence("meetup.md") == {1: 1}  # 10:00 -> 11:00; the 09:00 in a broken version never counts


def test_a_version_in_another_encoding_is_read_as_far_as_it_can_be(repo):
    """Only the title is damaged; the schedule in it is read, so its change counts (raising, never lowering)."""
    repo.commit("meetup.md", event())
    repo.commit("meetup.md", event(time="09:00", title="R\u00e9union").encode("latin-1"))
    repo.commit("meetup.md", event(time="11:00"))
    assert repo.sequence("meetup.md") == {1: 2}


def test_a_broken_version_is_skipped_in_a_full_build(repo):
    repo.commit("meetup.md", event())
    repo.commit("meetup.md", BROKEN_VERSIONS[0])
    repo.commit("meetup.md", event(time="11:00"))
    assert repo.feed("meetup.md") == {uid("meetup", 1): 1, uid("meetup", 2): 0}


def test_the_lenient_reader_never_raises_and_stays_quick_on_hostile_input():
    # 10**5 x's behind one alias: small enough that a failure here is quick to report.
    laughs = (
        "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(4))
        + "sessions:\n  - start: 2024-05-01\n    place: *e\n---\n"
    )
    started = time.perf_counter()
    fingerprints = schedule_fingerprints(read_front_matter(laughs.encode()))
    assert time.perf_counter() - started < 1
    assert fingerprints == {
        1: ("2024-05-01", None, None, None, history.NOT_TEXT, None, "scheduled")
    }  # never str() of the list


def test_an_aliased_repeat_block_is_walked_within_a_budget():
    # 10**7 dates behind aliases, within the nesting a rule may have: the fingerprint gives up instead.
    laughs = (
        "---\na: &a [" + ", ".join(["2024-05-01"] * 10) + "]\n"
        "b: &b [" + ", ".join(["*a"] * 1000) + "]\n"
        "sessions:\n  - start: 2024-05-01 10:00\n    repeat:\n      every: week\n"
        "      except: [" + ", ".join(["*b"] * 1000) + "]\n---\n"
    )
    started = time.perf_counter()
    fingerprints = schedule_fingerprints(read_front_matter(laughs.encode()))
    assert time.perf_counter() - started < 1
    assert fingerprints[1][-2] == history.NOT_TEXT


def test_a_change_to_the_repeat_rule_changes_the_fingerprint():
    def fingerprint(repeat: str) -> object:
        text = f"---\nsessions:\n  - start: 2025-01-16 14:00\n    timezone: UTC\n    repeat:\n{repeat}---\n"
        return schedule_fingerprints(read_front_matter(text.encode()))[1]

    base = fingerprint("      every: month\n")
    assert fingerprint("      every: month\n") == base
    assert fingerprint("      every: week\n") != base
    assert fingerprint("      every: month\n      except: [2025-02-20]\n") != base
    huge = b"---\ntitle: x\n" + b"summary: " + b"y" * history.MAX_VERSION_BYTES + b"\n---\n"
    assert read_front_matter(huge) is None
    deep = ("---\nsessions: " + "[" * 5000 + "]" * 5000 + "\n---\n").encode()
    assert schedule_fingerprints(read_front_matter(deep)) in (None, {})


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: ("---\n" + t + "\n---\n").encode("utf-8", "surrogatepass"))
)
def test_any_bytes_are_read_or_refused_never_raised(data):
    fields = read_front_matter(data)
    schedule_fingerprints(fields)
    written_calendar_id(fields, "content/events/x.md")


def test_the_calendar_id_a_version_had():
    assert written_calendar_id({"id": " meetup ", "slug": "other"}, "events/a.md") == "meetup"
    assert written_calendar_id({"slug": "other"}, "events/a.md") == "other"  # before slug was retired
    assert written_calendar_id({"id": ""}, "events/a.md") == "a"
    assert written_calendar_id(None, "events/sub/a.md") == "a"


# --- cost --------------------------------------------------------------------------------------------


def test_files_with_one_version_read_no_blobs(repo, monkeypatch):
    repo.commit("a.md", event(head="id: meetup\n"))
    repo.move("a.md", "b.md")  # renamed, but still one version

    def no_blobs(self, ids):
        raise AssertionError("read blobs for a file with one version")

    monkeypatch.setattr(History, "_blobs", no_blobs)
    assert repo.sequence("b.md", "meetup") == {}


def test_without_git_nothing_is_run(tmp_path, monkeypatch):
    events = tmp_path / "content" / "events"
    events.mkdir(parents=True)
    (events / "a.md").write_text(event(), encoding="utf-8")
    calls = []
    real_git = history._git
    monkeypatch.setattr(history, "_git", lambda *args, **kwargs: calls.append(args[1:]) or real_git(*args, **kwargs))
    revision = History(str(events), FALLBACK).revision(str(events / "a.md"), "a")
    assert revision.sequence == {} and revision.modified == FALLBACK
    assert calls == [("rev-parse", "--show-toplevel")]


# --- (e) SEQUENCE never goes down --------------------------------------------------------------------

HOURS = [f"{hour:02}:00" for hour in range(8, 12)]
PLACES = ["Room 1", "Room 2", "Hall"]
STATUSES = ["scheduled", "cancelled", "postponed"]
EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("time"), st.integers(0, 2), st.sampled_from(HOURS)),
        st.tuples(st.just("place"), st.integers(0, 2), st.sampled_from(PLACES)),
        st.tuples(st.just("status"), st.sampled_from(STATUSES)),
        st.tuples(st.just("title"), st.sampled_from(["Meetup", "Meetup!", "The meetup"])),
        st.tuples(st.just("field"), st.sampled_from(["organizers", "organisers", "speakers", "slug"])),
        st.tuples(st.just("quote"), st.booleans()),
        st.tuples(st.just("sessions"), st.integers(1, 3)),
        st.tuples(st.just("broken")),
        st.tuples(st.just("rename")),
        st.tuples(st.just("uncommitted")),
    ),
    min_size=1,
    max_size=7,
)


class EditedEvent:
    """An event file edited at random, and what its schedule is by the test's own account."""

    def __init__(self):
        self.name, self.renames = "meetup.md", 0
        self.times, self.places = ["10:00"] * 3, ["Room 1"] * 3
        self.count, self.status, self.title, self.field, self.quoted = 2, "scheduled", "Meetup", "", False

    def apply(self, edit: tuple) -> None:
        kind, *values = edit
        if kind == "time":
            self.times[values[0]] = values[1]
        elif kind == "place":
            self.places[values[0]] = values[1]
        elif kind == "sessions":
            self.count = values[0]
        elif kind in ("status", "title", "field", "quote"):
            setattr(self, {"quote": "quoted"}.get(kind, kind), values[0])

    def schedule(self) -> dict[int, tuple]:
        return {n + 1: (self.times[n], self.places[n], self.status) for n in range(self.count)}

    def text(self) -> str:
        quote = '"' if self.quoted else ""
        sessions = "".join(
            f"  - start: {quote}2024-05-0{n + 1} {self.times[n]}{quote}\n"
            f"    timezone: Europe/Paris\n    place: {self.places[n]}\n"
            for n in range(self.count)
        )
        field = f"{self.field}: [Ada]\n" if self.field else ""
        return (
            f"---\nid: meetup\ntitle: {self.title}\nstatus: {self.status}\n{field}sessions:\n{sessions}---\nAgenda.\n"
        )


def _expected(schedules: list[dict[int, tuple]]) -> dict[int, int]:
    changes, last = {}, {}
    for schedule in schedules:
        for number, value in schedule.items():
            if number in last and last[number] != value:
                changes[number] = changes.get(number, 0) + 1
            last[number] = value
    return changes


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EDITS)
def test_sequence_never_decreases_as_commits_are_added(edits):
    with tempfile.TemporaryDirectory() as folder:
        repo, edited = Repo(Path(folder) / "repo"), EditedEvent()
        repo.commit(edited.name, edited.text())
        schedules, seen = [edited.schedule()], {}
        for edit in edits:
            if edit[0] == "rename":
                edited.renames += 1
                new_name = f"meetup-{edited.renames}.md"
                repo.move(edited.name, new_name)
                edited.name = new_name
            elif edit[0] == "broken":
                repo.commit(edited.name, edited.text().replace("title: ", 'title: "', 1))
            elif edit[0] == "uncommitted":
                repo.write(edited.name, edited.text().replace("10:00", "10:05"))
                preview = repo.sequence(edited.name, "meetup")
                assert all(preview.get(n, 0) >= count for n, count in seen.items()), (preview, seen)
                repo.git("checkout", "--", f"content/events/{edited.name}")
                continue
            else:
                edited.apply(edit)
                repo.commit(edited.name, edited.text())
                schedules.append(edited.schedule())
            sequence = repo.sequence(edited.name, "meetup")
            assert sequence == _expected(schedules), (edits, sequence)
            assert all(sequence.get(n, 0) >= count for n, count in seen.items()), (edits, sequence, seen)
            seen = sequence
