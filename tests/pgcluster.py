"""Real PostgreSQL clusters for the server tests (no mocks of the server).

Debian's binaries (``/usr/lib/postgresql/*/bin``, installed by ``.ci/run`` when
missing) ``initdb`` a cluster in a temporary directory owned by the ``postgres``
user (PostgreSQL refuses to run as root), listening on a free local port, with
its unix socket in that directory too. A streaming replica is made with
``pg_basebackup -R``. Password authentication (scram) on TCP, so the tests can
use wrong passwords and read-only roles.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"
PASSWORD = "s3cret-Pw0rd"


def bindir() -> Path | None:
    """The newest Debian PostgreSQL ``bin`` directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    """Run as the ``postgres`` user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


class Cluster:
    """One PostgreSQL cluster in ``base``, listening on 127.0.0.1:``port``."""

    def __init__(self, bin_dir: Path, base: Path, port: int) -> None:
        self.bin = bin_dir
        self.base = base
        self.data = base / "data"
        self.port = port
        self.log = base / "server.log"

    def run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(_as_owner([str(self.bin / tool), *args]), capture_output=True,
                              text=True, check=check, timeout=300, cwd=self.base)

    def url(self, db: str = "postgres", user: str = SUPERUSER,
            password: str | None = PASSWORD) -> str:
        cred = f"{user}:{password}" if password is not None else user
        return f"postgresql://{cred}@127.0.0.1:{self.port}/{db}"

    def initdb(self) -> None:
        pwfile = self.base / "pw"
        pwfile.write_text(PASSWORD + "\n")
        _chown(pwfile)
        self.run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                 "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                 "--locale=C.UTF-8")
        conf = self.data / "postgresql.conf"
        with conf.open("a") as f:
            f.write(self._settings())

    def _settings(self) -> str:
        return (f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "shared_buffers = 128MB\nmax_connections = 60\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120",
                 "start")

    def stop(self, mode: str = "fast") -> None:
        done = self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "120", "stop",
                        check=False)
        if done.returncode != 0 and mode != "immediate" and (self.data / "postmaster.pid").exists():
            # A slow shutdown checkpoint on a busy machine: never leave a server behind.
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def replica(self, base: Path, port: int) -> Cluster:
        """A streaming replica of this cluster (``pg_basebackup -R``), started."""
        rep = Cluster(self.bin, base, port)
        env_pw = f"password={PASSWORD}"
        rep.run("pg_basebackup", "-D", str(rep.data), "-R", "-X", "stream", "-c", "fast", "-d",
                f"host=127.0.0.1 port={self.port} user={SUPERUSER} {env_pw}")
        with (rep.data / "postgresql.conf").open("a") as f:
            f.write(rep._settings())
        rep.start()
        return rep


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(path, pw.pw_uid, pw.pw_gid)


def make_base() -> Path:
    """A temporary directory the ``postgres`` user owns."""
    base = Path(tempfile.mkdtemp(prefix="checker-pg-"))
    base.chmod(0o700)
    _chown(base)
    return base


def cleanup(base: Path) -> None:
    shutil.rmtree(base, ignore_errors=True)


def wait_replayed(primary_url: str, replica_url: str, timeout: float = 120) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    import psycopg

    with psycopg.connect(primary_url, autocommit=True) as p:
        (lsn,) = p.execute("SELECT pg_current_wal_lsn()").fetchone() or ("0/0",)
    end = time.monotonic() + timeout
    with psycopg.connect(replica_url, autocommit=True) as r:
        while time.monotonic() < end:
            (done,) = r.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                                (lsn,)).fetchone() or (False,)
            if done:
                return
            time.sleep(0.1)
    raise TimeoutError("the replica did not catch up")


def create_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as c:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
