"""An S3-compatible server for tests: moto's own HTTP server (`moto[server]`), started on
127.0.0.1 at a free port in this process's thread. The app reaches it through
django-storages and boto3 over HTTP, exactly as it reaches a real bucket: nothing is
mocked or patched in the client (moto's in-process mock is never started).

Each pytest-xdist worker is its own process, so it starts its own server; each test gets a
bucket of its own (`S3Bucket`), so tests never see each other's objects.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

from shudarga.settings import storage_from_env

REGION = "us-east-1"
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # moto accepts any key
PREFIX = "shudarga/media"


@dataclass
class S3Server:
    endpoint_url: str

    @functools.cached_property
    def client(self) -> Any:
        """A boto3 client of the tests' own, to look at the bucket behind the app's back
        (made once: a new one costs a tenth of a second)."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}),
        )


@dataclass(frozen=True)
class S3Bucket:
    server: S3Server
    name: str
    prefix: str

    def env(self) -> dict[str, str]:
        """The environment an operator sets for this bucket (README "Configuration")."""
        return {
            "SHUDARGA_STORAGE": "s3",
            "SHUDARGA_S3_BUCKET": self.name,
            "SHUDARGA_S3_PREFIX": self.prefix,
            "SHUDARGA_S3_ENDPOINT_URL": self.server.endpoint_url,
            "SHUDARGA_S3_REGION": REGION,
            "SHUDARGA_S3_ADDRESSING_STYLE": "path",
            "SHUDARGA_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "SHUDARGA_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def storage_setting(self) -> dict:
        """STORAGES["default"] as settings.py builds it from `env()`."""
        return storage_from_env(self.env())

    def object_keys(self) -> list[str]:
        """Every object key in the bucket, sorted."""
        pages = self.server.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.server.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def delete(self, key: str) -> None:
        self.server.client.delete_object(Bucket=self.name, Key=key)

    def remove(self) -> None:
        """Delete every object, then the bucket."""
        for key in self.object_keys():
            self.delete(key)
        self.server.client.delete_bucket(Bucket=self.name)

    def key_of(self, name: str) -> str:
        """The object key of the storage name `name` (the prefix before it)."""
        return f"{self.prefix}/{name}"


def start_server() -> Iterator[S3Server]:
    """Run moto's server on a free port of 127.0.0.1 until the generator is closed."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(endpoint_url=f"http://{host}:{port}")
    finally:
        server.stop()


def new_bucket(server: S3Server, *, prefix: str = PREFIX) -> S3Bucket:
    """A new, empty bucket on `server` with a name no other test uses."""
    name = f"shudarga-test-{uuid.uuid4().hex[:16]}"
    server.client.create_bucket(Bucket=name)
    return S3Bucket(server=server, name=name, prefix=prefix)
