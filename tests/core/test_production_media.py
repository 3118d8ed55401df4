"""Production mode as a deployment runs it: DJANGO_DEBUG=false, collectstatic, gunicorn behind a TLS
proxy. The uploaded photos on the home page must answer 200 (Django's static() helper serves them
only with DEBUG on, which left all seven home page images broken)."""

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from advocacy.demo import DEMO_SLUG
from tests.conftest import free_port

BASE_DIR = settings.BASE_DIR
PRODUCTION_SECRET = "p" * 20 + "x7#kq9!vT2mLp0zR8wYc4nB6hJ1sD5fG3aE9uI7oP2lK8jH"


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "CELERY_", "CACHE_", "MEDIA_", "STATIC_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "consolemail://",
        "DATABASE_URL": f"sqlite:///{root / 'camino.sqlite3'}",
        "CACHE_URL": f"filecache://{root / 'cache'}",
        "CELERY_BROKER_FOLDER": str(root / "broker"),
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "SITE_URL": f"https://127.0.0.1:{port}",
    })
    for command in (["migrate", "--noinput"], ["seed_demo"], ["collectstatic", "--noinput"]):
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    log = open(root / "gunicorn.log", "wb")  # noqa: SIM115 - held for the server's lifetime
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--forwarded-allow-ips", "*"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base + "/healthz")
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start: " + (root / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=30)
    log.close()


def fetch(url: str) -> tuple[int, dict, bytes]:
    # As the TLS proxy in front forwards it: production redirects plain HTTP to HTTPS.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_uploaded_photos_on_the_home_page_answer_200_in_production(production_site):
    status, _headers, body = fetch(production_site + "/")
    assert status == 200
    photos = sorted(set(re.findall(r'(?:src|srcset)="(/media/[^" ]+)', body.decode())))
    assert len(photos) >= 3, "the demo home page shows story photos"
    for photo in photos:
        status, headers, content = fetch(production_site + photo)
        assert status == 200, photo
        assert headers["Content-Type"].startswith("image/")
        assert "immutable" in headers["Cache-Control"]
        assert content


@pytest.mark.parametrize("path", [f"/act/{DEMO_SLUG}/", "/es/donate/"], ids=["campaign", "donate"])
def test_the_action_pages_photos_answer_200_in_production(production_site, path):
    status, _headers, body = fetch(production_site + path)
    assert status == 200
    photos = sorted(set(re.findall(r'(?:src|srcset)="(/media/[^" ]+)', body.decode())))
    assert photos, "the demo campaign and appeal have a photo"
    for photo in photos:
        status, headers, content = fetch(production_site + photo)
        assert status == 200, photo
        assert headers["Content-Type"] == "image/jpeg"
        assert content


def test_only_images_are_served_from_media(production_site):
    status, _headers, _body = fetch(production_site + "/media/../config/settings/base.py")
    assert status == 404
    status, _headers, _body = fetch(production_site + "/media/notes.txt")
    assert status == 404
