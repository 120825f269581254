"""send mms: the exact request ClickSend receives, and the result the playbook reads."""

import pytest
import requests

from tests.conftest import BASE_URL, asset_config
from tests.unit.test_action_send_message import LIST_ID, MEDIA, URLS, answer, calls, echo, mock_list, msg, soon, summary


@pytest.fixture(autouse=True)
def no_own_numbers(requests_mock):
    """A send from a container asks whether its sender is one of the account's own numbers: none here."""
    own = {"own_numbers": [], "_metadata": {"pagination": {"self": None, "next": None, "page_size": 500}}}
    requests_mock.get(f"{BASE_URL}/own-numbers", json=own)


MMS_URL = URLS["send_mms"]
SENDER = "+61431111112"
ADVICE = "ClickSend sends only .jpg and .gif images directly, so convert the image to one of those and give its URL"


def test_sends_media_file_top_level_and_a_default_subject(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111"), msg("+61422222222")], total_price=1.0))
    run(
        "send_mms",
        {"to": "0411 111 111,+61422222222,+61411111111", "message": "Alert 123:\n suspicious   login detected", "media_url": MEDIA},
        config=asset_config(default_from="SOCTeam"),
    )
    assert run.result["status"] == "success", run.result["message"]
    head, request = requests_mock.request_history
    assert (head.method, head.url) == ("HEAD", MEDIA)  # its size: ClickSend takes at most 250 kB
    assert (request.method, request.url, request.timeout) == ("POST", MMS_URL, 30)
    common = {"source": "splunk-soar", "from": "SOCTeam", "subject": "Alert 123: suspiciou", "body": "Alert 123:\n suspicious   login detected"}
    assert request.json() == {
        "media_file": MEDIA,
        "messages": [dict(common, to="+61411111111"), dict(common, to="+61422222222")],
    }
    assert run.result["message"] == "Queued 2 of 2 MMS messages"
    assert run.result["summary"] == summary(["ID-+61411111111", "ID-+61422222222"], 1.0)


def test_given_subject_list_schedule_and_custom_string_are_sent(run, requests_mock):
    when = soon()
    mock_list(requests_mock, 1, contacts=[{"contact_id": 5, "list_id": LIST_ID, "phone_number": "+61422222222"}])
    requests_mock.post(MMS_URL, json=echo())
    run(
        "send_mms",
        {
            "contact_list_id": LIST_ID,
            "message": "Visitor badge",
            "media_url": "http://example.com/a.gif",
            "subject": " Visitor ",
            "from": "+61 431 111 112",
            "schedule": str(when),
            "custom_string": "case-9",
        },
        container_id=5,
    )
    assert run.result["status"] == "success", run.result["message"]
    # from a container with a number for a sender: is it one of the account's own numbers (which take no replies)?
    assert calls(requests_mock) == [
        ("HEAD", "/a.gif"),
        ("GET", f"/v3/lists/{LIST_ID}"),
        ("GET", f"/v3/lists/{LIST_ID}/contacts?page=1&limit=100"),
        ("POST", "/v3/mms/send"),
        ("GET", "/v3/own-numbers?page_size=500"),
    ]
    assert requests_mock.request_history[3].json() == {
        "media_file": "http://example.com/a.gif",
        "messages": [
            {
                "source": "splunk-soar",
                "from": SENDER,
                "schedule": when,
                "custom_string": "case-9",
                "subject": "Visitor",
                "body": "Visitor badge",
                "to": "+61422222222",
            }
        ],
    }


def test_per_message_rejection_is_named_and_all_rejected_fails(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111", "INVALID_MEDIA_FILE")]))
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": MEDIA, "from": SENDER})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "ClickSend did not accept the MMS message: +61411111111 (INVALID_MEDIA_FILE)"


def test_an_mms_send_is_never_retried_after_a_server_error(run, requests_mock):
    requests_mock.post(MMS_URL, status_code=503, json={"http_code": 503, "response_code": "X", "response_msg": "busy", "data": None})
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": MEDIA, "from": SENDER})
    assert [r.method for r in requests_mock.request_history] == ["HEAD", "POST"]
    assert run.result["status"] == "failed"


def test_longest_bodies_that_fit_are_sent(run, requests_mock):
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111")]))
    run("send_mms", {"to": "+61411111111", "message": "a" * 1500, "media_url": MEDIA, "from": SENDER})
    assert run.result["status"] == "success", run.result["message"]
    run("send_mms", {"to": "+61411111111", "message": "ж" * 500, "media_url": MEDIA, "subject": "x" * 20, "from": SENDER})
    assert run.result["status"] == "success", run.result["message"]


# --- the sender -------------------------------------------------------------------------------------------------


def test_an_mms_without_a_sender_is_refused_before_anything_is_sent(run, requests_mock):
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": "https://example.com/picture"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "Parameter 'from': is required for MMS (ClickSend's API requires a sender): give 'from' or set the asset's default_from"
    )
    assert requests_mock.call_count == 0


# --- the media --------------------------------------------------------------------------------------------------


def test_every_media_url_is_asked_its_size_and_only_one_without_an_image_extension_its_type(run, requests_mock):
    direct = [
        "https://example.com/evidence.jpg",
        "http://example.com/a.gif",
        "https://example.com/EVIDENCE.JPG",
        "https://example.com/a.gif?size=1",
    ]
    asked = "https://example.com/media/evidence"
    requests_mock.head(asked, headers={"Content-Type": "image/gif"})
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111")]))
    for url in [*direct, asked]:
        run("send_mms", {"to": "+61411111111", "message": "x", "media_url": url, "from": SENDER})
        assert run.result["status"] == "success", run.result["message"]
    assert [(r.method, r.url) for r in requests_mock.request_history] == [
        step for url in [*direct, asked] for step in (("HEAD", url), ("POST", MMS_URL))
    ]
    assert [r.json()["media_file"] for r in requests_mock.request_history if r.method == "POST"] == [*direct, asked]


@pytest.mark.parametrize(("size", "kb"), [(250_001, 251), (3_000_000, 3000)])
def test_an_image_over_250_kb_is_refused_before_sending_naming_its_size_and_the_limit(run, requests_mock, size, kb):
    requests_mock.head(MEDIA, headers={"Content-Type": "image/jpeg", "Content-Length": str(size)})
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": MEDIA, "from": SENDER})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        f"Parameter 'media_url': is {size} bytes (about {kb} kB) by its Content-Length; ClickSend takes one MMS attachment of at "
        "most 250 kB (250000 bytes), so nothing was sent: give a smaller image"
    )
    (head,) = requests_mock.request_history
    assert head.method == "HEAD" and "Authorization" not in head.headers


