"""A throwaway PostgreSQL cluster for tests and benchmarks: Debian's server binaries, initdb into a
temporary folder, a free loopback port and a unix socket in that folder; stopped and removed
afterwards. Nothing is assumed to be running.

As root (CI, the dev boxes) the server runs as the `postgres` user (PostgreSQL refuses root),
in a folder that user owns, through `runuser`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("POS_APP_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    """`start()`, `stop()` (and start again: the data folder stays), `remove()`."""

    def __init__(self, *, durable: bool = False) -> None:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(
                f"PostgreSQL server binaries not found in {PG_BIN}: install Debian's "
                "`postgresql` (make test does)"
            )
        self.root = Path(tempfile.mkdtemp(prefix="pos-app-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "run"
        self.socket_dir.mkdir()
        self.log = self.root / "server.log"
        self.port = _free_port()
        # Tests trade durability for speed; benchmarks measure a server that fsyncs.
        self.durable = durable
        if sys.platform == "win32":  # Debian's server only (PG_BIN); never reached there
            self._as_postgres = False
        else:
            self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, SUPERUSER, SUPERUSER)
            shutil.chown(self.socket_dir, SUPERUSER, SUPERUSER)
        self.root.chmod(0o700)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        settings = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.socket_dir}'",
            "max_connections = 200",
            "shared_buffers = 64MB",
        ]
        if not durable:
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        with open(self.data / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
            conf.write("\n".join(settings) + "\n")

    def _command(self, tool: str, *args: str) -> list[str]:
        command = [str(PG_BIN / tool), *args]
        if self._as_postgres:
            return ["runuser", "-u", SUPERUSER, "--", *command]
        return command

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(self._command(tool, *args), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session (clients see their connection dropped); `immediate` is a
        crash (no shutdown checkpoint)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        result = subprocess.run(
            self._command("pg_ctl", "-D", str(self.data), "status"),
            capture_output=True,
            timeout=30,
        )
        return result.returncode == 0

    def remove(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """One statement as the superuser (outside any transaction: CREATE DATABASE may run)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement.encode())

    def new_database(self, name: str, owner: str = SUPERUSER) -> str:
        """A fresh database (its URL), owned by `owner`."""
        self.sql(f'CREATE DATABASE "{name}" OWNER "{owner}"')
        return self.url(name, owner)

    def drop_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
