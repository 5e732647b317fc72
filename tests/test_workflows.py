"""The GitHub workflows, read as GitHub reads them: pinned actions, least permissions, only our own
commands, untrusted text never in a script, and the jobs that decide what runs when."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOW_FOLDER = ROOT / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOW_FOLDER.glob("*.yml"))
# Official actions, and the one other action we chose, each pinned to a commit.
PINNED = re.compile(r"^(actions/[a-z-]+|peter-evans/create-pull-request)@[0-9a-f]{40}$")
TASK = r"python3 tasks\.py"
LINKCHECK = "python3 tasks.py linkcheck --format github"
# Every command each workflow may run, whole.
COMMANDS = {
    "pull-request.yml": [
        re.compile(rf'^{TASK} check --format github --base "\$BASE_SHA"$'),
        re.compile(rf"^{TASK} (lint|publish|test)$"),
        re.compile(re.escape(LINKCHECK) + "$"),
        re.compile(
            r'^git diff --name-only --no-renames -z "\$BASE_SHA\.\.\.\$HEAD_SHA" > .*\n'
            r'echo "code=\$code" >> "\$GITHUB_OUTPUT"$',
            re.DOTALL,
        ),
    ],
    "publish.yml": [
        re.compile(rf"^{TASK} (check --format github|lint|publish|test)$"),
        re.compile(re.escape(LINKCHECK) + "$"),
    ],
    "propose-event.yml": [
        re.compile(rf"^{TASK} (check|check --format github|publish)$"),
        re.compile(re.escape(LINKCHECK) + "$"),
        re.compile(
            r"""^jq --raw-output '\.issue\.body // ""' "\$GITHUB_EVENT_PATH" > "\$RUNNER_TEMP/issue-body\.md"$"""
        ),
        re.compile(
            rf'^{TASK} propose-event --body-file "\$RUNNER_TEMP/issue-body\.md" --out-dir content/events '
            r'--comment-file "\$RUNNER_TEMP/answer/comment\.md" --outputs-file "\$GITHUB_OUTPUT"$'
        ),
        re.compile(r'^answer="\$RUNNER_TEMP/answer/comment\.md"\n.*printf .*\nfi$', re.DOTALL),
        re.compile(r'^gh issue comment "\$ISSUE" --body-file "\$RUNNER_TEMP/answer/comment\.md"$'),
    ],
}
# Scopes a job may write, by workflow and job; every other job may only read.
WRITERS = {
    ("publish.yml", "deploy"): {"pages", "id-token"},
    ("propose-event.yml", "pull-request"): {"contents", "pull-requests"},
    ("propose-event.yml", "answer"): {"issues"},
}
TEST_COMMANDS = re.compile(rf"{TASK} (test|lint)\b|\bnpm\b|\bnpx\b|playwright|lighthouse", re.IGNORECASE)


def _load(path: Path) -> dict:
    # YAML 1.1 reads the key "on" as True; GitHub reads it as "on".
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def _workflow(name: str) -> dict:
    return _load(WORKFLOW_FOLDER / name)


def _steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job["steps"]


def _runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_the_workflows_are_the_three_we_know():
    assert sorted(path.name for path in WORKFLOWS) == sorted(COMMANDS)


def test_triggers():
    assert set(_workflow("pull-request.yml")["on"]) == {"pull_request"}
    publish = _workflow("publish.yml")["on"]
    assert set(publish) == {"push", "schedule", "workflow_dispatch"} and publish["push"]["branches"] == ["main"]
    assert _workflow("propose-event.yml")["on"] == {"issues": {"types": ["opened", "edited"]}}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_known_and_pinned_by_commit_with_their_version(path):
    text = path.read_text(encoding="utf-8")
    for step in _steps(_load(path)):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
            assert re.search(re.escape(step["uses"]) + r" # v\d", text), (
                f"{step['uses']} needs its version as a comment"
            )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_commands_are_only_the_ones_we_know(path):
    commands = [command for job in _load(path)["jobs"].values() for command in _runs(job)]
    assert commands
    for command in commands:
        assert any(pattern.match(command) for pattern in COMMANDS[path.name]), command


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_ever_pasted_into_a_script(path):
    # ${{ … }} in run: is pasted into the script before the shell reads it: text from an issue
    # or a pull request would become code. Values reach scripts through env: only.
    for step in _steps(_load(path)):
        assert "${{" not in step.get("run", ""), step["run"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_text_written_by_others_is_never_an_expression(path):
    # The issue's body and title, a pull request's title, body or branch name: never through ${{ }} anywhere.
    expressions = re.findall(r"\$\{\{(.*?)\}\}", path.read_text(encoding="utf-8"))
    untrusted = re.compile(r"\.(body|title|head_ref|label|message)\b|head\.ref|github\.head_ref|\.name\b")
    for expression in expressions:
        if "labels.*.name" in expression:  # compared with a constant in if:, never pasted anywhere
            continue
        assert not untrusted.search(expression), expression


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_permissions_and_no_stored_credentials(path):
    workflow = _load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name} must say what its token may do"
        writes = {scope for scope, level in job["permissions"].items() if level != "read"}
        assert all(job["permissions"][scope] == "write" for scope in writes)
        assert writes == WRITERS.get((path.name, name), set()), (name, writes)
    for step in _steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_build_has_the_full_history(path):
    # SEQUENCE in the calendar feeds counts changes in the git history.
    for name, job in _load(path)["jobs"].items():
        if any("tasks.py" in command for command in _runs(job)):
            checkouts = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
            assert checkouts and all(step["with"]["fetch-depth"] == 0 for step in checkouts), name


# The pull request workflow: a fast path for content, the full suite when more changed.


def test_every_pull_request_gets_the_fast_content_path():
    content = _workflow("pull-request.yml")["jobs"]["content"]
    assert "needs" not in content and "if" not in content
    assert _runs(content) == [
        'python3 tasks.py check --format github --base "$BASE_SHA"',
        "python3 tasks.py publish",
        LINKCHECK,
    ]
    assert content["timeout-minutes"] <= 10
    assert not any(TEST_COMMANDS.search(command) for command in _runs(content))
    assert "actions/setup-node" not in _uses(content)
    assert "actions/upload-artifact" in _uses(content)


def test_the_full_suite_runs_unless_only_content_changed():
    jobs = _workflow("pull-request.yml")["jobs"]
    tests = jobs["tests"]
    assert _runs(tests) == ["python3 tasks.py lint", "python3 tasks.py test"]
    assert tests["needs"] == "changes"
    # Runs when code changed, and when finding out failed (the output is then empty, not "false").
    assert tests["if"].replace(" ", "") == "${{!cancelled()&&needs.changes.outputs.code!='false'}}"
    assert jobs["changes"]["outputs"]["code"] == "${{ steps.diff.outputs.code }}"


def _changed_files_script() -> dict:
    job = _workflow("pull-request.yml")["jobs"]["changes"]
    (step,) = [step for step in job["steps"] if step.get("id") == "diff"]
    return step


def _git(repo: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=environment
    ).stdout.strip()


@pytest.fixture
def pull_request_repo(tmp_path):
    """A repository with a main branch, and a function that makes a pull request branch and runs the step on it."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("needs git and bash")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for relative in ("content/events/a.md", "tasks.py", "theme/templates/base.html"):
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(f"{relative}\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    step = _changed_files_script()

    def run(branch: str, change) -> str:
        _git(repo, "checkout", "-q", "-b", branch, "main")
        change(repo)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "--allow-empty", "-m", branch)
        _git(repo, "checkout", "-q", "main")
        (repo / "main-moved-on.txt").write_text(branch)  # main gains a code change after the branch point
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"main after {branch}")
        output = tmp_path / f"{branch}.out"
        environment = {
            **os.environ,
            "BASE_SHA": _git(repo, "rev-parse", "main"),
            "HEAD_SHA": _git(repo, "rev-parse", branch),
            "GITHUB_OUTPUT": str(output),
            "RUNNER_TEMP": str(tmp_path),
        }
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=repo, env=environment, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return output.read_text()

    return run