@pytest.mark.parametrize(
    "answer_to_head",
    [
        {"headers": {"Content-Length": "250000"}},  # the limit itself
        {"headers": {}},  # no Content-Length (a chunked answer, say)
        {"headers": {"Content-Length": "lots"}},
        {"headers": {"Content-Length": "-5"}},
        {"headers": {"Content-Length": "300000, 300000"}},
        {"status_code": 405},  # the host does not answer HEAD
        {"status_code": 302, "headers": {"Location": "https://example.com/big.jpg", "Content-Length": "900000"}},  # not followed
        {"exc": requests.exceptions.ConnectTimeout},
    ],
    ids=["limit", "missing", "words", "negative", "list", "405", "redirect", "timeout"],
)
def test_a_size_the_host_does_not_tell_does_not_stop_the_send(run, requests_mock, answer_to_head):
    """ClickSend judges the file itself: a Content-Length that is missing or unreadable only means the app cannot tell."""
    requests_mock.head(MEDIA, **answer_to_head)
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111")]))
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": MEDIA, "from": SENDER})
    assert run.result["status"] == "success", run.result["message"]
    assert [r.method for r in requests_mock.request_history] == ["HEAD", "POST"]


def test_a_big_image_without_an_extension_is_refused_for_its_size_first(run, requests_mock):
    url = "https://example.com/media/evidence"
    requests_mock.head(url, headers={"Content-Type": "image/png", "Content-Length": "900000"})
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": url, "from": SENDER})
    assert run.result["message"].startswith("Parameter 'media_url': is 900000 bytes (about 900 kB) by its Content-Length")


