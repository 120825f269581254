"""The platform's answer to a duplicate artifact is undocumented: success with "Artifact already exists" (the SDK, and
the fake platform), or a failed status with a duplicate's wording and the existing artifact's id (its REST layer). A
message or receipt saved by an earlier poll counts as saved either way; only a real failure stops the poll."""

import pytest
from phantom.base_connector import BaseConnector

from tests.unit.test_action_on_poll import ID_A, ID_B, _poll_whose_first_mark_read_fails, poll_summary, puts


def answer_duplicates_with(monkeypatch, status, text, keep_id=True):
    stored = BaseConnector.save_artifact

    def save_artifact(self, artifact):
        ok, message, artifact_id = stored(self, artifact)
        if "already exists" in str(message):
            return status, text, artifact_id if keep_id else None
        return ok, message, artifact_id

    monkeypatch.setattr(BaseConnector, "save_artifact", save_artifact)


@pytest.mark.parametrize(
    ("status", "text"),
    [(False, "Artifact already exists"), (False, "Duplicate artifact found"), (True, "duplicate artifact, existing_artifact_id 7")],
)
def test_a_duplicate_artifact_answered_either_way_counts_as_saved(run, requests_mock, platform, monkeypatch, status, text):
    inbox = _poll_whose_first_mark_read_fails(run, requests_mock, platform)
    answer_duplicates_with(monkeypatch, status, text)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == poll_summary(2, new=1, duplicate=1)
    assert puts(requests_mock) == [ID_A, ID_B] and inbox.unread() == []


def test_a_failed_artifact_save_without_an_id_is_a_failure_and_the_message_stays_unread(run, requests_mock, platform, monkeypatch):
    inbox = _poll_whose_first_mark_read_fails(run, requests_mock, platform)
    answer_duplicates_with(monkeypatch, False, "Artifact already exists", keep_id=False)
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert "the platform did not save its artifact" in run.result["message"]
    assert ID_A in inbox.unread_ids()
