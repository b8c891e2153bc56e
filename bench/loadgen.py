"""Drive N concurrent virtual users for a fixed time: wrk (preferred) or an asyncio client.

Either way the generator's own CPU time is measured, so a saturated client is reported
instead of being mistaken for a slow server.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_users.lua"
# Sync gunicorn workers queue requests in the listen backlog: at 50 users a slow page
# waits for seconds, and wrk's 2 s default would count it as a timeout, not a latency.
REQUEST_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class VirtualUser:
    """One logged-in user: the headers it sends and the requests it cycles through."""

    method: str
    headers: dict[str, str]
    requests: list[tuple[str, str | None]]  # (path, body)
    add_seq: bool = False  # POST bodies get an increasing "&seq=" (autosave ordering)


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: dict[str, int] = field(default_factory=dict)
    client_cpu_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def client_cpu_share(self) -> float:
        """The generator's CPU time over the run's wall time (1.0 = one core busy)."""
        return self.client_cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def pick_generator(requested: str) -> str:
    if requested == "auto":
        return "wrk" if shutil.which("wrk") else "aiohttp"
    if requested == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk), or use --client aiohttp")
    return requested


def run_load(generator: str, base_url: str, users: list[VirtualUser], seconds: float) -> LoadResult:
    # Microseconds since the epoch: every run starts above the previous run's last seq.
    seq_base = int(time.time() * 1_000_000)
    if generator == "wrk":
        return _run_wrk(base_url, users, seconds, seq_base)
    return _run_aiohttp(base_url, users, seconds, seq_base)


def _lua_string(text: str) -> str:
    if not text.isascii():
        raise ValueError(f"non-ASCII text in a request: {text!r}")
    return json.dumps(text)  # an ASCII JSON string is a valid Lua string literal


def _lua_users(users: list[VirtualUser]) -> str:
    entries = []
    for user in users:
        headers = ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in user.headers.items()
        )
        requests = ", ".join(
            f"{{{_lua_string(path)}, {'nil' if body is None else _lua_string(body)}}}"
            for path, body in user.requests
        )
        entries.append(
            f"{{method = {_lua_string(user.method)}, add_seq = {str(user.add_seq).lower()}, "
            f"headers = {{{headers}}}, requests = {{{requests}}}}}"
        )
    return "return {\n  " + ",\n  ".join(entries) + "\n}\n"


def _run_wrk(base_url: str, users: list[VirtualUser], seconds: float, seq_base: int) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        data = Path(folder) / "users.lua"
        data.write_text(_lua_users(users))
        output = Path(folder) / "out.txt"
        count = len(users)
        command = [
            "wrk", f"-t{count}", f"-c{count}", f"-d{max(1, round(seconds))}s",
            f"--timeout={REQUEST_TIMEOUT_SECONDS}s", "-s", str(WRK_SCRIPT), base_url,
            "--", str(data), str(seq_base),
        ]  # fmt: skip
        with output.open("w") as sink:
            process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
            # wait4 gives this child's own CPU time, whatever else this process runs.
            _pid, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        text = output.read_text()
    match = re.search(r"WRK_RESULT (.*)", text)
    if process.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed (exit {process.returncode}):\n{text}")
    values = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}
    return LoadResult(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        errors={
            k: values[k] for k in ("connect", "read", "write", "status", "timeout") if values[k]
        },
        client_cpu_seconds=usage.ru_utime + usage.ru_stime,
    )


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(percent / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


def _run_aiohttp(
    base_url: str, users: list[VirtualUser], seconds: float, seq_base: int
) -> LoadResult:
    before = resource.getrusage(resource.RUSAGE_SELF)
    latencies, errors, elapsed = asyncio.run(_drive(base_url, users, seconds, seq_base))
    after = resource.getrusage(resource.RUSAGE_SELF)
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=_percentile(latencies, 50),
        p95_ms=_percentile(latencies, 95),
        p99_ms=_percentile(latencies, 99),
        errors=errors,
        client_cpu_seconds=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    )


async def _drive(
    base_url: str, users: list[VirtualUser], seconds: float, seq_base: int
) -> tuple[list[float], dict[str, int], float]:
    import aiohttp

    latencies: list[float] = []
    errors: dict[str, int] = {}
    started = time.perf_counter()
    deadline = started + seconds
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    # Keep-alive where the server allows it (gunicorn's sync workers close after each response).
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(
        base_url, connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:

        async def one_user(user: VirtualUser) -> None:
            sequence = seq_base  # each user saves into its own attempt
            index = 0
            while time.perf_counter() < deadline:
                path, body = user.requests[index % len(user.requests)]
                index += 1
                if user.add_seq:
                    sequence += 1
                    body = f"{body}&seq={sequence}"
                sent = time.perf_counter()
                try:
                    async with session.request(
                        user.method, path, data=body, headers=user.headers, allow_redirects=False
                    ) as response:
                        await response.read()
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    errors["connect"] = errors.get("connect", 0) + 1
                    continue
                if status >= 400:
                    errors["status"] = errors.get("status", 0) + 1
                latencies.append((time.perf_counter() - sent) * 1000)

        await asyncio.gather(*(one_user(user) for user in users))
    return latencies, errors, time.perf_counter() - started