def _write(relative: str, text: str = "new\n"):
    def change(repo: Path):
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return change


def test_changed_files_decide_whether_the_tests_run(pull_request_repo):
    assert pull_request_repo("new-event", _write("content/events/b.md")) == "code=false\n"
    assert pull_request_repo("edit-event", _write("content/events/a.md", "changed\n")) == "code=false\n"
    assert pull_request_repo("nothing", lambda repo: None) == "code=false\n"
    assert pull_request_repo("theme", _write("theme/templates/base.html", "changed\n")) == "code=true\n"
    assert (
        pull_request_repo("both", lambda repo: (_write("content/events/c.md")(repo), _write("tasks.py", "x\n")(repo)))
        == "code=true\n"
    )
    assert pull_request_repo("workflow", _write(".github/workflows/x.yml")) == "code=true\n"
    for i, path in enumerate(
        [
            "tests/test_new.py",
            "plugins/community_events/model.py",
            "pelicanconf.py",
            "requirements.txt",
            "contentious.md",
            "docs/content/x.md",
        ]
    ):
        assert pull_request_repo(f"code-{i}", _write(path)) == "code=true\n", path
    # A file moved into content/ is also a file gone from where it was.
    assert (
        pull_request_repo("move", lambda repo: (repo / "tasks.py").rename(repo / "content/events/tasks.md"))
        == "code=true\n"
    )
    # A name git would quote, or one with a line break, is still read whole.
    assert pull_request_repo("odd-name", _write('content\n/x "y".md')) == "code=true\n"
    assert pull_request_repo("odd-content-name", _write('content/events/ä "q".md')) == "code=false\n"


