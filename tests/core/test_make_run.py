"""`make run` as a newcomer runs it, on a port other than 8000: the links in its emails must point at
that port (they went to 127.0.0.1:8000 whatever PORT said), and it listens on loopback only."""

import os
import re
import signal
import subprocess
import time

import pytest
import requests
from django.conf import settings

from tests.conftest import SMTPMailbox, free_port

pytestmark = pytest.mark.worker


@pytest.fixture
def mailbox():
    box = SMTPMailbox()
    box.start()
    yield box
    box.stop()


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_make_run_on_another_port_sends_emails_that_link_to_that_port(tmp_path, mailbox):
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "CELERY_", "CACHE_", "MEDIA_", "SITE_URL", "DATABASE_URL", "EMAIL_"))}
    env.update({
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'camino.sqlite3'}",
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        "CELERY_QUEUE": f"camino-make-run-{port}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_URL": mailbox.email_url,
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
    })
    log_path = tmp_path / "make-run.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=settings.BASE_DIR, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        session = requests.Session()
        deadline = time.monotonic() + 240
        while True:
            try:
                page = session.get(f"{base}/donate/", timeout=10)
                if page.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.5)
        assert f"Camino is starting at http://127.0.0.1:{port}/" in log_path.read_text()
        amount = re.search(r'name="amount"\s+value="(\d+)"', page.text).group(1)
        checkout = session.post(f"{base}/donate/", data={
            "csrfmiddlewaretoken": _csrf(page.text), "frequency": "month", "amount": amount,
            "name": "Ana Pérez", "email": "ana@example.org",
        }, timeout=30)
        errors = re.findall(r"<(?:span|div|p)[^>]*(?:invalid-feedback|alert-danger)[^>]*>(.*?)</", checkout.text, re.S)
        assert checkout.status_code == 200 and "/donate/demo/checkout/" in checkout.url, (checkout.status_code, errors)
        paid = session.post(checkout.url, data={"csrfmiddlewaretoken": _csrf(checkout.text), "outcome": "pay"},
                            timeout=30)
        assert paid.status_code == 200
        deadline = time.monotonic() + 120
        while not mailbox.messages:
            assert time.monotonic() < deadline, "no receipt: " + log_path.read_text()[-3000:]
            time.sleep(0.5)
        receipt = mailbox.messages[0]["message"]
        text = receipt.get_body(preferencelist=("plain",)).get_content()
        links = re.findall(r"https?://[^\s\"<>]+", text)
        assert f"{base}/donate/manage/" in links
        assert not [link for link in links if "127.0.0.1" in link and f":{port}/" not in link]
        # Loopback only: the demo superuser's password is printed above.
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
        assert listening.strip() and all("127.0.0.1:" in line for line in listening.strip().splitlines())
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _make_env(extra: dict) -> str:
    """EMAIL_URL as the Makefile's recipes see it, for the given environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EMAIL_"))}
    env.update(extra)
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", 'show-email-url: ; @echo "$$EMAIL_URL"', "show-email-url"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


def test_make_run_in_production_mode_prints_mail_unless_told_otherwise():
    """Production settings refuse to start without EMAIL_URL (a deployment, which never runs make,
    must say where mail goes); `make run` in production mode, the local trial of it, keeps printing
    mail to its console, and a given EMAIL_URL wins."""
    assert _make_env({"DJANGO_DEBUG": "false"}) == "consolemail://"
    assert _make_env({"DJANGO_DEBUG": "false", "EMAIL_URL": "smtp://127.0.0.1:2525"}) == "smtp://127.0.0.1:2525"
