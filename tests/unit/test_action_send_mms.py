"""send mms: the exact request ClickSend receives, and the result the playbook reads."""

import pytest

from tests.conftest import BASE_URL, asset_config
from tests.unit.test_action_send_message import answer, msg


MMS_URL = f"{BASE_URL}/mms/send"
MEDIA = "https://example.com/evidence.jpg"


def test_sends_media_file_top_level_and_a_default_subject(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111"), msg("+61422222222")], total_price=1.0))
    run(
        "send_mms",
        {"to": "0411 111 111,+61422222222,+61411111111", "message": "Alert 123:\n suspicious   login detected", "media_url": MEDIA},
        config=asset_config(default_from="SOCTeam"),
    )
    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert (request.method, request.url, request.timeout) == ("POST", MMS_URL, 30)
    common = {"source": "splunk-soar", "from": "SOCTeam", "subject": "Alert 123: suspiciou", "body": "Alert 123:\n suspicious   login detected"}
    assert request.json() == {
        "media_file": MEDIA,
        "messages": [dict(common, to="+61411111111"), dict(common, to="+61422222222")],
    }
    assert run.result["message"] == "Queued 2 of 2 MMS messages"
    assert run.result["summary"] == {
        "total_recipients": 2,
        "queued_count": 2,
        "rejected_count": 0,
        "total_price": 1.0,
        "message_ids": ["ID-+61411111111", "ID-+61422222222"],
        "response_message": "Messages queued for delivery.",
    }


def test_given_subject_list_schedule_and_custom_string_are_sent(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111", list_id="77")]))
    run(
        "send_mms",
        {
            "contact_list_id": 77,
            "message": "Visitor badge",
            "media_url": "http://example.com/a.gif",
            "subject": " Visitor ",
            "from": "+61 431 111 112",
            "schedule": "4070908800",
            "custom_string": "case-9",
        },
        container_id=5,
    )
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.request_history[0].json() == {
        "media_file": "http://example.com/a.gif",
        "messages": [
            {
                "source": "splunk-soar",
                "from": "+61431111112",
                "schedule": 4070908800,
                "custom_string": "case-9",
                "subject": "Visitor",
                "body": "Visitor badge",
                "list_id": 77,
            }
        ],
    }


def test_a_container_run_gets_the_thread_marker(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111")]))
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": MEDIA}, container_id=314)
    assert requests_mock.request_history[0].json()["messages"][0]["custom_string"] == "soar:container:314"


def test_per_message_rejection_is_named_and_all_rejected_fails(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111", "INVALID_MEDIA_FILE")]))
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": MEDIA})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "ClickSend accepted none of the 1 MMS messages: +61411111111 (INVALID_MEDIA_FILE)"


def test_an_mms_send_is_never_retried(run, requests_mock):
    requests_mock.post(MMS_URL, status_code=503, json={"http_code": 503, "response_code": "X", "response_msg": "busy", "data": None})
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": MEDIA})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"


def test_longest_bodies_that_fit_are_sent(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111")]))
    run("send_mms", {"to": "+61411111111", "message": "a" * 1500, "media_url": MEDIA})
    assert run.result["status"] == "success", run.result["message"]
    run("send_mms", {"to": "+61411111111", "message": "ж" * 500, "media_url": MEDIA, "subject": "x" * 20})
    assert run.result["status"] == "success", run.result["message"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"to": "+61411111111", "message": "x"}, "Parameter 'media_url': is required"),
        (
            {"to": "+61411111111", "message": "x", "media_url": "ftp://example.com/a.jpg"},
            "Parameter 'media_url': 'ftp://example.com/a.jpg' is not an http(s) URL",
        ),
        ({"to": "+61411111111", "message": "x", "media_url": "example.com/a.jpg"}, "Parameter 'media_url':"),
        ({"to": "+61411111111", "media_url": MEDIA}, "Parameter 'message': is required"),
        ({"media_url": MEDIA, "message": "x"}, "Parameter 'to': give at least one recipient"),
        (
            {"to": "+61411111111", "message": "x", "media_url": MEDIA, "subject": "s" * 21},
            "Parameter 'subject': is 21 characters long; the most allowed is 20",
        ),
        (
            {"to": "+61411111111", "message": "a" * 1501, "media_url": MEDIA},
            "Parameter 'message': is 1501 GSM-7 characters; ClickSend cuts an MMS body beyond 1500",
        ),
        (
            {"to": "+61411111111", "message": "ж" * 501, "media_url": MEDIA},
            "Parameter 'message': is 501 Unicode characters; ClickSend cuts an MMS body beyond 500",
        ),
        ({"to": "12", "message": "x", "media_url": MEDIA}, "Parameter 'to': '12' is not a valid phone number"),
        ({"to": "+61411111111", "message": "x", "media_url": MEDIA, "from": "Way Too Long Tag"}, "Parameter 'from':"),
        ({"to": "+61411111111", "message": "x", "media_url": MEDIA, "schedule": "2001-01-01T00:00:00Z"}, "Parameter 'schedule':"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("send_mms", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0
