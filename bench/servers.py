"""Start and stop gunicorn servers; read their workers' memory and CPU time from /proc."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may contain spaces; the fields after it start with the state.
    return text[text.rindex(")") + 2 :].split()


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            # utime and stime are fields 14 and 15 of /proc/<pid>/stat.
            total += int(fields[11]) + int(fields[12])
    return total / TICKS_PER_SECOND


def wait_idle(pids: list[int], *, quiet_seconds: float = 0.5, timeout: float = 60) -> bool:
    """Wait until the processes use no CPU for `quiet_seconds`; False if they never settle.

    When a load run ends, the requests still queued in gunicorn's listen backlog keep the
    sync workers busy for seconds (50 queued progress pages: ~3 s); the next run must not
    wait behind them or share the CPU with them.
    """
    deadline = time.monotonic() + timeout
    last = cpu_seconds(pids)
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        used = cpu_seconds(pids)
        if used != last:
            last, quiet_since = used, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_seconds:
            return True
    return False


def postgres_backends(database: str) -> list[int]:
    """This machine's PostgreSQL backends connected to `database` (none if remote).

    A backend's title reads "postgres: 15/main: <user> <database> <client> <state>";
    other databases on the server (other people's runs) are left out.
    """
    pids = []
    for pid in _all_pids():
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                continue
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        if f" {database} " in title:
            pids.append(pid)
    return pids


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Gunicorn:
    """A gunicorn server with sync workers on 127.0.0.1, logging to a file."""

    def __init__(self, name: str, app: str, *, env: dict[str, str], cwd: Path, log_dir: Path):
        self.name = name
        self.app = app
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{name}.log"
        self._env = env
        self._cwd = cwd
        self._process: subprocess.Popen | None = None

    def start(self, workers: int = 2) -> None:
        command = [
            sys.executable, "-m", "gunicorn", self.app,
            "--workers", str(workers), "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning",
        ]  # fmt: skip
        log = self.log_path.open("w")
        self._process = subprocess.Popen(
            command, cwd=self._cwd, env=self._env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited:\n{self.log_tail()}")
            if len(self.worker_pids()) >= workers and self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} server did not start in 30 s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
        except OSError:
            return False
        return True

    def worker_pids(self) -> list[int]:
        if self._process is None:
            return []
        master = str(self._process.pid)
        return [pid for pid in _all_pids() if (_stat_fields(pid) or ["", ""])[1] == master]

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGTERM)  # graceful: workers finish, then exit
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
