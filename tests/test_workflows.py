"""The GitHub workflows: valid YAML, actions pinned by commit, least permissions, only our own tasks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^actions/[a-z-]+@[0-9a-f]{40}$")
OWN_TASK = re.compile(r"^python3 tasks\.py (check|test|publish|build)$")


def _load(path: Path) -> dict:
    # YAML 1.1 reads the key "on" as True; GitHub reads it as "on".
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def _steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job["steps"]


def test_there_are_pull_request_and_publish_workflows():
    triggers = {path.name: _load(path)["on"] for path in WORKFLOWS}
    assert "pull_request" in triggers["pull-request.yml"]
    assert {"push", "schedule"} <= set(triggers["publish.yml"])
    assert triggers["publish.yml"]["push"]["branches"] == ["main"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_official_and_pinned_by_commit_with_their_version(path):
    text = path.read_text(encoding="utf-8")
    for step in _steps(_load(path)):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
            assert re.search(re.escape(step["uses"]) + r" # v\d", text), f"{step['uses']} needs its version as a comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_commands_are_only_the_projects_own_tasks(path):
    commands = [step["run"].strip() for step in _steps(_load(path)) if "run" in step]
    assert commands and all(OWN_TASK.match(command) for command in commands), commands


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_permissions_full_history_and_no_stored_credentials(path):
    workflow = _load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        for scope, level in job.get("permissions", {}).items():
            assert level == "read" or (scope in ("pages", "id-token") and level == "write"), (scope, level)
    for step in _steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["fetch-depth"] == 0 and step["with"]["persist-credentials"] is False


def test_one_deploy_at_a_time_and_only_deploy_may_write():
    workflow = _load(ROOT / ".github/workflows/publish.yml")
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    writers = [name for name, job in workflow["jobs"].items() if "write" in job.get("permissions", {}).values()]
    assert writers == ["deploy"]


def test_issue_form_and_pull_request_template_exist():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/propose-an-event.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Propose an event" and any(item.get("id") == "zone" for item in form["body"])
    assert "Pull request checks" in (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
