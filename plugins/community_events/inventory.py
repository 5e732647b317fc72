"""Every file under content/ is a Markdown file we read or an image we allow; anything else is refused.

Pelican would read ``.html`` and ``.rst`` files with readers of its own, copy
any file a ``{static}`` link names, and follow symbolic links out of the
repository. Here the content folder is walked once per build, without following
links, and each file must be either a ``.md`` file directly in one of the
content folders or an image in ``images/`` whose bytes are a PNG, JPEG, WebP,
AVIF or GIF of the type its name says (a browser trusts the name's type, so an
HTML page named ``x.png`` must not pass). Each other file is an error that names
the file and the folder it probably belongs in.
"""

from __future__ import annotations

import os
import re
import stat

from .errors import ContentError, close_matches
from .model import name_from_path
from .options import LANGUAGE_CODE, content_folders, language_codes

IMAGES_FOLDER = "images"
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IGNORED_NAMES = (".gitkeep",)
# Translations, "about.es.md": read with their original by the reader, never on their own by Pelican.
TRANSLATION_FILES = "*.*.md"  # git keeps no empty folders; this file is how people keep one
IMAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
# The first bytes of each allowed image type, by the extensions that name it.
IMAGE_SIGNATURES = {
    "png": (lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), ("png",)),
    "jpeg": (lambda head: head.startswith(b"\xff\xd8\xff"), ("jpg", "jpeg")),
    "gif": (lambda head: head[:6] in (b"GIF87a", b"GIF89a"), ("gif",)),
    "webp": (lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP", ("webp",)),
    "avif": (lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"), ("avif",)),
}
SYMLINK_PROBLEM, SYMLINK_FIX = "is a symbolic link, which the site never follows", "replace it with the file itself"
NOT_A_FILE_PROBLEM = "is not a regular file"
# Pelican's own walk follows links and opens what it finds: with one of these, the build cannot go on.
STOPS_THE_BUILD = (SYMLINK_PROBLEM, NOT_A_FILE_PROBLEM)
NESTED_PROBLEM = "content files go directly in their folder, not in a folder inside it"
NESTED_FIX = "move it up into content/{folder}/"
IMAGE_EXTENSIONS = tuple(ext for _, extensions in IMAGE_SIGNATURES.values() for ext in extensions)


def image_type(head: bytes) -> str | None:
    """The image type the first bytes of a file show, or None."""
    return next((name for name, (matches, _) in IMAGE_SIGNATURES.items() if matches(head)), None)


def image_problem(full_path: str, name: str) -> tuple[str, str] | None:
    """Why this file in images/ cannot be published, and the fix; None when it can."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "svg":
        return "SVG images are not allowed, because they can carry script", "save the image as PNG or WebP"
    if extension not in IMAGE_EXTENSIONS:
        return (
            f"only images can be in {IMAGES_FOLDER}/ (PNG, JPEG, WebP, AVIF or GIF)",
            "remove the file, or link to it on another site",
        )
    if not IMAGE_NAME.match(name):
        return (
            "the image's name can only have letters, digits, hyphens, underscores and dots",
            "rename it, for example to photo-2024.jpg",
        )
    size = os.stat(full_path, follow_symlinks=False).st_size
    if size > MAX_IMAGE_BYTES:
        return (
            f"the image is {size // 1024} KiB, more than the {MAX_IMAGE_BYTES // 1024} KiB allowed",
            "make it smaller (1,600 pixels wide is plenty for the site)",
        )
    with open(full_path, "rb") as handle:
        found = image_type(handle.read(16))
    if found is None or extension not in IMAGE_SIGNATURES[found][1]:
        what = f"a {found.upper()} image" if found else "not an image"
        return f'the file is named ".{extension}" but is {what}', "export it again as the image type its name says"
    return None


def _where_it_belongs(name: str, known: list[str]) -> str:
    close = close_matches(name.lower(), known, n=1, cutoff=0.5)
    return f"content/{close[0]}/" if close else "one of " + ", ".join(f"content/{k}/" for k in known)


def scan(content_root: str, settings: dict) -> list[ContentError]:
    """Errors for every file under the content folder that is neither content nor an allowed image."""
    root_name = os.path.basename(os.path.normpath(content_root))
    if os.path.islink(os.path.normpath(content_root)):
        return [ContentError(root_name, SYMLINK_PROBLEM, SYMLINK_FIX)]
    kinds = content_folders(settings)
    known = sorted([*kinds, IMAGES_FOLDER])
    codes = translation_codes(settings)
    errors: list[ContentError] = []
    for folder, subfolders, files in os.walk(content_root):
        relative = os.path.relpath(folder, content_root)
        parts = [] if relative == os.curdir else relative.split(os.sep)
        for name in sorted(subfolders + files):
            full = os.path.join(folder, name)
            shown = "/".join([root_name, *parts, name])
            problem = _problem(full, name, parts, kinds, known)
            if problem:
                errors.append(ContentError(shown, *problem))
            elif parts and parts[0] in kinds:
                errors.extend(_translation_problems(shown, full, name, codes, kinds[parts[0]]))
        subfolders[:] = [
            d for d in subfolders if not os.path.islink(os.path.join(folder, d))
        ]  # reported above, never followed
    return errors


def translation_codes(settings: dict) -> tuple[str, ...]:
    """The languages content may be translated into: every language of the site but the first, the original's."""
    return tuple(language_codes(settings)[1:])


def translation_of(name: str) -> tuple[str, str] | None:
    """ "about.es.md" -> ("about.md", "es"); None for a name with no second dot."""
    stem, dot, code = name.removesuffix(".md").rpartition(".")
    return (f"{stem}.md", code) if dot and name.endswith(".md") else None


def _translation_problems(shown: str, full: str, name: str, codes: tuple[str, ...], kind: str) -> list[ContentError]:
    """A file named like a translation must translate an existing file into one of the site's languages.

    Pelican never reads these files itself (the plugin adds TRANSLATION_FILES to IGNORE_FILES): the
    reader reads each with its original, so every other name with a second dot is refused here.
    """
    found = translation_of(name)
    if found is None:
        return []
    original, code = found
    if not LANGUAGE_CODE.fullmatch(code):
        try:
            name_from_path(shown, kind)  # the model's own sentence about names it cannot use
        except ContentError as error:
            return [error]
    if code not in codes:
        languages = ", ".join(codes) or "none: the site has one language"
        problem = (
            f'the name reads as a translation into "{code}", which is not one of the languages content is '
            f"translated into ({languages})"
        )
        fix = f"name it {original.removesuffix('.md')}.<language>.md with one of those"
        return [ContentError(shown, problem, fix)]
    if not os.path.isfile(os.path.join(os.path.dirname(full), original)):
        return [
            ContentError(
                shown,
                f"is a translation of {original}, which is not in this folder",
                "name it after the file it translates",
            )
        ]
    return []


def _problem(full: str, name: str, parts: list[str], kinds: dict, known: list[str]) -> tuple[str, str] | None:
    mode = os.lstat(full).st_mode
    if stat.S_ISLNK(mode):
        return SYMLINK_PROBLEM, SYMLINK_FIX
    if stat.S_ISDIR(mode) or (name in IGNORED_NAMES and stat.S_ISREG(mode)):
        return None  # a folder is judged by the files in it
    if not stat.S_ISREG(mode):
        return NOT_A_FILE_PROBLEM, "remove it"
    top = parts[0] if parts else None
    if top == IMAGES_FOLDER:
        return image_problem(full, name)
    if top is None:
        return (
            "a file at the top of the content folder is not published",
            "move it into the folder for its kind of content: " + _where_it_belongs(name.rsplit(".", 1)[0], known),
        )
    if top not in kinds:
        return (
            f'"{top}" is not a content folder, so nothing in it is published',
            f"move the file into {_where_it_belongs(top, known)}",
        )
    if len(parts) > 1:
        return NESTED_PROBLEM, NESTED_FIX.format(folder=top)
    if name.lower().endswith(".md") and not name.endswith(".md"):
        return f'the file name ends in "{name[-3:]}"', f'rename it to end in ".md": {name[:-3]}.md'
    if not name.endswith(".md"):
        return (
            "only Markdown files (.md) are read here",
            f"write it as Markdown with front matter (see CONTRIBUTING.md), or put images in content/{IMAGES_FOLDER}/",
        )
    return None
