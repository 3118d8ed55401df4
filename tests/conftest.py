"""Shared fixtures: the services tests need, a real Celery worker, Chromium, and the CI rule
that nothing may skip."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = "/usr/bin/chromium"
BASE_DIR = Path(settings.BASE_DIR)


def require_service(available: bool, what: str) -> None:
    """Skip a test whose service is missing on a developer's machine; under CI, fail instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI needs {what}, and it is not available", pytrace=False)
    pytest.skip(f"needs {what}")


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _clear_cache():
    from congress.geocoder import breaker_reset

    cache.clear()
    breaker_reset()  # each process also counts geocoder failures in memory
    yield
    cache.clear()
    breaker_reset()


@pytest.fixture(autouse=True)
def _english_at_the_start():
    """Each test starts in English: a request to an /es/ page activates Spanish in this thread and
    Django leaves it active, so the next test's reverse() would give /es/ addresses."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def postgresql_only():
    require_service(uses_postgresql(), "PostgreSQL (set DATABASE_URL=postgres://...)")


# --- A real Celery worker --------------------------------------------------------------------


def _database_url_for_worker() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


class WorkerProcess:
    """`celery worker` in its own process, on the test database and the tests' broker queue."""

    worker_args: tuple[str, ...] = ()  # more `celery worker` options, for a subclass
    # How long a warm shutdown may take before the worker is killed. Generous: a kill leaves its
    # unacknowledged messages on Redis until the visibility timeout (CELERY_TASK_TIME_LIMIT + 60 s),
    # longer than the tests wait, and a loaded CI machine finishes a batch of tasks slowly.
    stop_grace_seconds: float = 90

    def __init__(self, concurrency: int = 2, extra_env: dict | None = None):
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = BASE_DIR / "var" / f"test-worker-{os.getpid()}.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url_for_worker(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            **self.extra_env,
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - held open for the process's lifetime
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
             "--concurrency", str(self.concurrency), "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--pool", "prefork", *self.worker_args],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited early:\n{self.log_path.read_text()[-3000:]}")
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"celery worker not ready in {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            # Only the main process: it finishes or hands back its tasks and stops its pool
            # children itself (signaling the whole group kills children mid-task).
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=self.stop_grace_seconds)
            except subprocess.TimeoutExpired:
                print(f"worker did not stop within {self.stop_grace_seconds} s: killed")  # noqa: T201
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def _purge_test_queue() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real worker process. Tests using it need committed data, hence transactional_db."""
    _purge_test_queue()
    if WorkerProcess().log_path.exists():
        WorkerProcess().log_path.unlink()
    worker = WorkerProcess()
    worker.start()
    yield worker
    worker.stop()
    _purge_test_queue()


def wait_until(predicate, timeout: float = 60, interval: float = 0.2, message: str = "condition"):
    """Poll for an effect a worker produces; fail with `message` when it never comes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


# --- A real SMTP server -------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPMailbox:
    """An aiosmtpd server on a free loopback port that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                import email
                from email import policy

                message = email.message_from_bytes(envelope.content, policy=policy.default)
                mailbox.messages.append(
                    {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": message}
                )
                return "250 Message accepted for delivery"

        self.port = free_port()  # aiosmtpd cannot bind port 0 (it connects to itself to check)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        self.email_url = f"smtp://127.0.0.1:{self.port}"

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp_server(settings):
    """Django's mail (in this process) goes to a real SMTP server; pass `smtp_server.email_url`
    as EMAIL_URL to a worker process so its mail goes there too."""
    mailbox = SMTPMailbox()
    mailbox.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mailbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    mailbox.stop()


# --- Chromium through Playwright --------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    require_service(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "Chromium at /usr/bin/chromium")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
    # other threads, but fixtures that touch the ORM here would trip Django's async guard.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --- Under CI nothing may skip -----------------------------------------------------------------


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if IN_CI and skipped:
        terminalreporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; failing the run.", red=True)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1
