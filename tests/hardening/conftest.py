"""Hardening fixtures: a matrix collector printed at the end of the test report with -v (`pytest -v tests/hardening`)."""

import pytest

from tests.hardening.matrix import MATRIX


def pytest_terminal_summary(terminalreporter, config):
    if not MATRIX or config.get_verbosity() < 1:
        return
    actions = sorted({a for row in MATRIX.values() for a in row})
    write = terminalreporter.write_line
    terminalreporter.section("fault matrix: outcome per action (ok = success, fail = failed with a clear message)")
    width = max(len(f) for f in MATRIX) + 2
    short = {a: a.replace("search_contact_", "srch_").replace("_message", "_msg").replace("contact", "ct")[:14] for a in actions}
    write(" " * width + " ".join(f"{short[a]:>14}" for a in actions))
    for fault, row in MATRIX.items():
        write(f"{fault:<{width}}" + " ".join(f"{row.get(a, '-'):>14}" for a in actions))


@pytest.fixture
def fast_retries(monkeypatch):
    """The waits between attempts are recorded (seconds, in order) instead of slept: a Retry-After the server sends is
    still what the client asks to wait, as the 429 row checks, but the matrix does not spend a second on it per action."""
    import clicksend_client

    waits: list = []
    monkeypatch.setattr(clicksend_client, "pause", waits.append)
    return waits
