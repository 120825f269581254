"""The fault matrix's outcomes, filled by the tests and printed by conftest at the end of the run."""

MATRIX = {}


def record(action, fault, outcome):
    MATRIX.setdefault(fault, {})[action] = outcome
