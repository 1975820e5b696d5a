"""Where the CPU went during a benchmark step: each part of the stack (a
process and its children), the PostgreSQL backends serving one database, and
the whole machine, whose other work is the difference. Other work shares the
cores, so figures under load depend on it; this says how much there was."""

from __future__ import annotations

import os
import threading

import psutil


def tree(pids: list[int]) -> float:
    """CPU seconds used so far by these processes and their children, living or
    already reaped."""
    total = 0.0
    for pid in pids:
        try:
            top = psutil.Process(pid)
            reaped = top.cpu_times()
            total += reaped.children_user + reaped.children_system
            for process in [top, *top.children(recursive=True)]:
                used = process.cpu_times()
                total += used.user + used.system
        except psutil.NoSuchProcess:
            continue
    return total


def machine() -> float:
    busy = psutil.cpu_times()
    return busy.user + busy.nice + busy.system + busy.irq + busy.softirq


class Usage:
    """CPU seconds of each part between start() and stop(). PostgreSQL's
    backends come and go with connections (CONN_MAX_AGE), so they are sampled
    twice a second: a backend that ends between two samples loses at most its
    last half second."""

    def __init__(self, parts: dict[str, list[int]], database: str):
        self.parts, self.database = parts, database
        self.seen: dict[int, float] = {}
        self.done = threading.Event()

    def _backends(self) -> dict[int, float]:
        found = {}
        for process in psutil.process_iter(["cmdline", "cpu_times"]):
            title = " ".join(process.info["cmdline"] or [])
            times = process.info["cpu_times"]
            if f" {self.database} " in f" {title} " and times:
                found[process.pid] = times.user + times.system
        return found

    def _sample(self) -> None:
        while not self.done.wait(0.5):
            self.seen.update(self._backends())

    def start(self) -> None:
        self.before = {part: tree(pids) for part, pids in self.parts.items()}
        self.machine, self.load_average = machine(), os.getloadavg()[0]
        self.baseline = self._backends()
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        self.sampler.start()

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.sampler.join()
        self.seen.update(self._backends())
        used = {part: tree(pids) - self.before[part] for part, pids in self.parts.items()}
        used["database"] = sum(cpu - self.baseline.get(pid, 0.0) for pid, cpu in self.seen.items())
        used["machine"] = machine() - self.machine
        used["load_average_before"] = self.load_average
        used["load_average_after"] = os.getloadavg()[0]
        return used
