"""A real S3-compatible server on loopback for the object-storage tests.

``moto_server`` (``moto[server]``, a pinned dev requirement) runs as a child
process on a free 127.0.0.1 port for the whole test session; a test skips
only when it cannot start. ``s3_storage`` points Django's default storage at
a fresh bucket there, as ``AWS_STORAGE_BUCKET_NAME`` does in production, with
the bucket policy production needs (``public_images_policy``): the server
refuses anonymous reads of anything else, as S3 does.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import boto3
import pytest

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MotoServer:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **{k.upper(): v for k, v in CREDENTIALS.items()}},
        )

    def wait(self, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def client(self):
        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name=REGION, **CREDENTIALS
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def s3_server():
    server = MotoServer()
    if not server.wait():
        server.stop()
        pytest.skip("moto_server (moto[server]) could not start on 127.0.0.1")
    yield server
    server.stop()


def use_bucket(settings, server, bucket: str) -> None:
    """Settings as ``cms/settings/base.py`` makes them for a bucket."""
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = server.endpoint
    settings.AWS_S3_REGION_NAME = REGION
    settings.AWS_S3_ACCESS_KEY_ID = CREDENTIALS["aws_access_key_id"]
    settings.AWS_S3_SECRET_ACCESS_KEY = CREDENTIALS["aws_secret_access_key"]
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = False
    settings.AWS_S3_FILE_OVERWRITE = False
    # Last: changing STORAGES resets default_storage, which then reads the above.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }


def public_images_policy(bucket: str) -> str:
    """The bucket policy production needs: anyone may read images and
    renditions; documents stay private (served by signed URLs)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicImages",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": [
                        f"arn:aws:s3:::{bucket}/original_images/*",
                        f"arn:aws:s3:::{bucket}/images/*",
                    ],
                }
            ],
        }
    )


def create_bucket(server, bucket: str) -> None:
    client = server.client()
    client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(Bucket=bucket, Policy=public_images_policy(bucket))


@pytest.fixture
def s3_storage(settings, s3_server):
    bucket = f"clinic-test-{uuid.uuid4().hex[:12]}"
    create_bucket(s3_server, bucket)
    use_bucket(settings, s3_server, bucket)
    return bucket


def object_keys(server, bucket: str) -> list[str]:
    pages = server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
