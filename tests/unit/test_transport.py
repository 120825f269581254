"""The transport (clicksend_transport, driven through the client) against small hostile servers on 127.0.0.1
(tests/hostile): the asset's timeout bounds each request whole, answers are read with a cap, excerpts cost little,
the key never leaks, redirects are not followed, TLS failures say whether anything was sent, and a send is retried
only when ClickSend certainly did not process it. Then the throttle, the pool and the deadline watchdog per thread.
"""

import email.utils
import os
import threading
import time

import pytest

import clicksend_client as cc
import clicksend_consts as consts
import clicksend_transport as ct
import clicksend_urls as cu
from tests import hostile
from tests.conftest import BASE_URL, Gauge


KEY = "HOSTILE-KEY-6c1f2e9a7b"
TIMEOUT = 0.5
SLACK = 8  # seconds a loaded machine may add to a bounded wait: upper bounds on time are far from what they rule out
MB = 1 << 20


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    made = hostile.make_certificate(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("no openssl command to make a test certificate")
    return made


@pytest.fixture
def tls(certificate):
    return hostile.server_context(certificate)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make_client(sleeps):
    clients = []

    def make(server, username="user", key=KEY, timeout=TIMEOUT, verify=True):
        client = cc.ClickSendClient(server.url, username, key, timeout=timeout, verify=verify, sleep=sleeps.append)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(autouse=True)
def no_thread_outlives_a_test():
    before = set(threading.enumerate())
    yield
    left = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert not left, f"threads left running: {left}"


def fragments(secret, size=6):
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def assert_nothing_of(secret, text):
    leaked = [piece for piece in fragments(secret) if piece in text]
    assert not leaked, f"fragments of a secret in {text!r}: {leaked}"


# --- 1. the timeout bounds the whole request -------------------------------------------------------------------


@pytest.mark.parametrize("server", [hostile.drip_body, hostile.drip_headers], ids=["drip body", "drip headers"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_dripping_server_cannot_hold_a_request_past_the_timeout(make_client, server, method):
    with server(interval=0.1) as slow:
        client = make_client(slow)
        with hostile.measure() as cost, pytest.raises(cc.ClickSendConnectionError) as err:
            client.request(method, "sms/send" if method == "POST" else "account")
    assert cost.elapsed <= TIMEOUT + SLACK  # the drip alone would take 20 s
    assert len(slow.requests) == 1  # a timeout is not retried
    assert f"did not answer {method} " in str(err.value) and f"within {TIMEOUT:g} s" in str(err.value)
    if method == "POST":
        assert err.value.outcome_unknown and "outcome is unknown" in str(err.value)


def test_a_tls_handshake_dripped_byte_by_byte_ends_at_the_timeout_and_nothing_was_sent():
    with hostile.tls_drip_handshake(interval=0.1) as slow:
        client = cc.ClickSendClient(slow.url.replace("http://", "https://"), "user", KEY, timeout=TIMEOUT)
        try:
            with hostile.measure() as cost, pytest.raises(cc.ClickSendConnectionError) as err:
                client.post("sms/send", {})
        finally:
            client.close()
    assert cost.elapsed <= TIMEOUT + SLACK  # the drip alone would take 20 s
    assert str(err.value) == f"ClickSend did not answer POST sms/send within {TIMEOUT:g} s (nothing was sent)"
    assert not err.value.outcome_unknown


def open_descriptors():
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_the_deadline_leaves_no_descriptor_or_thread_behind(make_client):
    with hostile.recorder() as server:
        client = make_client(server)
        client.get("account")  # the pooled keep-alive connection now exists
        before = open_descriptors(), threading.active_count()
        for _ in range(30):
            client.get("account")
        assert (open_descriptors(), threading.active_count()) == before
    assert server.connections == 1  # one keep-alive connection served every request


def test_the_deadline_composes_with_retries_each_attempt_its_own(make_client, sleeps):
    def slow_then_busy(conn):  # every answer takes 0.6 x the timeout; the first two are 503
        while conn.read_request() is not None:
            conn.server.stopping.wait(TIMEOUT * 0.6)
            if len(conn.server.requests) <= 2:
                conn.respond(503, hostile.envelope(None, "busy", "X", 503), {"Retry-After": "0"}, keep_alive=True)
            else:
                conn.respond(200, hostile.OK_BODY, keep_alive=True)

    with hostile.HostileServer(slow_then_busy) as server:
        with hostile.measure() as cost:
            assert make_client(server).get("account")["total_count"] == 1
    assert len(server.requests) == 3 and sleeps == [0.0, 0.0]
    assert cost.elapsed > TIMEOUT * 1.5  # longer than one timeout in all, each attempt within its own


# --- 2. bounded bodies -----------------------------------------------------------------------------------------


def assert_capped(cost):
    assert cost.traced_peak <= consts.MAX_BODY_BYTES * 1.25 + 4 * MB, cost
    if cost.rss_growth is not None:
        assert cost.rss_growth <= consts.MAX_BODY_BYTES * 1.25 + 16 * MB, cost


@pytest.mark.parametrize("content_length", [True, False], ids=["with length", "until close"])
def test_a_300_mb_answer_fails_clearly_with_flat_memory(make_client, content_length):
    with hostile.huge_body(300, content_length=content_length) as huge:
        client = make_client(huge, timeout=10)
        with hostile.measure(memory=True) as cost, pytest.raises(cc.ClickSendResponseError) as err:
            client.post("sms/send", {"messages": []})
    assert_capped(cost)
    assert cost.elapsed < 30  # bounded: the body is cut at 16 MB, not read to 300 MB
    assert "a body larger than the 16 MB the app reads" in str(err.value)
    assert err.value.outcome_unknown and "outcome is unknown" in str(err.value)


def test_an_endless_chunked_answer_fails_clearly_with_flat_memory(make_client):
    with hostile.endless_chunked() as endless:
        client = make_client(endless, timeout=10)
        with hostile.measure(memory=True) as cost, pytest.raises(cc.ClickSendResponseError) as err:
            client.get("account")
    assert_capped(cost)
    assert "larger than the 16 MB" in str(err.value)
    assert not err.value.outcome_unknown


def test_a_gzip_bomb_is_capped_like_any_body(make_client):
    with hostile.gzip_bomb(64) as bomb:
        client = make_client(bomb, timeout=10)
        with hostile.measure(memory=True) as cost, pytest.raises(cc.ClickSendResponseError) as err:
            client.get("account")
    assert_capped(cost)
    assert "larger than the 16 MB" in str(err.value)
    assert bomb.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "deflate-raw"])
def test_compressed_answers_are_decoded(make_client, coding):
    with hostile.encoded(coding=coding) as server:
        assert make_client(server).get("account")["total_count"] == 1


def test_an_unknown_content_encoding_is_an_error(make_client):
    with hostile.encoded(coding="br") as server, pytest.raises(cc.ClickSendResponseError) as err:
        make_client(server).post("sms/send", {})
    assert "Content-Encoding 'br' is not gzip or deflate" in str(err.value)
    assert err.value.outcome_unknown


def test_a_corrupt_gzip_answer_is_an_error(make_client):
    with hostile.answering(200, b"\x1f\x8b\x08\x00not gzip at all", {"Content-Encoding": "gzip"}) as server:
        with pytest.raises(cc.ClickSendResponseError) as err:
            make_client(server).get("account")
    assert "gzip data is corrupt" in str(err.value)


# --- 3. excerpts in linear time ----------------------------------------------------------------------------------


def test_a_pathological_error_page_costs_little_cpu(make_client):
    with hostile.pathological_html(280 * 1024) as page:
        client = make_client(page, timeout=5)
        with hostile.measure() as cost, pytest.raises(cc.ClickSendHTTPError) as err:
            client.get("account")
    assert cost.cpu < 0.5, cost
    assert "HTTP 500" in str(err.value) and "non-JSON body: <html>" in str(err.value)
    assert len(str(err.value)) < 400


# --- 4. the key never shows ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["user", "jörg", "山田"], ids=["ascii", "latin-1", "not latin-1"])
@pytest.mark.parametrize("kind", ["json", "html"])
def test_an_echoed_key_is_masked_even_across_the_cut(make_client, username, kind):
    with hostile.echo_key(kind) as echo:
        client = make_client(echo, username=username)
        with pytest.raises(cc.ClickSendHTTPError) as err:
            client.post("lists", {})
    sent_user, sent_key = echo.requests[0].credentials()
    assert (sent_user, sent_key) == (username, KEY)
    token = echo.requests[0].basic_token
    everything = " ".join([str(err.value), repr(err.value.data), str(err.value.response_msg)])
    assert_nothing_of(KEY, everything)
    assert_nothing_of(token, everything)
    assert "***" in str(err.value)
    if kind == "json":
        assert err.value.data == {"api_key": "z" * (190 - len("api_key: ")) + "***", "token": "***", "***": "the key as a field name"}


def test_a_username_latin_1_cannot_encode_is_sent_as_utf_8(make_client):
    with hostile.recorder() as server:
        make_client(server, username="山田").get("account")
    assert server.requests[0].credentials() == ("山田", KEY)


# --- 5. TLS failures say whether anything was sent -----------------------------------------------------------------


def test_a_failed_handshake_means_nothing_was_sent(make_client):
    with hostile.tls_handshake_failure() as server:
        server_url = server.url.replace("http://", "https://")
        client = cc.ClickSendClient(server_url, "user", KEY, timeout=TIMEOUT)
        try:
            with pytest.raises(cc.ClickSendConnectionError) as err:
                client.post("sms/send", {})
        finally:
            client.close()
    assert str(err.value).startswith("TLS handshake with 127.0.0.1 failed for POST sms/send")
    assert str(err.value).endswith("(nothing was sent)")
    assert not err.value.outcome_unknown
    assert server.connections == 1 and server.requests == []


def test_an_untrusted_certificate_fails_the_handshake_and_nothing_is_sent(make_client, tls):
    with hostile.recorder(tls=tls) as server, pytest.raises(cc.ClickSendConnectionError) as err:
        make_client(server, verify=True).post("sms/send", {})
    assert "TLS handshake with 127.0.0.1 failed" in str(err.value) and not err.value.outcome_unknown
    assert server.requests == []


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
@pytest.mark.parametrize("mode", ["garbage", "eof", "reset"])
def test_a_tls_connection_lost_after_the_request_leaves_the_send_outcome_unknown(make_client, tls, mode):
    with hostile.tls_abort_after_request(tls, mode) as server, pytest.raises(cc.ClickSendConnectionError) as err:
        make_client(server, verify=False).post("sms/send", {"messages": []})
    assert len(server.requests) == 1
    assert "TLS handshake" not in str(err.value)
    assert "lost the" in str(err.value) and "outcome is unknown" in str(err.value)
    assert err.value.outcome_unknown


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_a_tls_failure_on_a_reused_connection_leaves_the_send_outcome_unknown(make_client, tls):
    with hostile.tls_abort_after_request(tls, "garbage", serve_first=1) as server:
        client = make_client(server, verify=False)
        client.get("account")
        with pytest.raises(cc.ClickSendConnectionError) as err:
            client.post("sms/send", {"messages": []})
    assert server.connections == 1 and len(server.requests) == 2
    assert "lost the TLS connection to ClickSend at 127.0.0.1" in str(err.value) and err.value.outcome_unknown


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_a_tls_failure_after_sending_a_read_is_retried(make_client, tls, sleeps):
    with hostile.tls_abort_after_request(tls, "garbage") as server, pytest.raises(cc.ClickSendConnectionError) as err:
        make_client(server, verify=False).get("account")
    assert len(server.requests) == consts.RETRY_MAX_ATTEMPTS
    assert "gave up after 4 attempts" in str(err.value)


def test_the_tls_warning_says_when_certificates_are_not_checked():
    assert cc.ClickSendClient("https://rest.clicksend.com/v3", "u", KEY, verify=False).tls_warning == (
        "TLS certificate verification is off (asset field verify_server_cert)"
    )
    assert cc.ClickSendClient("https://rest.clicksend.com/v3", "u", KEY).tls_warning == ""


# --- 6. redirects are never followed ------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
@pytest.mark.parametrize(
    ("status", "redirect_tls", "target_tls"),
    [(301, False, False), (302, False, False), (303, False, False), (308, False, False), (307, False, False), (307, False, True),
     (307, True, False), (307, True, True)],
)  # fmt: skip
def test_a_redirect_is_not_followed_and_its_target_receives_nothing(make_client, tls, status, redirect_tls, target_tls):
    with hostile.recorder(tls=tls if target_tls else None) as target:
        with hostile.redirect(hostile.same_path_on(target), status, tls=tls if redirect_tls else None) as server:
            with pytest.raises(cc.ClickSendHTTPError) as err:
                make_client(server, verify=False).post("sms/send", {"messages": [{"to": "+61411111111", "body": "secret text"}]})
    assert target.connections == 0 and target.requests == []
    assert len(server.requests) == 1
    assert str(err.value) == (
        f"ClickSend answered POST sms/send with HTTP {status}, a redirect to {target.root}/v3/sms/send; the app does not follow "
        "redirects: check the asset's base_url (nothing was sent to that location)"
    )
    assert err.value.status == status and not err.value.outcome_unknown


def test_a_redirect_location_is_sanitised(make_client):
    location = f"https://evil.example/\x1b[31m{KEY}/" + "x" * 300
    with hostile.redirect(location, 302) as server, pytest.raises(cc.ClickSendHTTPError) as err:
        make_client(server).get("account")
    text = str(err.value)
    assert "\x1b" not in text and "https://evil.example/[31m***/xxx" in text
    assert_nothing_of(KEY, text)
    quoted = text.split("a redirect to ", 1)[1].split(";", 1)[0]
    assert len(quoted) <= consts.REDIRECT_LOCATION_CHARS


# --- 6b. the HEAD of an MMS image: no credentials, no redirect, bounded; its size when it says one ---------------


@pytest.mark.parametrize(("length", "expected"), [("300000", 300000), ("  42 ", 42), ("12k", None), ("-1", None), ("1" * 16, None)])
def test_the_media_head_gives_type_and_size_and_sends_no_credentials(make_client, length, expected):
    with hostile.answering(200, b"", {"Content-Type": "IMAGE/JPEG; x=y", "Content-Length": length}) as host:
        head = make_client(host).media_head(host.url + "/evidence.jpg")
    assert (head.content_type, head.length) == ("image/jpeg", expected)
    (request,) = host.requests
    assert request.method == "HEAD" and "authorization" not in request.headers


def test_the_media_head_keeps_no_connection_for_the_next_request_to_the_same_host(make_client):
    """A media host that closes a kept-alive connection silently could otherwise fail the next request sent on it, a
    send among them (whose outcome would then be unknown): the HEAD asks the host to close, and the next request opens
    a connection of its own."""
    with hostile.answering(200, headers={"Content-Type": "image/jpeg"}) as host:
        client = make_client(host)
        client.media_head(host.url + "/evidence.jpg")
        assert client.get("account")["total_count"] == 1
    head, read = host.requests
    assert read.method == "GET"
    assert head.method == "HEAD" and head.headers.get("connection") == "close"
    assert host.connections == 2


def test_the_media_head_follows_no_redirect(make_client):
    with hostile.recorder() as target, hostile.redirect(hostile.same_path_on(target), 302) as host:
        head = make_client(host).media_head(host.url + "/evidence.jpg")
    assert (head.content_type, head.length) == ("", None)
    assert target.connections == 0


def test_a_dripping_media_host_cannot_hold_the_head_past_the_timeout(make_client):
    with hostile.drip_headers(interval=0.1) as slow:
        with hostile.measure() as cost:
            head = make_client(slow).media_head(slow.url + "/evidence.jpg")
    assert (head.content_type, head.length) == ("", None)
    assert cost.elapsed <= TIMEOUT + SLACK  # the drip alone would take 20 s


# --- 7. safe retries for sends -----------------------------------------------------------------------------------


def test_a_send_answered_429_is_retried_once_after_retry_after(make_client, sleeps):
    with hostile.rate_limited(retry_after=("1",)) as server:
        data = make_client(server).post("sms/send", {"messages": [{"to": "+61411111111", "body": "hi"}]})
    assert data["messages"][0]["status"] == "SUCCESS"
    assert len(server.requests) == 2 and sleeps == [1.0]
    assert server.requests[0].body == server.requests[1].body


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("2", [2.0]), (b"\xb2\xb3", None), ("soon, maybe", None), (None, None), ("Wed, 21 Oct 2015 07:28:00 GMT", [0.0])],
    ids=["seconds", "non-ASCII digits", "garbage", "absent", "a date in the past"],
)
def test_retry_after_values_never_break_the_retry(make_client, sleeps, retry_after, expected):
    with hostile.rate_limited(retry_after=(retry_after,)) as server:
        make_client(server).post("sms/send", {})
    assert len(server.requests) == 2
    if expected is None:
        assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 1.25  # the backoff
    else:
        assert sleeps == expected