@pytest.mark.parametrize("extension", ["jpeg", "png", "bmp", "webp", "tiff", "heic", "PNG"])
def test_an_image_clicksend_would_have_to_convert_is_refused_with_advice(run, requests_mock, extension):
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": f"https://example.com/shot.{extension}", "from": SENDER})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"Parameter 'media_url': is a .{extension.lower()} image; {ADVICE}"
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("url", ["https://example.com/media/evidence", "https://example.com/render.php?id=5"])
@pytest.mark.parametrize("kind", ["image/jpeg", "image/gif", "IMAGE/JPEG; charset=binary"])
def test_a_url_without_an_image_extension_is_asked_its_type_without_credentials(run, requests_mock, url, kind):
    requests_mock.head(url, headers={"Content-Type": kind})
    requests_mock.post(MMS_URL, json=answer([msg("+61411111111")]))
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": url, "from": SENDER})
    assert run.result["status"] == "success", run.result["message"]
    head, post = requests_mock.request_history
    assert (head.method, head.url) == ("HEAD", url)
    assert "Authorization" not in head.headers
    assert (post.method, post.url) == ("POST", MMS_URL)
    assert post.json()["media_file"] == url


@pytest.mark.parametrize(
    ("answer_to_head", "found"),
    [
        ({"headers": {"Content-Type": "text/html; charset=utf-8"}}, "text/html"),
        ({"headers": {"Content-Type": "image/png"}}, "image/png"),
        ({"headers": {}}, "of an unknown type"),
        ({"status_code": 404, "headers": {"Content-Type": "image/jpeg"}}, "of an unknown type"),
        ({"status_code": 302, "headers": {"Location": "https://example.com/a.jpg", "Content-Type": "image/jpeg"}}, "of an unknown type"),
    ],
)
def test_a_url_whose_content_type_is_not_jpeg_or_gif_is_refused(run, requests_mock, answer_to_head, found):
    url = "https://example.com/media/evidence"
    requests_mock.head(url, **answer_to_head)
    run("send_mms", {"to": "+61411111111", "message": "x", "media_url": url, "from": SENDER})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"Parameter 'media_url': is {found} (by its Content-Type), not a JPEG or GIF image; {ADVICE}"
    assert [r.method for r in requests_mock.request_history] == ["HEAD"]


# --- bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"to": "+61411111111", "message": "x"}, "Parameter 'media_url': is required"),
        (
            {"to": "+61411111111", "message": "x", "media_url": "ftp://example.com/a.jpg"},
            "Parameter 'media_url': 'ftp://example.com/a.jpg' is not an http(s) URL",
        ),
        # the platform checks media_url's contains type url first (SOAR validates contains before the action runs)
        ({"to": "+61411111111", "message": "x", "media_url": "example.com/a.jpg"}, "Parameter 'media_url' failed validation"),
        ({"to": "+61411111111", "message": "x", "media_url": "https://example.com/a.png"}, "Parameter 'media_url': is a .png image"),
        ({"to": "+61411111111", "media_url": MEDIA}, "Parameter 'message': is required"),
        ({"to": "+61411111111", "media_url": MEDIA, "message": "a\x00"}, "Parameter 'message': holds a control character (U+0000)"),
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
        # a URL the app would ask its type: every other parameter is checked first, so no request at all
        ({"to": "+61411111111", "message": "x", "media_url": "https://example.com/p", "schedule": str(soon(400))}, "Parameter 'schedule':"),
        ({"to": "+61411111111", "message": "x", "media_url": "https://example.com/p", "custom_string": "soar:1"}, "Parameter 'custom_string':"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("send_mms", {"from": SENDER, **params})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0
