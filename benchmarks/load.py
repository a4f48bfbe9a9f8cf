"""Many concurrent clients against a running server: throughput, p50/p99, errors, server CPU.

Run: .venv/bin/python benchmarks/load.py [--database-url URL] [--workers N] [--clients 50]

The script builds the demo (`mentorship demo`) in its own data folder, serves it with
`mentorship serve` on 127.0.0.1 and, beside it, a bare Litestar route served by uvicorn with
the same number of workers (the floor). Then, route by route, it sends a bounded number of
requests from `--clients` concurrent clients and prints one line per route: requests per
second, median and 99th-percentile latency, non-200 answers, and the server's CPU time per
request, read from /proc for the server process and its workers (user + system).

Routes: the notes read (the mentor's `GET /api/v1/cases/{id}/notes` on their case with the
most notes), the case page (the coordinator's `GET /cases/{id}`), the match board
(`/matching/`), the queue (`/queue/`) and the bare route. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    """One route's figures."""

    route: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: Counter[str]
    cpu_seconds: float

    def line(self) -> str:
        """The route's figures as one table row."""
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        return (
            f"| {self.route} | {self.requests / self.seconds:.0f} | {p50:.0f} | {p99:.0f}"
            f" | {p99 / p50:.1f} | {self.error_words()}"
            f" | {self.cpu_seconds / self.requests * 1000:.1f} |"
        )

    def error_words(self) -> str:
        """How many requests failed, and how (status codes, client errors)."""
        total = sum(self.errors.values())
        kinds = ", ".join(f"{kind} × {count}" for kind, count in self.errors.most_common())
        return f"{total} ({kinds})" if total else "0"