def test_retry_after_as_an_http_date_is_honoured(make_client, sleeps):
    with hostile.rate_limited(retry_after=(email.utils.formatdate(time.time() + 20, usegmt=True),)) as server:
        make_client(server).post("sms/send", {})
    assert len(sleeps) == 1 and 18 <= sleeps[0] <= 21


def test_a_huge_retry_after_is_not_waited_for(make_client, sleeps):
    with hostile.rate_limited(retry_after=("9" * 400,)) as server, pytest.raises(cc.ClickSendHTTPError) as err:
        make_client(server).post("sms/send", {})
    assert len(server.requests) == 1 and sleeps == []
    assert "longer than the app waits (30 s)" in str(err.value)
    assert str(err.value).endswith("(nothing was sent)")


def test_a_refused_connection_is_retried_for_a_send_and_nothing_was_sent(make_client, sleeps):
    with hostile.recorder() as server:
        pass  # nobody listens on its port any more
    client = cc.ClickSendClient(server.url, "user", KEY, timeout=TIMEOUT, sleep=sleeps.append)
    with pytest.raises(cc.ClickSendConnectionError) as err:
        client.post("sms/send", {})
    client.close()
    assert len(sleeps) == consts.RETRY_MAX_ATTEMPTS - 1
    assert str(err.value).startswith(f"The app could not connect to ClickSend at 127.0.0.1:{server.port} during POST sms/send")
    assert str(err.value).endswith("(nothing was sent)") and not err.value.outcome_unknown


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_send_answered_with_a_server_error_is_not_retried(make_client, sleeps, status):
    with hostile.answering(status, hostile.envelope(None, "oops", "X", status)) as server, pytest.raises(cc.ClickSendHTTPError) as err:
        make_client(server).post("sms/send", {})
    assert len(server.requests) == 1 and sleeps == []
    assert err.value.outcome_unknown is (status != 503)


