"""The set-up: two hashed lock files, the tasks that install each, and tools/bootstrap.py, which makes
.venv/ with the standard library (or uv) and installs a lock again only when its text changed."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

sys.path.insert(0, str(ROOT))
from tools import bootstrap  # noqa: E402

LOCKS = {"runtime": ROOT / "requirements/runtime.txt", "tests": ROOT / "requirements/tests.txt"}
RUNTIME_DIRECT = {
    "babel",
    "invoke",
    "markdown",
    "nh3",
    "pagefind",
    "pelican",
    "pillow",
    "pyyaml",
    "rcssmin",
    "rjsmin",
    "tzdata",
}
TESTS_DIRECT = {
    "beautifulsoup4",
    "hypothesis",
    "icalendar",
    "jsonschema",
    "playwright",
    "pytest",
    "recurring-ical-events",
    "ruff",
    "vobject",
}
REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$"
)


def parse_lock(path: Path) -> dict[tuple[str, str | None], tuple[str, frozenset[str]]]:
    """(name, marker) -> (version, hashes), refusing any line that is not a pin, a hash or a comment."""
    entries: dict = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line.startswith("    --hash=sha256:"):
            assert current is not None and re.fullmatch(r"--hash=sha256:[0-9a-f]{64}( \\)?", stripped), line
            entries[current][1].add(stripped.split()[0].removeprefix("--hash="))
            continue
        match = REQUIREMENT.match(line)
        assert match, f"{path.name}: not an exact pin: {line}"
        current = (canonicalize_name(match["name"]), match["marker"])
        assert current not in entries, f"{path.name}: {current} twice"
        entries[current] = (match["version"], set())
    return {key: (version, frozenset(hashes)) for key, (version, hashes) in entries.items()}


@pytest.mark.parametrize("name", LOCKS)
def test_every_package_in_a_lock_is_pinned_with_its_hashes(name):
    text = LOCKS[name].read_text(encoding="utf-8")
    assert "--generate-hashes" in text.splitlines()[1], "the header names the command that made the lock"
    entries = parse_lock(LOCKS[name])
    assert entries and all(hashes for _, hashes in entries.values()), [
        key for key, (_, hashes) in entries.items() if not hashes
    ]


def test_runtime_lock_holds_the_runtime_and_no_test_tool():
    names = {name for name, _ in parse_lock(LOCKS["runtime"])}
    assert RUNTIME_DIRECT <= names
    assert not names & TESTS_DIRECT, names & TESTS_DIRECT


def test_tests_lock_holds_the_test_tools():
    assert TESTS_DIRECT <= {name for name, _ in parse_lock(LOCKS["tests"])}


def test_packages_in_both_locks_have_one_version_and_the_same_hashes():
    runtime, tests = parse_lock(LOCKS["runtime"]), parse_lock(LOCKS["tests"])
    by_name = {name: value for (name, _), value in runtime.items()}
    shared = {name: value for (name, _), value in tests.items() if name in by_name}
    assert shared, "the tests share some packages with the runtime (pygments, tzdata, ...)"
    for name, value in shared.items():
        assert value == by_name[name], name


def test_each_lock_source_names_its_direct_packages():
    for name, direct in (("runtime", RUNTIME_DIRECT), ("tests", TESTS_DIRECT)):
        source = ROOT / f"requirements/{name}.in"
        listed = {
            canonicalize_name(Requirement(line.split("#")[0].strip()).name)  # "ruff==0.17.5" is ruff
            for line in source.read_text(encoding="utf-8").splitlines()
            if line.split("#")[0].strip() and not line.startswith("-")
        }
        assert listed == direct, (name, listed ^ direct)
        assert f"uv pip compile requirements/{name}.in" in LOCKS[name].read_text(encoding="utf-8").splitlines()[1]


def test_this_environment_holds_the_locked_versions():
    """The .venv the tests run in was installed from the locks (tasks.py test installs both)."""
    for path in LOCKS.values():
        for (name, marker), (version, _) in parse_lock(path).items():
            if marker is None or Marker(marker).evaluate():
                assert metadata.version(name) == version, (path.name, name)


# --- tools/bootstrap.py --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "locks"),
    [
        (["serve"], ["runtime"]),
        (["build"], ["runtime"]),
        (["check", "--format", "github"], ["runtime"]),
        (["publish"], ["runtime"]),
        (["new-event", "--title", "x"], ["runtime"]),
        (["new_story"], ["runtime"]),
        (["livereload", "--port", "8001"], ["runtime"]),
        (["clean"], ["runtime"]),
        (["--list"], ["runtime"]),
        (["test"], ["runtime", "tests"]),
        (["test", "--args", "-x -q --ignore=tests/test_browser.py"], ["runtime", "tests"]),
        (["bench", "--sizes", "100"], ["runtime", "tests"]),
        (["lint"], ["runtime", "tests"]),
        (["linkcheck", "--format", "github"], ["runtime"]),
        (["propose-event", "--body-file", "body.md"], ["runtime"]),
        (["build", "test"], ["runtime", "tests"]),
    ],
)
def test_each_task_installs_the_locks_it_needs(args, locks):
    assert bootstrap.locks_for(args) == [LOCKS[name] for name in locks]


def test_bootstrap_needs_the_standard_library_only_and_downloads_nothing_itself():
    source = (ROOT / "tools/bootstrap.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported - {"__future__"} <= sys.stdlib_module_names, imported - sys.stdlib_module_names
    assert not imported & {"urllib", "http", "socket", "ssl"}
    assert "http://" not in source and "https://" not in source


def test_tasks_py_runs_the_bootstrap_before_any_other_import():
    tree = ast.parse((ROOT / "tasks.py").read_text(encoding="utf-8"))
    before = []
    for node in tree.body:
        if isinstance(node, ast.If):  # if __name__ == "__main__": ...
            assert "bootstrap" in ast.unparse(node)
            break
        before.append(node)
    assert all(isinstance(node, ast.Expr) or ast.unparse(node) == "import sys" for node in before), [
        ast.unparse(n) for n in before
    ]


class Recorder:
    """Stands in for subprocess.run: records each command, succeeds."""

    def __init__(self):
        self.commands: list[list[str]] = []

    def __call__(self, command, **kwargs):
        self.commands.append([str(part) for part in command])
        return subprocess.CompletedProcess(command, 0, b"", b"")

    def installs(self) -> list[list[str]]:
        return [command for command in self.commands if "install" in command]


@pytest.fixture
def fake_setup(tmp_path, monkeypatch):
    """A .venv/ that exists, lock files of our own, and subprocess.run recorded instead of run."""
    venv = tmp_path / ".venv"
    bootstrap.venv_python(venv).parent.mkdir(parents=True)
    bootstrap.venv_python(venv).write_text("")
    locks = tmp_path / "requirements"
    locks.mkdir()
    for name in ("runtime", "tests"):
        (locks / f"{name}.txt").write_text(f"# {name}\n", encoding="utf-8")
    monkeypatch.setattr(bootstrap, "RUNTIME_LOCK", locks / "runtime.txt")
    monkeypatch.setattr(bootstrap, "TESTS_LOCK", locks / "tests.txt")
    recorder = Recorder()
    monkeypatch.setattr(bootstrap.subprocess, "run", recorder)
    monkeypatch.setattr(bootstrap.shutil, "which", lambda name: None)
    return venv, locks, recorder


def test_a_lock_is_installed_again_only_when_its_text_changes(fake_setup):
    venv, locks, recorder = fake_setup
    bootstrap.ensure(["serve"], venv)
    (install,) = recorder.installs()
    assert install[:4] == [str(bootstrap.venv_python(venv)), "-m", "pip", "install"]
    assert install[-2:] == ["-r", str(locks / "runtime.txt")]
    assert {"--require-hashes", "--only-binary", ":all:"} <= set(install)
    for args in (["serve"], ["build"]):
        bootstrap.ensure(args, venv)
    assert len(recorder.installs()) == 1, "nothing changed: nothing installed"
    bootstrap.ensure(["test"], venv)
    assert recorder.installs()[-1][-4:] == ["-r", str(locks / "runtime.txt"), "-r", str(locks / "tests.txt")]
    bootstrap.ensure(["test"], venv)
    assert len(recorder.installs()) == 2
    (locks / "tests.txt").write_text("# tests, changed\n", encoding="utf-8")
    bootstrap.ensure(["serve"], venv)
    assert len(recorder.installs()) == 2, "serve does not need the test lock"
    bootstrap.ensure(["test"], venv)
    assert len(recorder.installs()) == 3
    (locks / "runtime.txt").write_text("# runtime, changed\n", encoding="utf-8")
    bootstrap.ensure(["serve"], venv)
    assert len(recorder.installs()) == 4
    assert sorted(path.name for path in venv.glob(".installed-*")) == [
        ".installed-runtime.sha256",
        ".installed-tests.sha256",
    ]


def test_a_failed_install_leaves_the_lock_to_install_again(fake_setup, monkeypatch):
    venv, locks, recorder = fake_setup
    monkeypatch.setattr(
        bootstrap.subprocess,
        "run",
        lambda command, **kwargs: subprocess.CompletedProcess(command, 1 if "install" in command else 0),
    )
    with pytest.raises(SystemExit, match="Could not install the packages locked in"):
        bootstrap.ensure(["serve"], venv)
    assert bootstrap.stale([locks / "runtime.txt"], venv) == [locks / "runtime.txt"]


def test_with_uv_on_the_path_uv_makes_the_venv_and_installs(fake_setup, monkeypatch):
    venv, locks, recorder = fake_setup
    bootstrap.venv_python(venv).unlink()
    monkeypatch.setattr(bootstrap.shutil, "which", lambda name: "/opt/bin/uv" if name == "uv" else None)
    bootstrap.ensure(["test"], venv)
    make, install = recorder.commands
    assert make == ["/opt/bin/uv", "venv", "--quiet", "--python", sys.executable, str(venv)]
    assert install[:6] == ["/opt/bin/uv", "pip", "install", "--quiet", "--python", str(bootstrap.venv_python(venv))]
    assert {"--require-hashes", "--only-binary", ":all:"} <= set(install)
    assert not any("ensurepip" in command or "pip" == command[-1] for command in recorder.commands)


def test_without_uv_the_venv_comes_from_the_standard_library_with_its_own_pip(tmp_path):
    venv = tmp_path / ".venv"
    bootstrap.make_venv(venv, uv=None)
    python = bootstrap.venv_python(venv)
    assert subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True).returncode == 0


def test_dependabot_watches_both_locks_and_the_actions():
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text(encoding="utf-8"))
    updates = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}
    assert {("pip", "/requirements"), ("github-actions", "/")} <= updates
    assert all(
        (ROOT / "requirements" / name).exists() for name in ("runtime.in", "runtime.txt", "tests.in", "tests.txt")
    )