def process_tree(pid: int) -> list[int]:
    """The process and every descendant (uvicorn's workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        for child in children:
            found.extend(process_tree(int(child)))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by the process tree."""
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A server process, its output kept out of the report."""
    # Our own interpreter and fixed arguments: nothing here comes from outside.
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603


async def wait_up(url: str) -> None:
    """Poll until the server answers (at most a minute)."""
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                await client.get(url)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


async def sign_in(base: str, email: str, password: str) -> httpx.Cookies:
    """A session cookie for one demo account."""
    async with httpx.AsyncClient(base_url=base) as client:
        answer = await client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        answer.raise_for_status()
        return answer.cookies


class Connection:
    """One keep-alive HTTP/1.1 connection sending the same GET again and again.

    A few lines of asyncio rather than an HTTP library: httpx spends about 6 ms of CPU on each
    request, twice what the server spends on the notes read, so with it the client, not the
    server, set the pace and the latencies (its own queueing showed as the server's p99).
    """

    def __init__(self, host: str, port: int, request: bytes) -> None:
        self.host, self.port, self.request = host, port, request
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self) -> int:
        """Send the request and read the whole answer; its status code."""
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        fields = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(b":") for line in head.split(b"\r\n")[1:])
        }
        if b"content-length" in fields:
            await self.reader.readexactly(int(fields[b"content-length"]))
        elif fields.get(b"transfer-encoding") == b"chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if fields.get(b"connection") == b"close":
            self.close()
        return status

    def close(self) -> None:
        """Drop the connection (the next request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def request_bytes(base: str, path: str, cookies: httpx.Cookies | None) -> bytes:
    """The GET as sent on the wire, with the session cookie when there is one."""
    host = base.removeprefix("http://")
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Accept: */*"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{c.name}={c.value}" for c in cookies.jar))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def hammer(
    base: str, path: str, cookies: httpx.Cookies | None, clients: int, total: int, pid: int
) -> Result:
    """`total` GETs of `path` from `clients` concurrent clients (one connection each), after
    a short warm-up."""
    host, port = base.removeprefix("http://").split(":")
    request = request_bytes(base, path, cookies)
    connections = [Connection(host, int(port), request) for _ in range(clients)]
    for _ in range(min(20, total)):
        await connections[0].get()
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    remaining = total

    async def one_client(connection: Connection) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            began = time.perf_counter()
            try:
                status = await connection.get()
                if status != 200:
                    errors[str(status)] += 1
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors[type(exc).__name__] += 1
                connection.close()
            latencies.append(time.perf_counter() - began)

    cpu_before = cpu_seconds(pid)
    began = time.perf_counter()
    await asyncio.gather(*(one_client(connection) for connection in connections))
    seconds = time.perf_counter() - began
    cpu = cpu_seconds(pid) - cpu_before
    for connection in connections:
        connection.close()
    return Result(path, total, seconds, latencies, errors, cpu)


async def measure(args: argparse.Namespace, env: dict[str, str], pids: dict[str, int]) -> None:
    """Sign in, pick the case, then load each route in turn and print the table."""
    base = f"http://127.0.0.1:{args.port}"
    bare = f"http://127.0.0.1:{args.port + 1}"
    await wait_up(base + "/health")
    await wait_up(bare + "/bare")
    logins = json.loads((Path(env["MENTORSHIP_DATA_DIR"]) / "demo-logins.json").read_text())
    coordinator = await sign_in(
        base, "coordinator@demo.example.org", logins["coordinator@demo.example.org"]
    )
    mentor = await sign_in(base, "mentor@demo.example.org", logins["mentor@demo.example.org"])
    async with httpx.AsyncClient(base_url=base, cookies=mentor) as client:
        mine = (await client.get("/api/v1/cases/mine")).json()
    case = max((c for c in mine if c["your_relation"] == "mentor"), key=lambda c: c["note_count"])
    print(
        f"case {case['id']}: {case['note_count']} notes; {args.clients} clients,"
        f" {args.requests} requests per route, {args.workers} worker(s)"
    )
    print("| route | req/s | p50 ms | p99 ms | p99/p50 | errors | server CPU ms/req |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    routes = [
        ("notes", base, f"/api/v1/cases/{case['id']}/notes", mentor),
        ("case", base, f"/cases/{case['id']}", coordinator),
        ("board", base, "/matching/", coordinator),
        ("queue", base, "/queue/", coordinator),
        ("bare", bare, "/bare", None),
    ]
    for name, url, path, cookies in routes:
        if args.only and name not in args.only:
            continue
        pid = pids["bare" if name == "bare" else "app"]
        result = await hammer(url, path, cookies, args.clients, args.requests, pid)
        print(result.line(), flush=True)


def parse() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: SQLite in the data folder")
    parser.add_argument("--data-dir", default="", help="default: a new temporary folder")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000, help="per route")
    parser.add_argument("--port", type=int, default=8765, help="the bare route uses port + 1")
    parser.add_argument("--only", nargs="*", help="route names to run (default: all)")
    return parser.parse_args()


def main() -> None:
    """Build the demo, start both servers, measure, stop the servers."""
    args = parse()
    env = {
        **os.environ,
        "MENTORSHIP_DATA_DIR": args.data_dir or tempfile.mkdtemp(prefix="mentorship-load-"),
        "MENTORSHIP_ENV": "development",
        "MENTORSHIP_LOG_LEVEL": "WARNING",
    }
    env.pop("MENTORSHIP_DATABASE_URL", None)
    if args.database_url:
        env["MENTORSHIP_DATABASE_URL"] = args.database_url
    python = [sys.executable, "-m"]
    subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [*python, "mentorship", "demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    workers = ["--workers", str(args.workers)]
    app = start([*python, "mentorship", "serve", "--port", str(args.port), *workers], env)
    quiet = ["--no-access-log", "--log-level", "warning"]
    bare_app = [*python, "uvicorn", "benchmarks._bare_app:app", "--port", str(args.port + 1)]
    bare = start([*bare_app, *workers, *quiet], env)
    try:
        asyncio.run(measure(args, env, {"app": app.pid, "bare": bare.pid}))
    finally:
        for server in (app, bare):
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
