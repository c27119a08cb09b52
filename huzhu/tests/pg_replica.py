"""A real PostgreSQL primary and its streaming replica, made for one test in a scratch folder.

The machine's own cluster allows no replication connections, so the test builds its own
pair with the same PostgreSQL binaries: `initdb` a primary on a free loopback port,
`pg_basebackup --write-recovery-conf` a replica from it, and start both. PostgreSQL refuses
to run as root, so as root every command runs as the `postgres` account.
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg


def postgres_bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Pair:
    primary_url: str
    replica_url: str


class _Runner:
    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.as_postgres = os.geteuid() == 0

    def __call__(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.root)

    def own(self) -> None:
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")


def _configure_primary(data: Path, port: int) -> None:
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{data}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
            "shared_buffers = 32MB\n"
        )
    with (data / "pg_hba.conf").open("w", encoding="utf-8") as hba:
        hba.write(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
            "host replication all 127.0.0.1/32 trust\n"
        )


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def primary_and_replica(root: Path) -> Iterator[Pair]:
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server binaries (initdb, pg_basebackup) are missing")
    run = _Runner(bindir, root)
    run.own()
    primary, replica = root / "primary", root / "replica"
    primary_port, replica_port = _free_port(), _free_port()
    run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    _configure_primary(primary, primary_port)
    started: list[Path] = []
    try:
        run("pg_ctl", "-D", str(primary), "-l", str(root / "primary.log"), "-w", "start")
        started.append(primary)
        primary_url = f"postgres://postgres@127.0.0.1:{primary_port}/huzhu"
        _wait_ready(primary_url.replace("/huzhu", "/postgres"))
        with psycopg.connect(
            primary_url.replace("/huzhu", "/postgres"), autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE huzhu")
        run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres"),
            *("-D", str(replica), "--write-recovery-conf", "--wal-method=stream"),
        )
        with (replica / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"port = {replica_port}\nunix_socket_directories = '{replica}'\n")
        run("pg_ctl", "-D", str(replica), "-l", str(root / "replica.log"), "-w", "start")
        started.append(replica)
        replica_url = f"postgres://postgres@127.0.0.1:{replica_port}/huzhu"
        _wait_ready(replica_url)
        yield Pair(primary_url, replica_url)
    finally:
        for data in reversed(started):
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
