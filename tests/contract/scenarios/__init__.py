"""Scenarios that run each action for real (connector -> fake platform -> simulator over HTTP).

Each module in this package defines SCENARIOS, a list of Scenario. The contract tests run every scenario and
check the results against clicksend.json: every declared output path must be produced (by at least one
scenario of that action) with its declared type, every produced path must be declared, and every declared
parameter must be read by at least one scenario.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass
class Scenario:
    identifier: str
    name: str
    params: dict = field(default_factory=dict)
    setup: Optional[Callable] = None  # setup(sim) -> optional dict merged into params (ids created in the simulator)
    expect: str = "success"
    container_id: Optional[int] = None
    poll_now: bool = False
    config: dict = field(default_factory=dict)  # asset overrides


def all_scenarios():
    found = []
    for module in pkgutil.iter_modules(__path__):
        found.extend(importlib.import_module(f"{__name__}.{module.name}").SCENARIOS)
    return found
