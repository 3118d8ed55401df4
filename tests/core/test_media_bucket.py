"""Photos in an S3-compatible bucket (MEDIA_S3_BUCKET), for a site served by several machines: a
local S3 server (moto, speaking S3's HTTP API) stands in for the bucket; django-storages and boto3
are the real client."""

import os
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings
from moto.server import ThreadedMotoServer

from tests.conftest import free_port


@pytest.fixture
def bucket_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_a_photo_saved_through_the_bucket_settings_is_served_by_the_bucket(bucket_server):
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEDIA_")}
    env.update({
        "MEDIA_S3_BUCKET": "camino-photos",
        "MEDIA_S3_ENDPOINT_URL": bucket_server,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": "test",
        "MEDIA_S3_SECRET_ACCESS_KEY": "test",
        "MEDIA_S3_DEFAULT_ACL": "public-read",
        "MEDIA_URL": f"{bucket_server}/camino-photos/",
    })
    script = """
import boto3, django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import NoReverseMatch, reverse
boto3.client("s3", endpoint_url=settings.STORAGES["default"]["OPTIONS"]["endpoint_url"], region_name="us-east-1",
             aws_access_key_id="test", aws_secret_access_key="test").create_bucket(Bucket="camino-photos")
name = default_storage.save("stories/photo.png", ContentFile(b"\\x89PNG fake", name="photo.png"))
from django.core.files.storage import storages
print(type(storages["default"]).__name__)
print(default_storage.url(name))
print(settings.MEDIA_SERVE, settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"][-1])
try:
    reverse("media", kwargs={"path": "x.png"})
    print("app serves media")
except NoReverseMatch:
    print("bucket serves media")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    backend, url, serve_and_csp, who = result.stdout.strip().splitlines()[-4:]
    assert backend == "S3Storage"
    assert url.startswith(f"{bucket_server}/camino-photos/stories/photo")
    assert serve_and_csp == f"False {bucket_server}"
    assert who == "bucket serves media"
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        assert response.read() == b"\x89PNG fake"
