"""Exit 0 if the PostgreSQL server in the URL given as argument accepts a connection."""

from __future__ import annotations

import sys
from urllib.parse import unquote, urlsplit

import psycopg


def main(url: str) -> int:
    parts = urlsplit(url)
    try:
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or "") or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
