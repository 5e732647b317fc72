"""The Pelican generator for what other sites read from a page: share cards and structured data.

It runs after the events generator. In ``generate_context`` it works out, for every event page,
the card's text (``share_cards``), its file name (``events/<slug>/share-<digest>.png``, the
digest of everything that changes the picture, ``share_images.digest``) and the event's JSON-LD
(``jsonld``); then the site's card (``share-<digest>.png``, for every other page) and the home
page's ``Organization``. It claims each image's path and gives the templates:

* ``share_images``: each event page's card (``ShareImage``), by the page's output path;
* ``site_share_image``: the card of every other page;
* ``share_base``: the site's absolute address (``calendars.absolute_base``), for og:url;
* ``structured_data``: each event page's JSON-LD, ready for its script block, by output path;
* ``site_structured_data``: the home page's.

In ``generate_output`` it writes the images. A card already drawn is copied from
``CACHE_PATH/share-images/<digest>.png``, so a build draws only the cards whose text changed.
The cache is used when the build caches content (``CACHE_CONTENT``) or ``CACHE_PATH`` exists
already: the plugin never makes that folder for a build that does not cache, because tasks.py
builds only with a cache folder it made itself (tools/output.py, ``refuse_foreign``). After a
build the cache keeps only the cards that build used.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import tempfile
from dataclasses import dataclass

from pelican.generators import Generator

from . import jsonld, share_cards, share_images
from .calendars import absolute_base
from .errors import ContentError, collector
from .options import for_build
from .outputs import claims
from .reader import display_path

logger = logging.getLogger(__name__)

CACHE_FOLDER = "share-images"
CACHED_NAME = re.compile(r"[0-9a-f]{64}\.png")
IMAGE_NAME = "share-{digest}.png"  # beside an event's page; the site's card at the site's root
NAME_DIGEST_LENGTH = 16  # hex digits of the digest in a file name: 64 bits
SITE_IMAGE_SOURCE = "the site's share image"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class ShareImage:
    """One card: where it is written, its absolute URL, and what the templates say about it."""

    path: str  # relative to the output folder
    output_file: str  # the absolute path claims.claim gave for it
    url: str
    alt: str
    digest: str
    card: share_images.CardText
    source: str  # the content file it shows, or what else, for error messages
    width: int = share_images.WIDTH
    height: int = share_images.HEIGHT


class SharingGenerator(Generator):
    """Share cards (PNG) and schema.org JSON-LD for event pages, and the site's card and Organization."""

    def generate_context(self):
        options = for_build(self.settings)
        self.base = absolute_base(self.settings)
        site_name = self.settings["SITENAME"]
        site = jsonld.Site(site_name, self.settings.get("SITESUBTITLE") or "", self.base)
        self.images: list[ShareImage] = []
        by_page, structured = {}, {}
        for event in self.context.get("events", []):
            source = display_path(self.settings, event.source_path)
            try:
                # The cards are drawn once, by the root build; a translated page shares the site's card.
                card = share_cards.event_card(event, options, site_name) if options.is_root else None
                image = self._image(card, posixpath.dirname(event.save_as), source) if card else None
                data = jsonld.event_data(event, site, options, image.url if image else None)
            except Exception as exc:  # one event's bug must not hide every other page's result
                logger.debug("Could not work out the share card of %s", source, exc_info=True)
                collector.add(
                    ContentError(source, f"could not be built ({exc.__class__.__name__}: {exc})", "please report this")
                )
                continue
            if image is not None:
                by_page[event.save_as] = image
            if data is not None:
                structured[event.save_as] = jsonld.script_json(data)
        card = share_cards.site_card(site_name, site.description)
        self.context.update(
            share_images=by_page,
            site_share_image=self._image(card, "", SITE_IMAGE_SOURCE),
            share_base=self.base,
            structured_data=structured,
            site_structured_data=jsonld.script_json(jsonld.organization(site)),
        )

    def _image(self, card: share_images.CardText, folder: str, source: str) -> ShareImage | None:
        """The card's image in ``folder``, its path claimed; None if another source already writes that path."""
        digest = share_images.digest(card)
        relative = posixpath.join(folder, IMAGE_NAME.format(digest=digest[:NAME_DIGEST_LENGTH]))
        url = f"{self.base}/{relative}" if self.base else f"/{relative}"
        if not for_build(self.settings).is_root:  # the root build's image, at the same address
            return ShareImage(relative, "", url, card.alt, digest, card, source)
        output_file = claims.claim(self.output_path, relative, source)
        if output_file is None:
            return None
        image = ShareImage(relative, output_file, url, card.alt, digest, card, source)
        self.images.append(image)
        return image

    def generate_output(self, writer):
        cache = self._cache_folder()
        drawn = 0
        for image in self.images:
            cached = os.path.join(cache, f"{image.digest}.png") if cache else None
            data = _read_cached(cached) if cached else None
            if data is None:
                try:
                    data = share_images.render(image.card)
                except Exception as exc:
                    logger.debug("Could not draw the share card of %s", image.source, exc_info=True)
                    collector.add(
                        ContentError(
                            image.source,
                            f"could not be built ({exc.__class__.__name__}: {exc})",
                            "please report this",
                        )
                    )
                    continue
                drawn += 1
                if cached:
                    _write_atomically(cached, data)
            _write(image.output_file, data)
        if cache:
            _prune(cache, {f"{image.digest}.png" for image in self.images})
        logger.info("Wrote %s share images (%s drawn, the rest from the cache)", len(self.images), drawn)

    def _cache_folder(self) -> str | None:
        """Where drawn cards are kept between builds; None when this build keeps none (see the module's doc)."""
        cache_path = self.settings.get("CACHE_PATH")
        if not cache_path or not (self.settings.get("CACHE_CONTENT") or os.path.isdir(cache_path)):
            return None
        folder = os.path.join(cache_path, CACHE_FOLDER)
        os.makedirs(folder, exist_ok=True)
        return folder


def _read_cached(path: str) -> bytes | None:
    """A card drawn by an earlier build; None if there is none (or not a PNG: drawn again)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return data if data.startswith(PNG_SIGNATURE) else None


def _write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def _write_atomically(path: str, data: bytes) -> None:
    """Into the cache by renaming a whole file: a build stopped half-way leaves no half card behind."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _prune(folder: str, used: set[str]) -> None:
    """Remove the cards this build did not use; only files named as the cache names them."""
    for name in os.listdir(folder):
        if CACHED_NAME.fullmatch(name) and name not in used:
            os.unlink(os.path.join(folder, name))
