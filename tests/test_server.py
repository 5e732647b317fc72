"""The local server (`invoke serve`): real status codes and the types calendar apps need."""

from __future__ import annotations

import sys
import threading
import urllib.error
import urllib.request

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
import tasks  # noqa: E402


@pytest.fixture(scope="module")
def server(real_site):
    httpd = tasks.RootedHTTPServer(str(real_site.output), ("127.0.0.1", 0), tasks.SiteRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


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
