"""A fake clock for the waits of clicksend_actions_twoway: sleeping moves time on at once, so no test really waits.

Hooks run after every pause with the seconds waited so far: a test makes a reply arrive, or another run overlap, while
the action waits.
"""

import clicksend_actions_twoway


class FakeClock:
    def __init__(self, start=1000.0):
        self.start = start
        self.now = start
        self.sleeps = []
        self.hooks = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
        for hook in list(self.hooks):
            hook(self.elapsed)

    @property
    def elapsed(self):
        return self.now - self.start


def install(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(clicksend_actions_twoway, "_now", clock.monotonic)
    monkeypatch.setattr(clicksend_actions_twoway, "_sleep", clock.sleep)
    return clock