def test_a_send_whose_connection_is_reset_after_sending_is_not_retried(make_client, sleeps):
    def behaviour(conn):
        if conn.read_request() is not None:
            conn.abort()

    with hostile.HostileServer(behaviour) as server, pytest.raises(cc.ClickSendConnectionError) as err:
        make_client(server).post("sms/send", {})
    assert len(server.requests) == 1 and sleeps == []
    assert err.value.outcome_unknown and "lost the connection" in str(err.value)


# --- 8. ids in paths -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["sms/inbound-read/.", "sms/inbound-read/", "lists/../account", "lists//contacts", "lists?x=1", "a#b"])
def test_a_path_that_would_address_something_else_is_refused_before_sending(make_client, path):
    with hostile.recorder() as server, pytest.raises(cc.InvalidPathValue) as err:
        make_client(server).put(path)
    assert server.connections == 0
    assert str(err.value).startswith(f"The app refused to send PUT {path} to ClickSend")


def test_an_id_of_a_dot_cannot_mark_every_message_read(make_client):
    with hostile.recorder() as server, pytest.raises(cc.InvalidPathValue):
        make_client(server).put(cu.api_path(consts.EP_SMS_INBOUND_READ, message_id="."))
    assert server.connections == 0


# --- requests in flight: the throttle, the pool, the deadline watchdog per thread -----------------------------------


