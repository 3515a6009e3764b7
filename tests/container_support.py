"""Building and running the project's Dockerfile here, with Debian's podman (no Docker engine on
these machines, and no registry to pull a base image from).

- The base image is made with Debian's debootstrap (``--variant=minbase bookworm``, trimmed as
  Debian's ``-slim`` images are: no apt caches, docs, man pages or locales) and imported as
  ``localhost/legday-test-base:bookworm``; the Dockerfile's ``BASE`` build argument points at it.
  Made once and kept in podman's storage.
- The sandbox differs from a normal Docker or podman host in three ways, each set here and only
  here (``CONTAINERS_CONF``): crun refuses its hybrid cgroup layout, so runc runs the containers;
  it cannot raise resource limits (no CAP_SYS_RESOURCE), so podman's default ulimits are off; and
  PyPI is reached through a proxy with its own CA, so the build mounts the host's CA bundle and
  passes it as ``PIP_CERT`` (a build argument the Dockerfile documents for proxies).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx2

from tests.conftest import ROOT, need

BASE = "localhost/legday-test-base:bookworm"
IMAGE = "localhost/legday:latest"  # compose.yaml's image name
MIRROR = os.environ.get("LEGDAY_DEBIAN_MIRROR", "http://deb.debian.org/debian")
CONTAINERS_CONF = """\
[containers]
default_ulimits = []
[engine]
runtime = "runc"
"""
SLIM = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
"""


def tools_or_skip() -> None:
    for tool in ("podman", "runc", "debootstrap"):
        need(shutil.which(tool) is not None, f"{tool} is not installed (apt-get install {tool})")
    need(os.geteuid() == 0, "building a base image with debootstrap needs root")


def environment(workdir: Path) -> dict[str, str]:
    conf = workdir / "containers.conf"
    conf.write_text(CONTAINERS_CONF)
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


def podman(
    env: dict[str, str], *args: str, check: bool = True, timeout: float = 600, stderr: bool = False
) -> str:
    """``podman ARGS``' output (with its stderr too: ``podman logs`` puts the container's
    stderr, where legday logs, there)."""
    result = subprocess.run(
        ["podman", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: {result.returncode}\n{result.stderr}")
    return result.stdout + (result.stderr if stderr else "")


def base_image(env: dict[str, str], workdir: Path) -> None:
    """debootstrap a Debian bookworm minbase, trimmed like debian:bookworm-slim, as BASE."""
    if _exists(env, BASE):
        return
    root = workdir / "rootfs"
    subprocess.run(
        ["debootstrap", "--variant=minbase", "bookworm", str(root), MIRROR],
        check=True,
        capture_output=True,
        timeout=1200,
    )
    for pattern in ("var/cache/apt/archives/*.deb", "var/lib/apt/lists/*", "usr/share/doc/*",
                    "usr/share/man/*", "usr/share/info/*", "usr/share/locale/*"):  # fmt: skip
        for path in root.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    (root / "etc/dpkg/dpkg.cfg.d").mkdir(parents=True, exist_ok=True)
    (root / "etc/dpkg/dpkg.cfg.d/slim").write_text(SLIM)
    archive = workdir / "rootfs.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(root, arcname=".")
    podman(env, "import", str(archive), BASE)
    shutil.rmtree(root)
    archive.unlink()


def _exists(env: dict[str, str], image: str) -> bool:
    return subprocess.run(["podman", "image", "exists", image], env=env).returncode == 0


def build(env: dict[str, str]) -> None:
    podman(
        env,
        "build", "--format", "docker", "--tag", IMAGE,
        "--build-arg", f"BASE={BASE}",
        "--volume", "/etc/ssl/certs:/run/host-certs:ro",
        "--build-arg", "PIP_CERT=/run/host-certs/ca-certificates.crt",
        str(ROOT),
        timeout=1800,
    )  # fmt: skip


def image_size_mb(env: dict[str, str], image: str = IMAGE) -> float:
    return int(podman(env, "image", "inspect", "--format", "{{.Size}}", image)) / 1e6


def wait_healthy(url: str, timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx2.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url}/healthz did not answer in {timeout_s} s")
        time.sleep(0.5)


def wait_for(predicate: object, timeout_s: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s} s for {what}")
        time.sleep(0.5)


def compose(env: dict[str, str], project: str, *args: str, timeout: float = 600) -> str:
    command: Sequence[str] = ["podman-compose", "-p", project, "-f", str(ROOT / "compose.yaml")]
    result = subprocess.run(
        [*command, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(f"podman-compose {' '.join(args)}:\n{result.stdout}{result.stderr}")
    return result.stdout
