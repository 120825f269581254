"""send mms, send voice message and calculate price, end to end: connector -> fake platform -> simulator over HTTP."""

import re

import pytest
from clicksend_sim.routes_messaging_extra import mms_sent, voice_sent

from tests.conftest import sim_config


@pytest.fixture
def media(sim):
    """An MMS image of 20 kB on the simulator's stand-in media host (the app asks its size before sending)."""
    return sim.media_url("evidence.jpg")


def test_mms_reaches_clicksend_once_per_number_with_media_and_subject(sim, sim_run, media):
    sim.set_recipient_status("+61400000001", "COUNTRY_NOT_ENABLED")
    params = {
        "to": "0411 111 111,+61411111111,+61400000001",
        "message": "Alert 123: badge photo attached",
        "media_url": media,
        "from": "SOCTeam",
    }
    sim_run("send_mms", params)
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    sent = mms_sent(sim)
    assert [(m["to"], m["subject"], m["_media_file_url"]) for m in sent] == [("+61411111111", "Alert 123: badge pho", media)]
    assert result["summary"]["message_ids"] == [sent[0]["message_id"]]
    assert result["message"] == "Queued 1 of 2 MMS messages; ClickSend rejected 1: +61400000001 (COUNTRY_NOT_ENABLED)"
    assert sim.sent == []  # no SMS


def test_bad_mms_input_sends_nothing(sim, sim_run):
    sim_run("send_mms", {"to": "+61411111111", "message": "x", "media_url": "file:///etc/passwd"})
    assert sim_run.result["status"] == "failed"
    assert sim.requests == []


def test_lost_answer_after_an_mms_send_is_not_resent(sim, sim_run, media):
    sim.add_fault("POST", "/v3/mms/send", kind="reset", after_processing=True)
    sim_run("send_mms", {"to": "+61411111111", "message": "x", "media_url": media, "from": "SOCTeam"})
    assert sim_run.result["status"] == "failed"
    assert "outcome is unknown" in sim_run.result["message"]
    assert len(mms_sent(sim)) == 1


def test_voice_call_to_a_list_with_options(sim, sim_run):
    listing = sim.add_list("On call", contacts=[{"phone_number": "+61411111111"}, {"phone_number": "+61422222222"}])
    sim_run(
        "send_voice_message",
        {"contact_list_id": listing["list_id"], "message": "Alert 123. Press 1.", "voice": "male", "language": "en-gb", "require_input": True},
        container_id=8,
    )
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    calls = voice_sent(sim)
    assert [(c["to"], c["voice"], c["lang"], c["require_input"], c["machine_detection"]) for c in calls] == [
        ("+61411111111", "male", "en-gb", 1, 0),
        ("+61422222222", "male", "en-gb", 1, 0),
    ]
    markers = {c["custom_string"] for c in calls}  # the list is read by the app: each member's call carries its own marker
    assert len(markers) == 2 and all(re.fullmatch(r"soar:8:[0-9a-f]{20}", marker) for marker in markers)
    assert {c["country"] for c in calls} == {"AU"}  # ClickSend's API marks country required for voice
    assert result["summary"]["queued_count"] == 2


def test_voice_language_the_app_refuses_never_reaches_clicksend(sim, sim_run):
    sim_run("send_voice_message", {"to": "+61411111111", "message": "x", "voice": "male", "language": "sv-se"})
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == "Parameter 'voice': ClickSend offers no male voice for sv-se; it offers female only"
    assert sim.requests == []


def test_price_sends_nothing_and_matches_the_apps_part_count(sim, sim_run):
    sim_run("calculate_price", {"to": "+61411111111,+61422222222", "message": "Привет мир " * 7})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert sim.sent == [] and sim.history == []
    assert [(r["method"], r["path"]) for r in sim.requests] == [("POST", "/v3/sms/price")]
    assert result["summary"] == {
        "total_price": 0.3168,
        "total_count": 2,
        "currency": "AUD",
        "message_type": "sms",
        "message_parts": [2, 2],
        "skipped_numbers": [],
    }
    assert "the text is 77 Unicode characters, 2 parts per message" in result["message"]


def test_price_for_a_nocredit_account_fails_naming_the_reason(sim, sim_run):
    config = sim_config(sim, username="nocredit", key="D83DED51-9E35-4D42-9BB9-0E34B7CA85AE")
    sim_run("calculate_price", {"to": "+61411111111", "message": "x"}, config=config)
    assert sim_run.result["status"] == "failed"
    assert "+61411111111 (INSUFFICIENT_CREDIT)" in sim_run.result["message"]


