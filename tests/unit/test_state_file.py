"""clicksend_state.StateFile: every change reads the file afresh, applies one change and writes at once, so runs that
overlap keep each other's keys; a half-written file is read again; an unwritable one is said in plain words."""

import json
import pathlib
import re

import pytest

import clicksend_state
from clicksend_marker import STATE_KEY, asset_secret
from clicksend_params import ActionFailed
from clicksend_state import StateFile
from tests.unit.test_action_on_poll import APPID, ID_A, Inbox, inbound


PATH = "/opt/phantom/local_data/app_states/6b772f0b/1_state.json"


class Disk:
    """One asset's state file, shared by every run."""

    def __init__(self, state=None):
        self.text = json.dumps(state if state is not None else {"app_version": "2.0.0"})
        self.loads = 0
        self.saves = 0


class Run:
    """What StateFile needs of a connector: the platform's load_state, save_state and get_state_file_path."""

    def __init__(self, disk, answers=(), write_error=None):
        self.disk = disk
        self.answers = list(answers)  # load_state results to give before reading the disk (None: unreadable)
        self.write_error = write_error
        self.state_file = StateFile(self)

    def load_state(self):
        self.disk.loads += 1
        if self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        try:
            state = json.loads(self.disk.text)
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    def save_state(self, state):
        if self.write_error is not None:
            raise self.write_error
        self.disk.saves += 1
        self.disk.text = json.dumps(state)

    def get_state_file_path(self):
        return PATH


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    monkeypatch.setattr(clicksend_state, "READ_PAUSE", 0)


def setter(key, value):
    return lambda state: state.__setitem__(key, value)


def on_disk(disk):
    return json.loads(disk.text)


def test_update_applies_one_change_to_the_state_as_it_is_now_and_writes_it_at_once():
    disk = Disk({"kept": 1})
    run = Run(disk)
    assert run.state_file.update(lambda state: state.setdefault("count", 5)) == 5  # what the change returned
    assert on_disk(disk) == {"kept": 1, "count": 5}
    assert (disk.loads, disk.saves) == (1, 1)


@pytest.mark.parametrize(
    "order",
    ["AB AB", "AA BB", "BA AB", "ABBA"],
    ids=lambda order: order.replace(" ", ""),
)
def test_two_overlapping_runs_keep_each_others_keys_in_any_order(order):
    """Each run read the state at its start (a stale copy from then on); their updates interleave."""
    disk = Disk({"app_version": "2.0.0"})
    runs = {"A": Run(disk), "B": Run(disk)}
    started = {name: run.state_file.read() for name, run in runs.items()}
    for step, name in enumerate(order.replace(" ", "")):
        runs[name].state_file.update(setter(f"{name}{step}", step))
    expected = {f"{name}{step}": step for step, name in enumerate(order.replace(" ", ""))}
    assert on_disk(disk) == {"app_version": "2.0.0", **expected}
    assert started == {"A": {"app_version": "2.0.0"}, "B": {"app_version": "2.0.0"}}  # read copies never go back


def test_a_secret_made_by_one_run_is_the_secret_of_every_later_run():
    disk = Disk()
    first, second = Run(disk), Run(disk)
    secret = asset_secret(first.state_file)
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert asset_secret(second.state_file) == secret
    assert on_disk(disk)[STATE_KEY] == secret


def test_read_gives_a_copy_of_the_state_on_disk_now():
    disk = Disk({"a": 1})
    run = Run(disk)
    state = run.state_file.read()
    state["a"] = 2
    assert on_disk(disk) == {"a": 1}
    disk.text = json.dumps({"a": 3})
    assert run.state_file.read() == {"a": 3}


def test_a_file_caught_half_written_by_another_run_is_read_again():
    disk = Disk({"a": 1})
    run = Run(disk, answers=[None, None])
    assert run.state_file.read() == {"a": 1}
    assert disk.loads == 3


@pytest.mark.parametrize("answer", [None, OSError("Permission denied"), [1, 2]], ids=["corrupt", "raises", "not a dict"])
def test_a_file_that_stays_unreadable_reads_as_empty_and_an_update_starts_clean(answer):
    disk = Disk({"lost": True})
    run = Run(disk, answers=[answer] * (2 * clicksend_state.READ_ATTEMPTS))
    assert run.state_file.read() == {}
    assert disk.loads == clicksend_state.READ_ATTEMPTS
    run.state_file.update(setter("b", 1))
    assert on_disk(disk) == {"b": 1}


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (IsADirectoryError(21, "Is a directory"), "Is a directory"),
        (PermissionError(13, "Permission denied"), "Permission denied"),
        (ValueError("x"), "ValueError"),
    ],
)
def test_an_unwritable_file_fails_in_plain_words_naming_it(error, reason):
    disk = Disk({"a": 1})
    run = Run(disk, write_error=error)
    with pytest.raises(ActionFailed) as failed:
        run.state_file.update(setter("b", 2))
    assert str(failed.value) == (
        f"The app could not write its state file {PATH} ({reason}); the SOAR administrator must make it a writable file owned by "
        "the SOAR user. Until then the app cannot remember what it did between runs"
    )
    assert on_disk(disk) == {"a": 1}


def test_an_unwritable_file_whose_path_is_unknown_is_still_reported():
    run = Run(Disk(), write_error=PermissionError(13, "Permission denied"))
    run.get_state_file_path = lambda: (_ for _ in ()).throw(RuntimeError("no asset"))
    with pytest.raises(ActionFailed, match=r"^The app could not write its state file \(Permission denied\); "):
        run.state_file.update(setter("b", 2))


def test_the_connector_does_not_write_the_state_at_the_end_of_a_run(run, requests_mock, platform):
    """finalize writing the copy read at the start would undo what an overlapping run saved meanwhile."""
    path = pathlib.Path(platform.write_state("1", APPID, {"app_version": "1.0.5", "other_run": 1}))
    Inbox(requests_mock, [inbound(ID_A, 1)])
    run("list_inbound_messages", {})
    assert run.result["status"] == "success", run.result["message"]
    assert json.loads(path.read_text(encoding="utf-8")) == {"app_version": "1.0.5", "other_run": 1}
    run.connector.state["stale"] = True
    assert run.connector.finalize() is True
    assert json.loads(path.read_text(encoding="utf-8")) == {"app_version": "1.0.5", "other_run": 1}


def test_a_platform_that_answers_app_error_instead_of_raising_is_reported_as_unwritable():
    disk = Disk({"a": 1})
    run = Run(disk)
    run.save_state = lambda state: False  # phantom.APP_ERROR
    with pytest.raises(ActionFailed, match=rf"^The app could not write its state file {re.escape(PATH)} \(the platform reported a failure\); "):
        run.state_file.update(setter("b", 2))


def test_a_platform_reader_that_raises_at_the_start_of_a_run_starts_it_clean(run, requests_mock, platform, monkeypatch):
    from phantom.base_connector import BaseConnector

    def broken(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(BaseConnector, "load_state", broken)
    Inbox(requests_mock, [inbound(ID_A, 1)])
    run("list_inbound_messages", {})
    assert run.result["status"] == "success", run.result["message"]
    assert "Unexpected error" not in str(run.out)
