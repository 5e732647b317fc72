"""Share cards as PNG: what a card says (``CardText``) drawn with Pillow in the bundled font.

Pure apart from reading the two font files: text in, PNG bytes out, and no network. A card is
1200×630 (the size Open Graph and X/Twitter large cards show) with the site's name, the title
(wrapped, at most ``TITLE_LINES`` lines, the last shortened with an ellipsis) and up to
``WHEN_LINES`` lines below it: the status, if any, and when. Every input that can change the
picture goes into ``digest``: the text, the size, the fonts' bytes, this module's
``RENDERER_VERSION`` and Pillow's version.
The digest names the file, so an unchanged card keeps its name and is never drawn again.

Drawing: the text is drawn as a grey-level coverage mask, cut to ``SHADES`` levels, and that
mask becomes the picture's palette indexes, from the background colour to the text colour. So
the PNG is a palette image of at most 16 colours, which keeps a card near 20 KB (the limit is
``MAX_BYTES``). The fonts are subsets of Noto Sans (fonts/README.md): Latin, Greek, Cyrillic and
punctuation. A character they lack (Chinese, Arabic, an emoji) is drawn as their .notdef glyph,
which is blank: a gap on the card, never an error; the image's alt text keeps every character.
Pillow's basic layout is used on purpose: it needs no libraqm, so every machine lays out a card
the same way.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

# Change this whenever a change here changes the pictures: every card is drawn again.
RENDERER_VERSION = "1"
WIDTH, HEIGHT = 1200, 630
MAX_BYTES = 60 * 1024
FONTS = Path(__file__).resolve().parent / "fonts"
BOLD_FONT = FONTS / "NotoSans-Bold.ttf"
REGULAR_FONT = FONTS / "NotoSans-Regular.ttf"

BACKGROUND = (31, 95, 139)  # the theme's --accent (site.css)
TEXT = (255, 255, 255)  # white on it: contrast 6.9:1
STRIPE = (255, 176, 102)  # the theme's dark-mode --focus, a band along the bottom
SHADES = 15  # grey levels of text, background included; with the stripe, 16 colours
SITE_NAME_SHADE = 200  # of 255: the site's name is drawn a little dimmer than the title

MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
SITE_NAME_SIZE, TITLE_SIZE, WHEN_SIZE = 30, 62, 36
SITE_NAME_TOP, TITLE_TOP = 52, 122
TITLE_LEADING, WHEN_LEADING = 78, 50
TITLE_GAP = 26  # between the title's last line and the first line saying when
TITLE_LINES, WHEN_LINES = 3, 5
WHEN_WRAP = 2  # lines one entry below the title may take
STRIPE_HEIGHT = 18
BOTTOM = HEIGHT - STRIPE_HEIGHT - 24  # no line of text starts below this
ELLIPSIS = "…"
# zlib's default level. optimize=True (level 9) made cards 10% smaller (17.0 KB, not 18.8 KB)
# but took 32 ms a card instead of 4 ms, measured on this project's machine; both are far under MAX_BYTES.
COMPRESS_LEVEL = 6


@dataclass(frozen=True, slots=True)
class CardText:
    """Everything a card says, in order: the site's name, the title, a status ("Cancelled"), and when."""

    site_name: str
    title: str
    status: str = ""
    when: tuple[str, ...] = ()

    @property
    def alt(self) -> str:
        """The card's text as one line, for og:image:alt: what it shows, and what the fonts could not draw."""
        return ". ".join(part for part in (self.title, self.status, *self.when) if part)


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return BOLD_FONT.read_bytes() + REGULAR_FONT.read_bytes()


def digest(card: CardText) -> str:
    """A SHA-256 of every input that changes the picture, as hex."""
    inputs = hashlib.sha256()
    fixed = (RENDERER_VERSION, PIL.__version__, f"{WIDTH}x{HEIGHT}")
    for part in (*fixed, card.site_name, card.title, card.status, *card.when):
        inputs.update(part.encode("utf-8"))
        inputs.update(b"\0")  # so ("ab", "c") and ("a", "bc") differ
    inputs.update(_font_bytes())
    return inputs.hexdigest()