def test_mms_without_a_sender_is_refused_before_sending(sim, sim_run, media):
    sim_run("send_mms", {"to": "+61411111111", "message": "x", "media_url": media})
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"].startswith("Parameter 'from': is required for MMS")
    assert sim.requests == []


def test_a_png_is_refused_with_advice_before_sending(sim, sim_run):
    sim_run("send_mms", {"to": "+61411111111", "message": "x", "media_url": "https://example.com/shot.PNG", "from": "SOCTeam"})
    assert sim_run.result["status"] == "failed"
    assert "is a .png image; ClickSend sends only .jpg and .gif images directly" in sim_run.result["message"]
    assert sim.requests == []


def test_every_voice_message_carries_custom_string_and_country(sim, sim_run):
    sim_run("send_voice_message", {"to": "+61411111111,+14055555555", "message": "Alert"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    calls = voice_sent(sim)
    assert [c["country"] for c in calls] == ["AU", "US"]
    assert all(re.fullmatch(r"soar-ref-[0-9a-f]{16}", c["custom_string"]) for c in calls)


def test_a_scheduled_voice_message_is_cancelled_through_the_voice_endpoint(sim, sim_run):
    import time

    sim_run("send_voice_message", {"to": "+61411111111", "message": "Later", "schedule": str(int(time.time()) + 3600)})
    message_id = sim_run.result["summary"]["message_ids"][0]
    sim_run("cancel_scheduled_message", {"message_id": message_id})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["summary"]["message_type"] == "voice"
    assert [(r["method"], r["path"]) for r in sim.requests[-2:]] == [
        ("PUT", f"/v3/sms/{message_id}/cancel"),
        ("PUT", f"/v3/voice/{message_id}/cancel"),
    ]


# --- the MMS image's size, MMS answers without a currency ----------------------------------------------------------


def test_an_mms_image_over_250_kb_is_refused_before_clicksend_hears_of_it(sim, sim_run):
    big = sim.media_url("poster.jpg", size=400_000)
    sim_run("send_mms", {"to": "+61411111111", "message": "x", "media_url": big, "from": "SOCTeam"})
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"].startswith("Parameter 'media_url': is 400000 bytes (about 400 kB) by its Content-Length")
    assert sim.requests == [] and mms_sent(sim) == []


def test_an_image_whose_size_the_host_does_not_say_is_sent(sim, sim_run):
    unknown = sim.media_url("stream.jpg", size=None)
    sim_run("send_mms", {"to": "+61411111111", "message": "x", "media_url": unknown, "from": "SOCTeam"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert len(mms_sent(sim)) == 1


def test_an_mms_summary_names_the_accounts_currency_when_clicksends_answer_does_not(sim, sim_run, media):
    sim_run("send_mms", {"to": "+61411111111,+61422222222", "message": "x", "media_url": media, "from": "SOCTeam"})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert "_currency" not in result["data"][0]["data"]  # as ClickSend documents its MMS answer
    sent = mms_sent(sim)
    assert (result["summary"]["currency"], result["summary"]["message_id"]) == ("AUD", sent[0]["message_id"])
    assert [(e["to"], e["message_id"]) for e in result["data"][0]["data"]["queued"]] == [(m["to"], m["message_id"]) for m in sent]


# --- calculate price of MMS and voice -----------------------------------------------------------------------------


def test_calculate_price_prices_an_mms_and_a_voice_call_as_their_sends_would_go(sim, sim_run, media):
    params = {"to": "+61411111111", "message": "Badge photo", "message_type": "mms", "media_url": media, "from": "SOCTeam"}
    sim_run("calculate_price", params)
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert (result["summary"]["message_type"], result["summary"]["total_price"], result["summary"]["currency"]) == ("mms", 0.5, "AUD")
    assert [r["path"] for r in sim.requests if r["method"] == "POST"] == ["/v3/mms/price"]
    sim_run("calculate_price", {"to": "+61411111111", "message": "Alert 123", "message_type": "voice", "voice": "male", "language": "en-au"})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert (result["summary"]["message_type"], result["summary"]["total_price"]) == ("voice", 0.09)
    assert result["data"][0]["messages"][0]["voice"] == "male"
    assert mms_sent(sim) == [] and voice_sent(sim) == []