def test_the_throttle_lets_no_more_than_its_limit_through_and_never_goes_below_one():
    throttle = ct.Throttle(8)
    throttle.slow_down()
    gauge = Gauge()
    meeting = threading.Barrier(4, timeout=30)  # trips only with four inside at once

    def attempt():
        with throttle, gauge:
            meeting.wait()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.limit == 4 and gauge.most == 4 and throttle.in_flight == 0 and not meeting.broken
    for _ in range(10):
        throttle.slow_down()
    assert throttle.limit == 1


def test_one_session_with_a_pool_of_eight_connections():
    made = cc.ClickSendClient(BASE_URL, "user", KEY)
    adapter = made.session.get_adapter(BASE_URL)
    assert isinstance(adapter, ct.DeadlineAdapter)
    assert adapter._pool_connections == adapter._pool_maxsize == consts.MAX_IN_FLIGHT
    made.close()


def test_each_concurrent_attempt_has_its_own_deadline(sim, monkeypatch):
    """Eight reads at once against a server slower than the timeout: each is cut at its own deadline (the watchdog shuts
    its thread's sockets, not another's), so all eight end after about one timeout, not eight."""
    client = cc.ClickSendClient(sim.url, sim.username, sim.api_key, timeout=1.0, sleep=lambda seconds: None)
    release = threading.Event()  # the simulator's answers wait for it (30 s at most), so none outlives the test
    monkeypatch.setattr(sim, "wait_latency", release.wait)
    sim.latency = 30.0
    started = time.monotonic()
    outcomes = []

    def read(number):
        try:
            client.get("account")
        except cc.ClickSendConnectionError as err:
            outcomes.append(str(err))
        return number

    try:
        assert list(client.map_ordered(read, range(8))) == list(range(8))
        took = time.monotonic() - started
    finally:
        sim.latency = 0.0
        release.set()
        client.close()
    assert len(outcomes) == 8 and all("did not answer GET account within 1 s" in text for text in outcomes)
    # the first alone (1 s), then seven at once (1 s): 2 s; one deadline after another would take 8 s, and the
    # server's answers 30 s. The bound leaves a loaded machine 4 s.
    assert took < 6.0
    waiting = time.monotonic() + 10
    while any(t.name.endswith("(process_request_thread)") for t in threading.enumerate()) and time.monotonic() < waiting:
        time.sleep(0.01)  # the simulator's answers, released, end
