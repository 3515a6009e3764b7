"""The container image and compose file (issue 16, 1), built from the project's Dockerfile and run
with Debian's podman (``container_support`` says how the sandbox differs from a Docker host):
a non-root user, the data in the volume, the health check, a volume that survives a restart, and
compose's one ``legday serve`` and one ``legday sync`` sharing it."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from tests.conftest import SAMPLE_DATA, need
from tests.container_support import (
    IMAGE,
    base_image,
    build,
    compose,
    environment,
    image_size_mb,
    podman,
    tools_or_skip,
    wait_for,
    wait_healthy,
)
from tests.serve_support import free_port
from tests.store_fixtures import postgres_schema

pytestmark = [pytest.mark.slow, pytest.mark.container]
FILES = sorted((SAMPLE_DATA / "athlete").glob("*.fit"))[:3]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    tools_or_skip()
    workdir = tmp_path_factory.mktemp("container")
    env = environment(workdir)
    base_image(env, workdir)
    build(env)
    print(f"\nimage {IMAGE}: {image_size_mb(env):.0f} MB")
    yield env


@pytest.fixture
def names(env: dict[str, str]) -> Iterator[list[str]]:
    """Containers and volumes a test makes, removed after it (by name)."""
    made: list[str] = []
    yield made
    for name in made:
        podman(env, "rm", "-f", "-t", "5", name, check=False)
    for name in made:
        podman(env, "volume", "rm", "-f", name, check=False)


def run_serve(env: dict[str, str], names: list[str], volume: str, port: int) -> str:
    name = f"legday-test-{uuid.uuid4().hex[:8]}"
    names.append(name)
    podman(env, "run", "-d", "--name", name, "--init", "-v", f"{volume}:/var/lib/legday",
           "-p", f"127.0.0.1:{port}:8000", IMAGE)  # fmt: skip
    wait_healthy(f"http://127.0.0.1:{port}")
    return name


def test_the_image_is_small_enough_and_runs_as_a_non_root_user(env: dict[str, str]) -> None:
    size = image_size_mb(env)
    assert size < 450, f"{size:.0f} MB"  # 362 MB when written: Debian slim 77 + python 45 + 240
    config = podman(env, "image", "inspect", "--format",
                    "{{.Config.User}} {{.Config.Entrypoint}} {{.Config.Cmd}}", IMAGE)  # fmt: skip
    assert config.split() == ["legday", "[legday]", "[serve]"]
    out = podman(env, "run", "--rm", "--entrypoint", "id", IMAGE)
    assert out.startswith("uid=10001(legday) gid=10001(legday)")
    out = podman(env, "run", "--rm", IMAGE, "--version")
    assert out.strip() == "legday 0.1.0"


def test_the_server_answers_healthz_and_the_health_check_passes(
    env: dict[str, str], names: list[str]
) -> None:
    volume = f"legday-test-{uuid.uuid4().hex[:8]}"
    names.append(volume)
    port = free_port()
    name = run_serve(env, names, volume, port)
    assert httpx2.get(f"http://127.0.0.1:{port}/healthz").json() == {"status": "ok"}
    podman(env, "healthcheck", "run", name)  # the image's HEALTHCHECK, inside the container
    listing = podman(env, "exec", name, "ls", "-ln", "/var/lib/legday")
    owners = {line.split()[2] for line in listing.splitlines()[1:]}
    assert owners == {"10001"} and "legday.db" in listing and "admin_token" in listing
    info = podman(env, "exec", name, "legday", "info")
    assert "/var/lib/legday  (from LEGDAY_DATA_DIR)" in info and "(latest)" in info


def test_the_data_volume_survives_a_restart_and_a_new_container(
    env: dict[str, str], names: list[str]
) -> None:
    volume = f"legday-test-{uuid.uuid4().hex[:8]}"
    names.append(volume)
    port = free_port()
    name = run_serve(env, names, volume, port)
    token = podman(env, "exec", name, "legday", "athletes", "create", "Ana").split()[-1]
    auth = {"Authorization": f"Bearer {token}"}
    url = f"http://127.0.0.1:{port}"
    for path in FILES:
        r = httpx2.post(f"{url}/v1/activities", files={"file": (path.name, path.read_bytes())},
                        headers=auth, timeout=60)  # fmt: skip
        assert r.status_code == 201, r.text
    podman(env, "restart", "-t", "10", name)
    wait_healthy(url)
    assert len(httpx2.get(f"{url}/v1/activities", headers=auth).json()["activities"]) == 3
    podman(env, "rm", "-f", "-t", "10", name)
    run_serve(env, names, volume, port)  # a new container (an upgraded image), the same volume
    assert len(httpx2.get(f"{url}/v1/activities", headers=auth).json()["activities"]) == 3


@pytest.mark.postgres
def test_the_image_talks_to_postgresql(env: dict[str, str], postgres_url: str) -> None:
    """The image carries the PostgreSQL driver (compose.postgres.yaml): here the host's server,
    through the host's network, in a schema of its own."""
    with postgres_schema(postgres_url) as url:
        run = ("run", "--rm", "--network", "host", "-e", f"LEGDAY_DATABASE_URL={url}", IMAGE)
        podman(env, *run, "athletes", "create", "Ana")
        info = podman(env, *run, "info")
    assert "postgresql+psycopg://postgres@127.0.0.1:5432/" in info and "1 athletes" in info


