"""Where an index lives: a local directory or a PostgreSQL server, and how to name
a server without its password.

An index location is a server when it is a ``postgresql://`` / ``postgres://``
URL or a libpq key/value connection string (``host=db1,db2 dbname=archive
target_session_attrs=any``); anything else is a directory. The password in a
location (``user:secret@``, ``password=secret``) is never printed back:
:func:`redact` is the one helper every message, report and log line goes
through, and :func:`server_name` names a server by host, port and database only.
"""

from __future__ import annotations

import re
from typing import Any

# libpq connection keywords (https://www.postgresql.org/docs/current/libpq-connect.html):
# a string that starts with one of them followed by "=" is a connection string.
_KEYWORDS = (
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service",
    "sslmode", "sslrootcert", "sslcert", "sslkey", "target_session_attrs",
    "connect_timeout", "application_name", "options", "load_balance_hosts",
    "channel_binding", "gssencmode", "require_auth", "krbsrvname", "requiressl",
)
_CONNINFO = re.compile(r"^\s*(?:" + "|".join(_KEYWORDS) + r")\s*=", re.IGNORECASE)
_URL = re.compile(r"^\s*postgres(?:ql)?://", re.IGNORECASE)
# user:password@ in a URL (the password may hold anything but "@" and "/").
_URL_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*):[^@/\s]*@", re.IGNORECASE)
# password=VALUE in a connection string ('quoted', with \' escapes) or a URL query.
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)", re.IGNORECASE)
HIDDEN = "***"


def is_server(location: str) -> bool:
    """Whether ``location`` names a PostgreSQL server rather than a directory."""
    return bool(_URL.match(location) or _CONNINFO.match(location))


def redact(text: str, location: str | None = None) -> str:
    """``text`` with every password of a connection string or URL in it replaced
    by ``***``; with ``location``, its password is also hidden wherever it stands
    in ``text`` (a server's or driver's message may quote it)."""
    out = _URL_PASSWORD.sub(rf"\1:{HIDDEN}@", text)
    out = _KV_PASSWORD.sub(rf"\1{HIDDEN}", out)
    if location is not None:
        secret = _password(location)
        if secret and len(secret) >= 3:  # shorter would blank ordinary words
            out = out.replace(secret, HIDDEN)
    return out


def _parts(location: str) -> dict[str, Any]:
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return {}
    try:
        return dict(conninfo_to_dict(location))
    except Exception:  # an unparsable string: named by its redacted text instead
        return {}


def _password(location: str) -> str | None:
    value = _parts(location).get("password")
    return str(value) if value else None


def server_name(location: str) -> str:
    """A server named without credentials: ``HOST:PORT/DBNAME`` (several hosts
    joined with commas; libpq's defaults where the location gives none)."""
    parts = _parts(location)
    if not parts:
        return redact(location)
    host = str(parts.get("host") or parts.get("hostaddr") or "localhost")
    port = str(parts.get("port") or "5432")
    db = str(parts.get("dbname") or parts.get("user") or "")
    hosts = host.split(",")
    ports = port.split(",")
    if len(ports) < len(hosts):
        ports += [ports[-1]] * (len(hosts) - len(ports))
    # A unix-socket directory is a path: name it as is.
    named = ",".join(f"{h}:{p}" for h, p in zip(hosts, ports, strict=False))
    service = parts.get("service")
    where = f"{named}/{db}" if db else named
    return f"{where} (service {service})" if service else where
