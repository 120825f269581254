"""Unit-test fixtures shared by the send tests."""

import re

import pytest


MEDIA_HOST = re.compile(r"^https?://example\.com/")
MEDIA_SIZE = 20_000  # bytes: an MMS image well within ClickSend's 250 kB


@pytest.fixture(autouse=True)
def media_host(request):
    """The host of the test MMS images (example.com) answers HEAD with a small Content-Length, as the app asks every
    media URL its size before an MMS goes. A test registers its own answer for a URL to change it (requests_mock
    tries the latest registration first); tests without requests_mock are left alone."""
    if "requests_mock" in request.fixturenames:
        request.getfixturevalue("requests_mock").head(MEDIA_HOST, headers={"Content-Length": str(MEDIA_SIZE)})
