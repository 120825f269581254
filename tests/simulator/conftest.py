"""Fixtures for the simulator's own tests: ``sim`` (a started simulator) and ``client``."""

from __future__ import annotations

import pytest
from clicksend_sim import make_sim_fixture

from .helpers import Client


sim = make_sim_fixture()


@pytest.fixture
def client(sim):
    c = Client(sim)
    yield c
    c.session.close()
