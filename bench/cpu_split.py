"""Where a load run's CPU goes: the web server, PostgreSQL, the load generator, the rest.

A latency target missed on a saturated machine is a question of CPU per request. This
samples, once a second, the CPU time used so far by each group of processes:

- web: the gunicorn master and its workers (the process tree of the bench's server);
- postgres: every PostgreSQL process, with the time of backends that already exited
  (the postmaster's reaped children), since backends come and go;
- locust: every process whose command line names locust;
- other: the rest of the machine (from /proc/stat), e.g. Redis, this process, the kernel.

`cores(t0, t1)` then says how many cores each group used between two moments of the run
(Unix times, as locust's stats history writes them).
"""

import contextlib
import threading
import time
from dataclasses import dataclass, field

import psutil

GROUPS = ("web", "postgres", "locust", "other")


def _tree_seconds(root: psutil.Process) -> float:
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:  # a worker exited between listing and reading
            continue
        total += times.user + times.system
    return total


def _group_seconds(web_pid: int) -> dict[str, float]:
    seconds = dict.fromkeys(GROUPS, 0.0)
    with contextlib.suppress(psutil.Error):  # the server stopped
        seconds["web"] = _tree_seconds(psutil.Process(web_pid))
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            name = process.info["name"] or ""
            command = " ".join(process.info["cmdline"] or [])
            if name.startswith("postgres") or command.startswith("postgres"):
                times = process.cpu_times()
                # The postmaster's children_* hold the backends that have exited.
                seconds["postgres"] += (
                    times.user + times.system + times.children_user + times.children_system
                )
            elif "locust" in command and "cpu_split" not in command:
                times = process.cpu_times()
                seconds["locust"] += times.user + times.system
        except psutil.Error:
            continue
    busy = psutil.cpu_times()
    machine = busy.user + busy.nice + busy.system + busy.irq + busy.softirq + busy.steal
    seconds["other"] = machine - seconds["web"] - seconds["postgres"] - seconds["locust"]
    return seconds


@dataclass
class CpuSampler:
    """Samples every `interval` seconds in a thread while used as a context manager."""

    web_pid: int
    interval: float = 1.0
    samples: list[tuple[float, dict[str, float]]] = field(default_factory=list)

    def __enter__(self) -> "CpuSampler":
        self._stop = threading.Event()
        self._sample()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        self.samples.append((time.time(), _group_seconds(self.web_pid)))

    def _at(self, moment: float) -> tuple[float, dict[str, float]]:
        """The sample nearest `moment`."""
        return min(self.samples, key=lambda sample: abs(sample[0] - moment))

    def cores(self, t0: float, t1: float) -> dict[str, float]:
        """Cores used by each group between two moments (nearest samples)."""
        (a, before), (b, after) = self._at(t0), self._at(t1)
        if b <= a:
            return dict.fromkeys(GROUPS, 0.0)
        return {group: max(0.0, (after[group] - before[group]) / (b - a)) for group in GROUPS}


def describe(cores: dict[str, float]) -> str:
    """'web 1.31, PostgreSQL 0.30, locust 0.14, other 0.05 (1.80 of 2 cores)'."""
    names = {"web": "web", "postgres": "PostgreSQL", "locust": "locust", "other": "other"}
    parts = ", ".join(f"{names[g]} {cores[g]:.2f}" for g in GROUPS)
    return f"{parts} ({sum(cores.values()):.2f} of {psutil.cpu_count()} cores)"
