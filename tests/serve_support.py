"""A real ``legday serve`` subprocess on a free port, with its data dir in tmp_path."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen[str]
    log: Path

    def admin_token(self) -> str:
        return (self.data_dir / "admin_token").read_text().strip()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def legday_serve(
    tmp_path: Path,
    *,
    timeout_s: float = 60.0,
    env: dict[str, str] | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Start ``legday serve --port <free>`` and wait for /healthz; stop it (by its pid) after.
    ``env`` (or ``extra_env``): more ``LEGDAY_*`` settings for it (sync folders, say)."""
    port = free_port()
    data_dir = tmp_path / "legday-data"
    log = tmp_path / "serve.log"
    extra = {**(env or {}), **(extra_env or {})}
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env |= {"LEGDAY_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra}
    legday = Path(sys.executable).with_name("legday")
    command = [str(legday)] if legday.exists() else [sys.executable, "-m", "api"]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, log)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"legday serve exited {process.returncode}:\n{server.output()}")
            try:
                if httpx2.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"legday serve did not answer in {timeout_s} s:\n{server.output()}"
                )
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