def test_a_failing_diff_fails_the_step_instead_of_skipping_the_tests(tmp_path):
    step = _changed_files_script()
    environment = {
        **os.environ,
        "BASE_SHA": "0" * 40,
        "HEAD_SHA": "1" * 40,
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "RUNNER_TEMP": str(tmp_path),
    }
    subprocess.run(["git", "init", "-q", str(tmp_path / "r")], check=True)
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=tmp_path / "r", env=environment, capture_output=True, text=True
    )
    assert done.returncode != 0 and not (tmp_path / "out").exists()


# Publishing: tested before it is deployed, and never built where the test tools were installed.


def test_publish_tests_then_deploys_a_build_without_test_tools():
    jobs = _workflow("publish.yml")["jobs"]
    assert _runs(jobs["test"]) == ["python3 tasks.py lint", "python3 tasks.py test"]
    assert jobs["test"]["if"] == "github.event_name != 'schedule'"  # every push to main and every manual run
    build = jobs["build"]
    assert _runs(build) == ["python3 tasks.py check --format github", "python3 tasks.py publish", LINKCHECK]
    assert "actions/upload-pages-artifact" in _uses(build) and "actions/setup-node" not in _uses(build)
    deploy = jobs["deploy"]
    assert set(deploy["needs"]) == {"test", "build"}
    condition = deploy["if"].replace(" ", "")
    assert condition.startswith("${{!cancelled()&&needs.build.result=='success'&&")
    assert "(needs.test.result=='success'||needs.test.result=='skipped')" in condition
    assert "failure" not in condition and "always()" not in condition


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_job_that_publishes_or_writes_has_test_tools(path):
    for name, job in _load(path)["jobs"].items():
        publishes = {"actions/upload-pages-artifact", "actions/deploy-pages", "peter-evans/create-pull-request"} & set(
            _uses(job)
        )
        writes = any(level == "write" for level in job["permissions"].values())
        if publishes or writes:
            assert not any(TEST_COMMANDS.search(command) for command in _runs(job)), name
            assert "actions/setup-node" not in _uses(job), name


def test_one_deploy_at_a_time():
    workflow = _workflow("publish.yml")
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


# The proposal workflow: the issue's text is data, read with a read-only token.


def test_proposals_are_read_only_from_issues_made_with_the_form():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/propose-an-event.yml").read_text(encoding="utf-8"))
    convert = _workflow("propose-event.yml")["jobs"]["convert"]
    assert form["labels"] == ["event"]
    assert convert["if"] == "github.event.issue.state == 'open' && contains(github.event.issue.labels.*.name, 'event')"


def test_the_issue_text_reaches_only_the_read_only_job_and_only_as_a_file():
    workflow = _workflow("propose-event.yml")
    text = (WORKFLOW_FOLDER / "propose-event.yml").read_text(encoding="utf-8")
    assert "issue.body" not in text.replace("'.issue.body // \"\"'", "")  # only jq's path into the event file
    assert "issue.title" not in text
    jobs = workflow["jobs"]
    readers = [
        name
        for name, job in jobs.items()
        if any("issue-body" in command or "GITHUB_EVENT_PATH" in command for command in _runs(job))
    ]
    assert readers == ["convert"] and jobs["convert"]["permissions"] == {"contents": "read"}


def test_the_job_that_may_push_runs_no_script():
    job = _workflow("propose-event.yml")["jobs"]["pull-request"]
    assert _runs(job) == []
    assert _uses(job) == ["actions/checkout", "actions/download-artifact", "peter-evans/create-pull-request"]
    assert job["needs"] == "convert" and job["if"] == "needs.convert.outputs.status == 'made'"
    (create,) = [step for step in job["steps"] if step["uses"].startswith("peter-evans/")]
    assert create["with"]["add-paths"] == "content/events/${{ needs.convert.outputs.file }}"
    assert "token" not in create["with"]  # the workflow's own token, with this job's permissions


