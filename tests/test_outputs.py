"""Output paths: claimed once, inside the output folder, or a sentence naming both sources."""

from __future__ import annotations

import pytest
from community_events.errors import collector
from community_events.inventory import image_problem, image_type
from community_events.outputs import OutputClaims

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def claims(tmp_path):
    collector.reset()
    owners = OutputClaims()
    owners.reset(str(tmp_path / "content"))
    (tmp_path / "output").mkdir()
    yield owners
    collector.reset()


def test_a_path_is_written_by_one_source(claims, tmp_path):
    output = str(tmp_path / "output")
    assert claims.claim(output, "events/index.html", "the site's events page") == str(
        tmp_path / "output/events/index.html"
    )
    assert claims.claim(output, "events/index.html", "the site's events page") is not None  # the same source again
    assert claims.claim(output, "events/./index.html", "content/pages/events.md") is None
    (error,) = collector.errors
    assert (
        str(error)
        == 'content/pages/events.md: would write "events/index.html", which the site\'s events page writes too; '
        "rename the file: the site uses that address itself"
    )


@pytest.mark.parametrize("path", ["../calendar.ics", "../output-evil/x", "/etc/passwd", "a/../../x", ".."])
def test_no_path_leaves_the_output_folder(claims, tmp_path, path):
    assert claims.claim(str(tmp_path / "output"), path, "content/events/x.md") is None
    assert "outside the site's folder" in str(collector.errors[0])


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("x.png", PNG, None),
        ("x.PNG", PNG, None),
        ("x.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, None),
        ("x.gif", b"GIF89a" + b"\0" * 20, None),
        ("x.webp", b"RIFF\0\0\0\0WEBPVP8 ", None),
        ("x.avif", b"\0\0\0\x1cftypavif" + b"\0" * 8, None),
        ("x.png", b"<script>alert(1)</script>", "is not an image"),
        ("x.jpg", PNG, "is a PNG image"),
        ("x.html", PNG, "only images can be in images/"),
        ("x.svg", b"<svg onload=alert(1)/>", "SVG images are not allowed"),
        ("x.js", b"alert(1)", "only images"),
        ("a b.png", PNG, "letters, digits, hyphens"),
        ("big.png", PNG + b"\0" * (2 * 1024 * 1024), "more than the 2048 KiB allowed"),
    ],
)
def test_images_are_known_by_their_bytes(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    problem = image_problem(str(path), name)
    assert (problem is None) if words is None else (words in problem[0])


def test_image_types_from_bytes():
    assert image_type(PNG) == "png" and image_type(b"GIF87a") == "gif" and image_type(b"<html>") is None
