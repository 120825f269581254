"""What a send keeps in its result: ClickSend's answers whole up to COMPACT_SEND_THRESHOLD recipients (the 1.0.x data
paths), a compact result above (rejected messages whole, queued ones as to and message_id under data.queued)."""

import pytest

import clicksend_consts as consts
from tests.unit.test_action_send_message import SEND_URL, URLS, answer, msg, numbers, sent_bodies


REJECTED = "+61411000500"  # one of numbers(1001)


def reply_rejecting(*refused):
    def reply(request, context):
        sent = [item["to"] for item in request.json()["messages"]]
        return answer([msg(to, status="COUNTRY_NOT_ENABLED" if to in refused else "SUCCESS") for to in sent])

    return reply


def test_the_threshold_is_one_call():
    assert consts.COMPACT_SEND_THRESHOLD == consts.SEND_BATCH_SIZE == 1000


def test_a_send_of_up_to_1000_keeps_clicksends_answers_whole(run, requests_mock):
    requests_mock.post(SEND_URL, json=reply_rejecting("+61411000001"))
    run("send_message", {"to": ",".join(numbers(1000)), "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    (item,) = run.result["data"]
    whole = answer([msg(to, status="COUNTRY_NOT_ENABLED" if to == "+61411000001" else "SUCCESS") for to in numbers(1000)])
    queued = item["data"].pop("queued")  # every queued recipient, whatever the send's size
    assert item == whole
    assert queued == [{"to": to, "message_id": f"ID-{to}"} for to in numbers(1000) if to != "+61411000001"]


@pytest.mark.parametrize("action", ["send_message", "send_mms", "send_voice_message"])
def test_a_bigger_send_keeps_the_rejected_whole_and_the_queued_by_to_and_message_id(run, requests_mock, action):
    requests_mock.post(URLS[action], json=reply_rejecting(REJECTED))
    requests_mock.head("https://example.com/evidence.jpg", headers={"Content-Type": "image/jpeg"})
    params = {"to": ",".join(numbers(1001)), "message": "x"}
    if action == "send_mms":
        params.update(media_url="https://example.com/evidence.jpg", **{"from": "+61431111112"})
    run(action, params)
    assert run.result["status"] == "success", run.result["message"]
    assert [len(body["messages"]) for body in sent_bodies(requests_mock, URLS[action])] == [1000, 1]
    first, second = run.result["data"]
    for item in (first, second):
        assert set(item) == {"http_code", "response_code", "response_msg", "data"}
        assert set(item["data"]) == {"total_price", "total_count", "queued_count", "blocked_count", "_currency", "messages", "queued"}
    assert first["data"]["messages"] == [msg(REJECTED, status="COUNTRY_NOT_ENABLED")]  # whole, with ClickSend's reason
    assert (first["data"]["total_count"], first["data"]["queued_count"]) == (1000, 999)
    queued = [entry for item in (first, second) for entry in item["data"]["queued"]]
    wanted = [to for to in numbers(1001) if to != REJECTED]
    assert queued == [{"to": to, "message_id": f"ID-{to}"} for to in wanted]
    summary = run.result["summary"]
    assert summary["message_ids"] == [f"ID-{to}" for to in wanted]  # every queued message findable by its id
    assert (summary["total_recipients"], summary["queued_count"], summary["rejected_count"]) == (1001, 1000, 1)
    assert f"rejected 1: {REJECTED} (COUNTRY_NOT_ENABLED)" in run.result["message"]


def test_a_big_send_names_the_first_ten_rejected_and_counts_the_others(run, requests_mock):
    refused = numbers(12, start=11000100)
    requests_mock.post(SEND_URL, json=reply_rejecting(*refused))
    run("send_message", {"to": ",".join(numbers(2000)), "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    named = ", ".join(f"{to} (COUNTRY_NOT_ENABLED)" for to in refused[:10])
    assert f"Queued 1988 of 2000 messages; ClickSend rejected 12: {named}, and 2 more" == run.result["message"]
    assert [m["to"] for item in run.result["data"] for m in item["data"]["messages"]] == refused


def test_a_big_send_clicksend_rejects_whole_fails_naming_the_reasons(run, requests_mock):
    every = numbers(1500)
    requests_mock.post(SEND_URL, json=reply_rejecting(*every))
    run("send_message", {"to": ",".join(every), "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"ClickSend accepted none of the 1500 messages: {every[0]} (COUNTRY_NOT_ENABLED)")
    assert all(item["data"]["queued"] == [] for item in run.result["data"])
