"""Helpers shared by the simulator tests."""

from __future__ import annotations

import requests


TIMEOUT = 10


class Client:
    """Thin requests wrapper: paths are relative to the simulator's /v3 base URL."""

    def __init__(self, sim, auth=None):
        self.sim = sim
        self.session = requests.Session()
        self.auth = auth if auth is not None else sim.auth

    def request(self, method, path, **kw):
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("auth", self.auth)
        return self.session.request(method, self.sim.url + path, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def assert_envelope(resp, status=200, code=None):
    """The standard ClickSend envelope, with the expected HTTP status; returns the parsed body."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"http_code", "response_code", "response_msg", "data"}
    assert body["http_code"] == status
    assert isinstance(body["response_msg"], str) and body["response_msg"]
    if code is not None:
        assert body["response_code"] == code
    return body


def send(client, *messages, **top):
    """POST /sms/send with the given message dicts; returns the response."""
    return client.post("/sms/send", json={"messages": list(messages), **top})