def test_compose_runs_one_serve_and_one_sync_service_on_one_volume(
    env: dict[str, str], tmp_path: Path
) -> None:
    need(shutil.which("podman-compose") is not None, "podman-compose is not installed")
    watch = tmp_path / "watch"
    watch.mkdir()
    for path in FILES:
        shutil.copy(path, watch / path.name)
        (watch / path.name).chmod(0o644)
    watch.chmod(0o755)  # read by the container's legday user, through a read-only mount
    port = free_port()
    project = f"legdaytest{uuid.uuid4().hex[:8]}"
    config = tmp_path / "sync.toml"
    config.write_text('settle = "0s"\n[[folders]]\npath = "/watch"\nathlete = "Ana"\n')
    config.chmod(0o644)
    env = env | {
        "LEGDAY_PORT": str(port),
        "LEGDAY_WATCH_DIR": str(watch),
        "LEGDAY_SYNC_CONFIG": str(config),
    }
    url = f"http://127.0.0.1:{port}"
    try:
        compose(env, project, "up", "-d", "serve")
        wait_healthy(url)
        serve = f"{project}_serve_1"
        token = podman(env, "exec", serve, "legday", "athletes", "create", "Ana").split()[-1]
        auth = {"Authorization": f"Bearer {token}"}
        compose(env, project, "up", "-d", "sync")  # named: started although in a profile

        def synced() -> bool:
            r = httpx2.get(f"{url}/v1/activities", headers=auth)
            return r.status_code == 200 and len(r.json()["activities"]) == len(FILES)

        wait_for(synced, 120, "the sync service to ingest the watch folder")
        logs = podman(env, "logs", f"{project}_sync_1", stderr=True)
        assert f"INFO legday.sync: sync /watch for 'Ana': ok, {len(FILES)} ingested" in logs, logs
        top = podman(env, "exec", serve, "legday", "sync", "--status")
        assert "/watch" in top and "sync folders of Ana" in top
        for service in ("sync", "serve"):  # the containers go, the volume stays
            podman(env, "rm", "-f", "-t", "10", f"{project}_{service}_1")
        compose(env, project, "up", "-d", "serve")
        wait_healthy(url)
        assert synced()
    finally:
        for service in ("sync", "serve"):
            podman(env, "rm", "-f", "-t", "5", f"{project}_{service}_1", check=False)
        podman(env, "volume", "rm", "-f", f"{project}_data", check=False)
        podman(env, "network", "rm", "-f", f"{project}_default", check=False)
