"""The official SDK (clicksend-client 6.0.2, package ``clicksend``) against the simulator's MMS, voice and cancel endpoints.

The SDK's strict pydantic models only parse answers whose key names and value types match ClickSend's OpenAPI document.
"""

from __future__ import annotations

import time

import pytest
from clicksend_sim.routes_messaging_extra import mms_sent, voice_sent


clicksend = pytest.importorskip("clicksend")

from clicksend import MmsApi, SmsApi, VoiceMessagingApi  # noqa: E402
from clicksend.exceptions import ApiException  # noqa: E402
from clicksend.models import (  # noqa: E402
    CalculateMmsPriceRequest,
    CalculateMmsPriceRequestMessagesInner,
    CalculateVoicePriceRequest,
    CalculateVoicePriceRequestMessagesInner,
    SendMmsRequest,
    SendMmsRequestMessagesInner,
    SendSmsRequest,
    SendSmsRequestMessagesInner,
    SendVoiceMessageRequest,
    SendVoiceMessageRequestMessagesInner,
)

from . import test_sim_sdk_fidelity  # noqa: E402


api = test_sim_sdk_fidelity.api  # the SDK client fixture, shared with the simulator author's fidelity test


MEDIA = "https://example.com/evidence.gif"


def test_send_and_price_mms(api, sim):
    mms = MmsApi(api)
    sent = mms.send_mms(
        send_mms_request=SendMmsRequest(
            media_file=MEDIA,
            messages=[
                SendMmsRequestMessagesInner(to="+61411111111", subject="Alert 123", body="Badge photo", var_from="SOCTeam"),
                SendMmsRequestMessagesInner(to="+61422222222", body="no subject", var_from="SOCTeam"),
                SendMmsRequestMessagesInner(to="+61433333333", subject="no sender", body="b"),
            ],
        )
    )
    assert sent.response_code == "SUCCESS"
    assert (sent.data.total_count, sent.data.queued_count) == (3, 1)
    first, second, third = sent.data.messages
    assert (first.status, first.subject, first.media_file_url, first.var_from) == ("SUCCESS", "Alert 123", MEDIA, "SOCTeam")
    assert second.status == "SUBJECT_REQUIRED"
    assert third.status == "MISSING_REQUIRED_FIELDS"
    assert [m["message_id"] for m in mms_sent(sim)] == [first.message_id]
    assert sim.sent == []

    price = mms.calculate_mms_price(
        calculate_mms_price_request=CalculateMmsPriceRequest(
            media_file="ftp://example.com/x.gif",
            messages=[CalculateMmsPriceRequestMessagesInner(to="+61411111111", subject="s", body="b", var_from="SOCTeam")],
        )
    )
    assert price.data.messages[0].status == "INVALID_MEDIA_FILE"
    assert len(mms_sent(sim)) == 1


def test_send_and_price_voice_and_languages(api, sim):
    voice = VoiceMessagingApi(api)
    sent = voice.send_voice_message(
        send_voice_message_request=SendVoiceMessageRequest(
            messages=[
                SendVoiceMessageRequestMessagesInner(to="+61411111111", body="Alert 123", voice="male", lang="en-au", machine_detection=1),
                SendVoiceMessageRequestMessagesInner(to="+61422222222", body="x", voice="female", lang="pt-pt"),
                SendVoiceMessageRequestMessagesInner(to="+61433333333", body="x", voice="female", lang="xx-yy"),
            ]
        )
    )
    assert sent.data.currency.currency_name_short == "AUD"
    assert [m.status for m in sent.data.messages] == ["SUCCESS", "INVALID_VOICE", "INVALID_LANG"]
    call = sent.data.messages[0]
    assert (call.voice, call.lang, call.machine_detection, call.to_type, call.api_username) == ("male", "en-au", 1, "mobile", sim.username)
    assert [c["message_id"] for c in voice_sent(sim)] == [call.message_id]

    price = voice.calculate_voice_price(
        calculate_voice_price_request=CalculateVoicePriceRequest(
            messages=[CalculateVoicePriceRequestMessagesInner(to="+61411111111", body="a" * 301, voice="female", lang="en-us")]
        )
    )
    assert price.data.total_price == pytest.approx(0.18)
    assert len(voice_sent(sim)) == 1

    langs = voice.view_voice_languages()
    by_code = {lang.code: lang.gender.actual_instance for lang in langs.data}
    assert by_code["en-us"] == ["female", "male"]
    assert by_code["en-in"] == "female" and by_code["pt-pt"] == "male"


def test_cancel_scheduled_sms(api, sim):
    sms = SmsApi(api)
    later = int(time.time()) + 3600
    sent = sms.send_sms(
        send_sms_request=SendSmsRequest(
            messages=[
                SendSmsRequestMessagesInner(to="+61411111111", body="later", schedule=later),
                SendSmsRequestMessagesInner(to="+61422222222", body="now"),
            ]
        )
    )
    scheduled, immediate = (m.message_id for m in sent.data.messages)

    cancelled = sms.cancel_sms(message_id=scheduled)
    assert (cancelled.http_code, cancelled.response_code, cancelled.data) == (200, "SUCCESS", None)
    row = sms.view_sms_history(q=f"message_id:{scheduled}").data.data[0]
    assert (row.status, row.status_code) == ("Cancelled", "301")

    with pytest.raises(ApiException) as again:
        sms.cancel_sms(message_id=scheduled)
    assert again.value.status == 400
    with pytest.raises(ApiException) as sent_already:
        sms.cancel_sms(message_id=immediate)
    assert sent_already.value.status == 400
    with pytest.raises(ApiException) as unknown:
        sms.cancel_sms(message_id="00000000-0000-0000-0000-000000000000")
    assert unknown.value.status == 404
