"""The local server (`invoke serve`): real status codes and the types calendar apps need, a thread
per request, and every page answered while livereload swaps in a new build."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import MINIMAL_PAGES, ROOT, write_files

sys.path.insert(0, str(ROOT))
import tasks  # noqa: E402


@contextlib.contextmanager
def serving(folder):
    httpd = tasks.SiteServer(str(folder), ("127.0.0.1", 0))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(real_site):
    with serving(real_site.output) as url:
        yield url


def test_feeds_are_served_as_utf8_text_calendar(server):
    for path in ("/calendar.ics", "/events/series/ai-salon.ics"):
        with urllib.request.urlopen(server + path) as response:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert response.read().startswith(b"BEGIN:VCALENDAR\r\n")


def test_missing_page_gets_the_404_page_and_status(server):
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(server + "/no-such-page/")
    assert raised.value.code == 404
    assert b"<h1" in raised.value.read()


def test_a_stalled_client_does_not_hold_up_the_others(server):
    with socket.create_connection(("127.0.0.1", int(server.rsplit(":", 1)[1]))) as stalled:
        stalled.sendall(b"GET / HTTP/1.1\r\n")  # and never the rest of the request
        with urllib.request.urlopen(server + "/calendar.ics", timeout=5) as response:
            assert response.status == 200


def test_two_servers_in_one_process_each_serve_their_own_folder(tmp_path, server):
    write_files(tmp_path / "other", {"index.html": "the other site\n"})
    with serving(tmp_path / "other") as other:
        assert urllib.request.urlopen(other + "/").read() == b"the other site\n"
        assert b"the other site" not in urllib.request.urlopen(server + "/").read()


def test_every_request_during_livereload_style_rebuilds_answers_200(tmp_path, monkeypatch):
    """Build, serve, then rebuild and swap again and again while a client makes 400 requests."""
    monkeypatch.setitem(tasks.CONFIG, "deploy_path", str(tmp_path / "output"))
    monkeypatch.setitem(tasks.CONFIG, "cache_path", str(tmp_path / "cache"))
    content = tmp_path / "content"
    events = {
        f"events/2024-05-{day:02d}-talk.md": (
            f"---\ntitle: Talk {day}\nsessions:\n  - start: 2024-05-{day:02d} 10:00\n    timezone: UTC\n---\nAgenda.\n"
        )
        for day in range(1, 29)
    }
    write_files(content, {**MINIMAL_PAGES, **events})

    def rebuild():
        tasks._build(tasks.CONFIG["settings_base"], stop_on_error=False, cache=True, content=str(content))

    rebuild()
    paths = ["/", "/about/", "/events/", "/events/2024-05-14-talk/", "/calendar.ics", "/events/2024-05-14-talk.ics"]
    statuses: list[int] = []

    def ask(base):
        for number in range(400):
            try:
                with urllib.request.urlopen(base + paths[number % len(paths)], timeout=10) as response:
                    response.read()
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
            time.sleep(0.003)

    with serving(tmp_path / "output") as base:
        client = threading.Thread(target=ask, args=(base,))
        client.start()
        builds = 0
        while client.is_alive():
            rebuild()
            builds += 1
        client.join()
    assert len(statuses) == 400 and set(statuses) == {200}, f"{statuses.count(404)} of 400 answered 404"
    assert builds >= 3
    assert sorted(path.name for path in tmp_path.glob(".output-*")) == []


def test_tasks_still_offers_the_server_names_other_tests_import():
    """The server lives in tools/devserver.py; tasks.py re-exports it (test_browser.py uses these)."""
    from pelican.server import RootedHTTPServer

    from tools import devserver

    assert tasks.SiteServer is devserver.SiteServer and tasks.SiteRequestHandler is devserver.SiteRequestHandler
    assert tasks.RootedHTTPServer is RootedHTTPServer