def test_the_answer_is_sent_from_a_file_by_a_job_that_may_only_write_issues():
    job = _workflow("propose-event.yml")["jobs"]["answer"]
    assert job["permissions"] == {"issues": "write"}
    assert not any("tasks.py" in command or "python" in command for command in _runs(job))
    assert _runs(job)[-1] == 'gh issue comment "$ISSUE" --body-file "$RUNNER_TEMP/answer/comment.md"'
    assert job["if"].replace(" ", "") == "${{!cancelled()&&needs.convert.result!='skipped'}}"


def test_issue_form_and_pull_request_template_exist():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/propose-an-event.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Propose an event" and any(item.get("id") == "timezone" for item in form["body"])
    assert "Pull request checks" in (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")


def _proposal_step(job: str, name: str) -> dict:
    (step,) = [step for step in _workflow("propose-event.yml")["jobs"][job]["steps"] if step.get("name") == name]
    return step


def test_the_issue_text_is_copied_to_a_file_byte_for_byte_and_never_run(tmp_path):
    if shutil.which("jq") is None or shutil.which("bash") is None:
        pytest.skip("needs jq and bash")
    step = _proposal_step("convert", "Save the issue's text to a file")
    hostile = (
        "### Title\r\n\r\n$(touch pwned) `touch pwned2` ${{ github.token }} "
        '"; touch pwned3; echo "\n\n### Start\n\n\u202e2025'
    )
    for body, expected in [(hostile, hostile + "\n"), (None, "\n")]:
        (tmp_path / "event.json").write_text(json.dumps({"issue": {"body": body, "number": 7}}))
        environment = {**os.environ, "GITHUB_EVENT_PATH": str(tmp_path / "event.json"), "RUNNER_TEMP": str(tmp_path)}
        subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=environment, check=True)
        assert (tmp_path / "issue-body.md").read_bytes() == expected.encode("utf-8")
    assert not list(tmp_path.glob("pwned*"))


@pytest.mark.parametrize(
    ("converted", "status", "opened", "url", "answer", "expected"),
    [
        (
            "success",
            "made",
            "success",
            "https://github.com/o/r/pull/9",
            "Made.\n",
            "Made.\n\nThe pull request: https://github.com/o/r/pull/9\n",
        ),
        (
            "success",
            "made",
            "failure",
            "",
            "Made.\n",
            "Made.\n\nThe pull request could not be opened; someone from the group will look at it ([the run](https://run)).\n",
        ),
        ("success", "refused", "skipped", "", "Fix these.\n", "Fix these.\n"),
        (
            "failure",
            "",
            "skipped",
            "",
            None,
            "Something went wrong while reading this issue; someone from the group will look at it ([the run](https://run)).\n",
        ),
    ],
)
def test_the_answer_says_what_happened(tmp_path, converted, status, opened, url, answer, expected):
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    step = _proposal_step("answer", "Add the pull request, or what went wrong")
    assert set(step["env"]) == {"CONVERTED", "STATUS", "OPENED", "PULL_REQUEST", "RUN"}
    if answer is not None:
        (tmp_path / "answer").mkdir()
        (tmp_path / "answer" / "comment.md").write_text(answer)
    environment = {
        **os.environ,
        "RUNNER_TEMP": str(tmp_path),
        "CONVERTED": converted,
        "STATUS": status,
        "OPENED": opened,
        "PULL_REQUEST": url,
        "RUN": "https://run",
    }
    subprocess.run(["bash", "-e", "-c", step["run"]], env=environment, check=True)
    assert (tmp_path / "answer" / "comment.md").read_text() == expected


def _setups(job: dict) -> list[dict]:
    return [step.get("with", {}) for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@")]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_package_caches_are_kept_apart_and_follow_the_locks(path):
    for name, job in _load(path)["jobs"].items():
        for setup in _setups(job):
            if "cache" not in setup:
                continue
            assert setup["cache"] == "pip"
            tests = any(TEST_COMMANDS.search(command) for command in _runs(job))
            # A build for publishing restores a cache keyed on the runtime lock alone, never the one the tests filled.
            assert setup["cache-dependency-path"] == ("requirements/*.txt" if tests else "requirements/runtime.txt"), (
                name
            )
            assert list(ROOT.glob(setup["cache-dependency-path"])), setup["cache-dependency-path"]
    if path.name == "propose-event.yml":
        # Runs for anyone's issue on the default branch, whose caches the publish build restores: it saves none.
        assert not any("cache" in setup for job in _load(path)["jobs"].values() for setup in _setups(job))
