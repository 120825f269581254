"""What a block of code cost: wall time, CPU time, and memory (tracemalloc peak and the process's peak RSS)."""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional


@dataclass
class Measured:
    elapsed: float = 0.0  # wall seconds
    cpu: float = 0.0  # CPU seconds of the whole process (every thread)
    traced_peak: int = 0  # bytes: tracemalloc's peak above what was allocated at the start
    rss_growth: Optional[int] = None  # bytes: peak RSS during the block above RSS at its start (None: not measurable)


def _status_kb(name: str) -> Optional[int]:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) of this process; False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


@contextlib.contextmanager
def measure(memory: bool = False) -> Iterator[Measured]:
    """with measure(memory=True) as cost: ...; then cost.elapsed, cost.cpu, cost.traced_peak, cost.rss_growth."""
    cost = Measured()
    rss_before = None
    if memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
        traced_before = tracemalloc.get_traced_memory()[0]
        if _reset_peak_rss():
            rss_before = _status_kb("VmRSS")
    wall, cpu = time.monotonic(), time.process_time()
    try:
        yield cost
    finally:
        cost.elapsed = time.monotonic() - wall
        cost.cpu = time.process_time() - cpu
        if memory:
            cost.traced_peak = tracemalloc.get_traced_memory()[1] - traced_before
            tracemalloc.stop()
            peak = _status_kb("VmHWM")
            if rss_before is not None and peak is not None:
                cost.rss_growth = (peak - rss_before) * 1024
