"""Load test of the HTTP API: a real server (subprocess) and an asyncio client.

Measures (a) sequential single-spectrum classification (latency p50/p99), (b) 50
concurrent clients for ~10 s (requests/s, p50/p99, errors) and (c) 1,000-spectrum batch
POSTs (spectra/s, median of 20). The server and the client share this machine's cores,
so the client is a lean raw HTTP/1.1 keep-alive client (``--client raw``, default);
``--client httpx`` uses httpx instead, to compare.

Run::

    ASTEROID_SPECTRA_MIRROR=../shared/data python benchmarks/load_api.py [--workers 2]

Targets: (a) p50 <= 5 ms; (b) >= 500 requests/s, p99 <= 200 ms, 0 errors;
(c) >= 20,000 spectra/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import numpy as np
import orjson

Post = Callable[[bytes], Awaitable[tuple[int, bytes]]]


# --- spectra -----------------------------------------------------------------------------
def make_spectra(count: int, seed: int = 0, points: int = 120) -> list[dict[str, object]]:
    """Visible spectra 440-920 nm (S-, C- and X-like shapes with 1 % noise), in nm."""
    rng = np.random.default_rng(seed)
    wavelength = np.linspace(440.0, 920.0, points)
    micron = wavelength / 1000
    spectra = []
    for i in range(count):
        slope = rng.uniform(-0.2, 1.2)
        band = rng.uniform(0.0, 1.5) * np.clip(micron - 0.75, 0, None) ** 1.5
        values = 1 + slope * (micron - 0.55) - band
        values = values * (1 + rng.normal(0, 0.01, points))
        spectra.append(
            {
                "name": f"synthetic-{i}",
                "unit": "nm",
                "wavelength": np.round(wavelength, 2).tolist(),
                "reflectance": np.round(values / values[np.argmin(abs(micron - 0.55))], 5).tolist(),
            }
        )
    return spectra


# --- the server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int, cache: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, ASTEROID_SPECTRA_CACHE=cache)
    exe = Path(sys.executable).with_name("asteroid-spectra")  # the venv's console script
    if not exe.exists():
        raise SystemExit(f"asteroid-spectra is not installed beside {sys.executable}")
    command = [str(exe), "serve"]
    command += ["--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer /healthz within {timeout:.0f} s")


# --- clients -------------------------------------------------------------------------------
class RawClient:
    """One HTTP/1.1 keep-alive connection; POST JSON, read a Content-Length response."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """POST `body` to /v1/classify; return the status and the response body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = (
            "POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    async def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()


class HttpxClient:
    """The same interface over httpx (heavier per request: for comparison)."""

    def __init__(self, port: int) -> None:
        import httpx

        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60)

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """POST `body` to /v1/classify; return the status and the response body."""
        response = await self.client.post(
            "/v1/classify", content=body, headers={"content-type": "application/json"}
        )
        return response.status_code, response.content

    async def close(self) -> None:
        """Close the client."""
        await self.client.aclose()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


# --- scenarios -----------------------------------------------------------------------------
async def sequential(client: RawClient | HttpxClient, bodies: list[bytes], n: int) -> dict:
    latencies = []
    errors = 0
    for i in range(n):
        start = time.perf_counter()
        status, _ = await client.post(bodies[i % len(bodies)])
        latencies.append(time.perf_counter() - start)
        errors += status != 200
    return {
        "p50_ms": percentile(latencies, 50) * 1e3,
        "p99_ms": percentile(latencies, 99) * 1e3,
        "errors": errors,
    }


async def concurrent(
    factory: Callable[[], RawClient | HttpxClient],
    bodies: list[bytes],
    clients: int,
    seconds: float,
) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def run(index: int) -> None:
        nonlocal errors
        client = factory()
        i = index
        try:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                try:
                    status, _ = await client.post(bodies[i % len(bodies)])
                except Exception:
                    errors += 1
                    client = factory()
                    continue
                latencies.append(time.perf_counter() - start)
                errors += status != 200
                i += clients
        finally:
            await client.close()

    began = time.perf_counter()
    await asyncio.gather(*(run(i) for i in range(clients)))
    elapsed = time.perf_counter() - began
    return {
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1e3,
        "p99_ms": percentile(latencies, 99) * 1e3,
        "errors": errors,
        "requests": len(latencies),
    }


async def batches(client: RawClient | HttpxClient, body: bytes, size: int, repeats: int) -> dict:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        status, content = await client.post(body)
        elapsed = time.perf_counter() - start
        if status != 200 or len(orjson.loads(content)["results"]) != size:
            raise SystemExit(f"batch request failed: {status} {content[:300]!r}")
        rates.append(size / elapsed)
    return {
        "spectra_per_s": statistics.median(rates),
        "median_ms": size / statistics.median(rates) * 1e3,
        "body_mb": len(body) / 1e6,
    }


async def main_async(args: argparse.Namespace, port: int) -> None:
    def factory() -> RawClient | HttpxClient:
        return RawClient(port) if args.client == "raw" else HttpxClient(port)

    singles = [orjson.dumps(s) for s in make_spectra(64, seed=1)]
    batch_body = orjson.dumps({"spectra": make_spectra(args.batch_size, seed=2)})
    client = factory()
    await sequential(client, singles, 50)  # warm-up
    a = await sequential(client, singles, args.requests)
    c = await batches(client, batch_body, args.batch_size, args.repeats)
    await client.close()
    b = await concurrent(factory, singles, args.clients, args.seconds)
    rows = [
        (
            "(a) sequential, 1 spectrum",
            f"p50 {a['p50_ms']:.2f} ms",
            f"p99 {a['p99_ms']:.2f} ms",
            f"errors {a['errors']}",
            "p50 <= 5 ms",
        ),
        (
            f"(b) {args.clients} concurrent clients",
            f"{b['requests_per_s']:.0f} req/s",
            f"p50 {b['p50_ms']:.1f} ms, p99 {b['p99_ms']:.1f} ms",
            f"errors {b['errors']}",
            ">= 500 req/s, p99 <= 200 ms",
        ),
        (
            f"(c) batch of {args.batch_size}",
            f"{c['spectra_per_s']:.0f} spectra/s",
            f"median {c['median_ms']:.0f} ms/request",
            f"body {c['body_mb']:.2f} MB",
            ">= 20,000 spectra/s",
        ),
    ]
    print(f"\nserver: {args.workers} worker(s); client: {args.client}; {os.cpu_count()} cores")
    print(f"{'scenario':<30} {'rate':<18} {'latency':<30} {'other':<16} target")
    for row in rows:
        print(f"{row[0]:<30} {row[1]:<18} {row[2]:<30} {row[3]:<16} {row[4]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--requests", type=int, default=500, help="sequential requests")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="concurrent run length")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=20, help="batch requests")
    parser.add_argument("--port", type=int, default=0, help="use a running server on this port")
    args = parser.parse_args()
    try:
        import uvloop

        run = uvloop.run
    except ImportError:
        run = asyncio.run
    if args.port:
        run(main_async(args, args.port))
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as cache:
        cache = os.environ.get("ASTEROID_SPECTRA_CACHE", cache)
        server = start_server(port, args.workers, cache)
        try:
            wait_ready(port, server)
            run(main_async(args, port))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
