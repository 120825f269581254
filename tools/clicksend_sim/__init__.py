"""A small, stateful ClickSend REST v3 simulator for tests, demos and benchmarks (stdlib only).

    from clicksend_sim import ClickSendSimulator
    with ClickSendSimulator() as sim:
        requests.get(sim.url + "/account", auth=sim.auth)

See README.md in this folder.
"""

from __future__ import annotations

from typing import Any

from .core import ApiError, Ctx, Response, bad_request, not_found, ok, paginate, route
from .server import FAULT_KINDS, ClickSendSimulator, Fault
from .state import DEFAULT_API_KEY, DEFAULT_USERNAME, TEST_KEY, State


__all__ = [
    "DEFAULT_API_KEY", "DEFAULT_USERNAME", "FAULT_KINDS", "TEST_KEY", "ApiError", "ClickSendSimulator", "Ctx", "Fault",
    "Response", "State", "bad_request", "make_sim_fixture", "not_found", "ok", "paginate", "route",
]


def make_sim_fixture(scope: str = "function", name: str = "sim") -> Any:
    """A pytest fixture yielding a started :class:`ClickSendSimulator` (stopped afterwards).

    In any conftest.py::

        from clicksend_sim import make_sim_fixture
        sim = make_sim_fixture()

    With a wider ``scope`` the simulator is shared and NOT reset between tests: call ``sim.reset()``.
    """
    import pytest

    @pytest.fixture(scope=scope, name=name)
    def _sim_fixture() -> Any:
        sim = ClickSendSimulator()
        sim.start()
        try:
            yield sim
        finally:
            sim.stop()

    return _sim_fixture
