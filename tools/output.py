"""output/ and cache/: the last good site stays, and nothing these tasks did not make is touched.

A build goes into a fresh folder beside output/ and is swapped in only when it succeeded: on Linux
in one step (renameat2 with RENAME_EXCHANGE), elsewhere by two renames. The tasks write MARKER into
the folders they make, and replace or delete only folders that hold it, or are empty.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from pathlib import Path

from invoke import Exit

MARKER = ".made-by-tasks"


def refuse_foreign(folder: Path, refusal: str = "Not building") -> None:
    """Stop unless folder is missing, empty or marked as made by these tasks; never follow a link."""
    if folder.is_symlink():
        raise Exit(
            f"{refusal}: {folder.name} is a symbolic link (to {os.readlink(folder)}); "
            "remove the link itself, not what it points to, and try again",
            code=1,
        )
    if folder.exists() and not (folder.is_dir() and ((folder / MARKER).is_file() or not any(folder.iterdir()))):
        raise Exit(
            f"{refusal}: {folder.name} is not a folder these tasks made (it has no {MARKER} file); "
            "move it away, or delete it if nothing in it is needed, and try again",
            code=1,
        )


def mark(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    (folder / MARKER).write_text("Made by tasks.py, which replaces or deletes this folder; keep nothing else here.\n")


def _rename_exchange():
    """libc's renameat2 (Linux), which swaps two paths in one step; None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


RENAMEAT2, AT_FDCWD, RENAME_EXCHANGE = _rename_exchange(), -100, 2


def swap_in(fresh: Path, output: Path) -> None:
    """Put fresh where output is, in one step where the OS can; afterwards fresh holds the old site, if any."""
    if not os.path.lexists(output):
        os.rename(fresh, output)
        return
    if RENAMEAT2 is not None:
        if RENAMEAT2(AT_FDCWD, os.fsencode(fresh), AT_FDCWD, os.fsencode(output), RENAME_EXCHANGE) == 0:
            return
        number = ctypes.get_errno()
        if number not in (errno.EINVAL, errno.ENOSYS, errno.EPERM):  # not: a file system, kernel or sandbox without it
            raise OSError(number, os.strerror(number), str(output))
    parked = fresh.with_name(fresh.name + "-old")  # elsewhere: two renames, with a moment without output/
    os.rename(output, parked)
    try:
        os.rename(fresh, output)
    except BaseException:
        os.rename(parked, output)
        raise
    os.rename(parked, fresh)


def remove(folder: Path) -> None:
    """Delete a folder these tasks made, finishing even if Ctrl-C comes in the middle."""
    interrupted = False
    while True:
        try:
            shutil.rmtree(folder, ignore_errors=True)
            break
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt
