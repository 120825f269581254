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


PATH = "/opt/phantom/local_data/app_states/6b772f0b/1_state.json"  # not on this machine: no lock file can be made there


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
def test_a_file_that_exists_but_stays_unreadable_reads_as_empty_and_is_never_written_over(answer, tmp_path):
    disk = Disk({"lost": True})
    run = Run(disk, answers=[answer] * (3 * clicksend_state.READ_ATTEMPTS))
    path = tmp_path / "1_state.json"
    path.write_text("{half", encoding="utf-8")
    run.get_state_file_path = lambda: str(path)
    assert run.state_file.read() == {}
    assert disk.loads == clicksend_state.READ_ATTEMPTS
    with pytest.raises(clicksend_state.StateUnreadable) as failed:
        run.state_file.update(setter("b", 1))
    assert str(failed.value).startswith(f"The app's state file {path} exists but cannot be read (")
    assert on_disk(disk) == {"lost": True} and disk.saves == 0
    assert run.state_file.problem().startswith(f"The app's state file {path} exists but cannot be read (")


def test_a_missing_file_is_a_fresh_asset_even_when_the_platform_answers_none_for_it(tmp_path):
    disk = Disk({"lost": True})
    run = Run(disk, answers=[None] * clicksend_state.READ_ATTEMPTS)
    run.get_state_file_path = lambda: str(tmp_path / "1_state.json")
    assert run.state_file.read_strict() == {} and run.state_file.problem() == ""
    run.state_file.update(setter("b", 1))
    assert on_disk(disk) == {"lost": True, "b": 1}  # the stub's second read finds its disk


def test_a_directory_where_the_file_should_be_is_named_as_such(tmp_path):
    path = tmp_path / "1_state.json"
    path.mkdir()
    run = Run(Disk(), answers=[None] * clicksend_state.READ_ATTEMPTS)
    run.get_state_file_path = lambda: str(path)
    assert run.state_file.problem() == (
        f"The app's state file {path} exists but cannot be read (it is a directory), so on poll and sends from a container "
        "stop rather than lose the reply-thread secret it holds; the SOAR administrator must make it a readable JSON file "
        "owned by the SOAR user, or delete it if it is damaged (replies to messages sent from containers before then are no "
        "longer threaded)"
    )


def test_an_update_holds_the_state_lock_while_it_reads_changes_and_writes(tmp_path):
    """The lock is what keeps two runs from each writing a state without the other's key: while one update is inside
    its read-change-write, nobody else can take the lock file."""
    import fcntl

    path = tmp_path / "1_state.json"
    path.write_text("{}", encoding="utf-8")
    run = Run(Disk())
    run.get_state_file_path = lambda: str(path)
    seen = []

    def change(state):
        with open(f"{path}.lock", "a+b") as other:
            try:
                fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen.append("free")
            except BlockingIOError:
                seen.append("held")
        state["b"] = 1

    run.state_file.update(change)
    assert seen == ["held"]
    with open(f"{path}.lock", "a+b") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # released once the update is done


def test_two_runs_writing_at_the_same_instant_both_keep_their_keys(tmp_path):
    """Run A is inside its update (it has read the state) when run B starts its own: B waits for A's write, then reads
    it, so the secret A writes survives B's write. Without the lock, B would read the state without the secret and
    write it away."""
    import threading

    path = tmp_path / "1_state.json"
    path.write_text("{}", encoding="utf-8")
    disk = Disk({"app_version": "2.0.0"})
    first, second = Run(disk), Run(disk)
    for run in (first, second):
        run.get_state_file_path = lambda: str(path)
    inside = threading.Event()
    second_read = threading.Event()
    original_load = second.load_state

    def load_and_say():
        second_read.set()
        return original_load()

    second.load_state = load_and_say

    def slow_secret(state):
        inside.set()
        second_read.wait(0.5)  # B reads now if nothing holds it back (it must not: A holds the lock)
        state[STATE_KEY] = "5ec2e7" * 10

    writer = threading.Thread(target=lambda: first.state_file.update(slow_secret))
    writer.start()
    assert inside.wait(10)
    other = threading.Thread(target=lambda: second.state_file.update(setter("account", 1)))
    other.start()
    writer.join(10)
    other.join(10)
    assert on_disk(disk) == {"app_version": "2.0.0", STATE_KEY: "5ec2e7" * 10, "account": 1}


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
    run = Run(disk, write_error=error)  # PATH is not on this machine: the update runs without its lock file
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
