"""First use of `python3 tasks.py TASK`: make .venv/, install the locked packages, then run the task.

This module runs before .venv/ exists, so it uses the standard library only. The packages are in
two lock files with a hash for every file (requirements/runtime.txt, and requirements/tests.txt for
the tasks that run tests); they are installed with --require-hashes and as wheels only, so nothing
is built and nothing unpinned or unhashed can come in. A lock is installed again only when its
text changes: each has its own stamp in .venv/. With uv on the PATH, uv makes .venv/ and installs
(much faster); without it, the standard library's venv and the pip it brings do.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
TESTS_LOCK = ROOT / "requirements" / "tests.txt"
# Tasks that need the test lock on top of the runtime one; every other task needs the runtime lock only.
TEST_TASKS = frozenset({"test", "bench", "lint"})
# Only pinned wheels whose hashes are in the lock: no build step runs anyone's code at install time.
STRICT = ["--require-hashes", "--only-binary", ":all:"]
NO_VENV = (
    "Cannot make {venv}/ with python3 -m venv (the lines above say why); where ensurepip is missing, install "
    "python3-venv (`sudo apt-get install python3-venv` on Debian or Ubuntu) or put uv on the PATH, "
    "then run the command again."
)


def venv_python(venv: Path = VENV) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def locks_for(args: list[str]) -> list[Path]:
    """The runtime lock for every task, and the test lock too when a task that runs tests is named."""
    named = {arg.replace("_", "-") for arg in args if not arg.startswith("-")}
    return [RUNTIME_LOCK, TESTS_LOCK] if named & TEST_TASKS else [RUNTIME_LOCK]


def stamp(lock: Path, venv: Path = VENV) -> Path:
    """Where .venv/ records the hash of the lock file it last installed."""
    return venv / f".installed-{lock.stem}.sha256"


def digest(lock: Path) -> str:
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def stale(locks: list[Path], venv: Path = VENV) -> list[Path]:
    """The locks whose text changed since .venv/ installed them, or that it never installed."""
    return [
        lock for lock in locks if not (stamp(lock, venv).is_file() and stamp(lock, venv).read_text() == digest(lock))
    ]


def make_venv(venv: Path = VENV, uv: str | None = None) -> None:
    """Make the virtual environment: with uv if there is one, else with the standard library's venv."""
    print(f"Setting up {venv.name}/ (first run only)...", flush=True)
    for old in venv.glob(".installed-*"):  # stamps of packages that a broken environment held
        old.unlink()
    if uv:
        subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
        return
    if subprocess.run([sys.executable, "-m", "venv", str(venv)]).returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        sys.exit(NO_VENV.format(venv=venv.name))


def install_command(locks: list[Path], venv: Path = VENV, uv: str | None = None) -> list[str]:
    files = [part for lock in locks for part in ("-r", str(lock))]
    if uv:
        return [uv, "pip", "install", "--quiet", "--python", str(venv_python(venv)), *STRICT, *files]
    return [
        str(venv_python(venv)),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        *STRICT,
        *files,
    ]


def _ensure_pip(venv: Path) -> None:
    """A .venv/ that uv made has no pip; if uv is gone since, the pip bundled with Python (no download) is added."""
    python = str(venv_python(venv))
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0:
        return
    if subprocess.run([python, "-m", "ensurepip", "--default-pip"]).returncode != 0:
        sys.exit(NO_VENV.format(venv=venv.name))


def install(locks: list[Path], venv: Path = VENV, uv: str | None = None) -> None:
    """Install every lock the task needs in one run (packages both pin are the same), then stamp them."""
    names = " and ".join(str(lock.relative_to(ROOT)) if lock.is_relative_to(ROOT) else str(lock) for lock in locks)
    print(f"Installing the packages locked in {names}{' with uv' if uv else ''}...", flush=True)
    for lock in locks:
        stamp(lock, venv).unlink(missing_ok=True)
    if not uv:
        _ensure_pip(venv)
    if subprocess.run(install_command(locks, venv, uv)).returncode != 0:
        sys.exit(f"Could not install the packages locked in {names}; the lines above say why.")
    for lock in locks:
        stamp(lock, venv).write_text(digest(lock))


def ensure(args: list[str], venv: Path = VENV) -> Path:
    """Make .venv/ if needed and install the locks these arguments' tasks need if they changed; its Python."""
    uv = shutil.which("uv")
    if not venv_python(venv).exists():
        make_venv(venv, uv)
    locks = locks_for(args)
    if stale(locks, venv):
        install(locks, venv, uv)
    return venv_python(venv)


def main(args: list[str]) -> None:
    """Set up, then run Invoke with these arguments inside .venv/, in the checkout; never returns."""
    try:
        python = ensure(args)
    except KeyboardInterrupt:
        sys.exit("\nStopped; the next run finishes the set-up.")
    except subprocess.CalledProcessError as error:
        sys.exit(f"Set-up failed: {' '.join(map(str, error.cmd))} exited with {error.returncode}.")
    os.chdir(ROOT)
    os.execv(str(python), [str(python), "-m", "invoke", *args])