@lru_cache(maxsize=8)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _clean(text: str) -> str:
    """NFC (a letter and its accent as one character, as the fonts have them), on one line."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fitting(text: str, font: ImageFont.FreeTypeFont, width: int, suffix: str = "") -> int:
    """How many of ``text``'s first characters fit in ``width`` followed by ``suffix`` (by bisection)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + suffix) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _ended(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` with an ellipsis after it, shortened until both fit: more followed that was left out."""
    return text[: _fitting(text, font, width, ELLIPSIS)].rstrip() + ELLIPSIS


def shorten(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` if it fits in ``width``, else as much of it as fits and an ellipsis."""
    return text if font.getlength(text) <= width else _ended(text, font, width)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """``text`` in lines that fit ``width``, at most ``most``; if text is left over, the last ends with an ellipsis.

    Lines break between words; a word wider than a whole line is cut where it reaches the edge.
    """
    lines: list[str] = []
    line = ""
    for word in _clean(text).split(" "):
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while font.getlength(line) > width:
            cut = max(_fitting(line, font, width), 1)
            lines.append(line[:cut])
            line = line[cut:]
        if len(lines) > most:  # enough to know that some is left over
            break
    if line:
        lines.append(line)
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], _ended(lines[most - 1], font, width)]


def layout(card: CardText) -> list[tuple[str, Path, int, int, int]]:
    """Each line to draw: its text, font file, size, top and shade (of 255)."""
    site_font, when_font = _font(REGULAR_FONT, SITE_NAME_SIZE), _font(REGULAR_FONT, WHEN_SIZE)
    below = [(line, BOLD_FONT) for line in ([card.status] if card.status else [])]
    for entry in card.when:  # each on a line, or two when long (a repeating session's rule)
        below += [(line, REGULAR_FONT) for line in wrap(entry, when_font, TEXT_WIDTH, WHEN_WRAP)]
    below = below[:WHEN_LINES]
    # What the card says below the title comes first; the title gets the lines left (two when five are taken).
    room = (BOTTOM - TITLE_TOP - TITLE_GAP - len(below) * WHEN_LEADING) // TITLE_LEADING
    drawn = [
        (
            shorten(_clean(card.site_name), site_font, TEXT_WIDTH),
            REGULAR_FONT,
            SITE_NAME_SIZE,
            SITE_NAME_TOP,
            SITE_NAME_SHADE,
        )
    ]
    top = TITLE_TOP
    for line in wrap(card.title, _font(BOLD_FONT, TITLE_SIZE), TEXT_WIDTH, max(1, min(TITLE_LINES, room))):
        drawn.append((line, BOLD_FONT, TITLE_SIZE, top, 255))
        top += TITLE_LEADING
    top += TITLE_GAP
    for line, font_path in below:
        drawn.append((shorten(line, _font(font_path, WHEN_SIZE), TEXT_WIDTH), font_path, WHEN_SIZE, top, 255))
        top += WHEN_LEADING
    return drawn


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    """SHADES steps from the background to the text colour, then the stripe's colour."""
    palette = []
    for step in range(SHADES):
        share = step / (SHADES - 1)
        palette += [round(back + (front - back) * share) for back, front in zip(BACKGROUND, TEXT, strict=True)]
    return palette + list(STRIPE)


@lru_cache(maxsize=1)
def _shade_table() -> list[int]:
    """Coverage 0-255 to the nearest of the SHADES palette steps."""
    return [round(value * (SHADES - 1) / 255) for value in range(256)]


def render(card: CardText) -> bytes:
    """The card as PNG bytes."""
    coverage = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(coverage)
    for text, font_path, size, top, shade in layout(card):
        draw.text((MARGIN, top), text, font=_font(font_path, size), fill=shade)
    picture = coverage.point(_shade_table())
    picture = Image.frombytes("P", picture.size, picture.tobytes())
    picture.putpalette(_palette())
    ImageDraw.Draw(picture).rectangle((0, HEIGHT - STRIPE_HEIGHT, WIDTH, HEIGHT), fill=SHADES)
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=COMPRESS_LEVEL)
    return out.getvalue()
