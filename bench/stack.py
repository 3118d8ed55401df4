"""The processes a benchmark runs against: its environment (production settings, its own database,
broker folder and cache under var/bench/), manage.py, gunicorn and the Celery worker."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
PYTHON = sys.executable
BARE_PATH = "/_bench/bare"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            # Production as deployed: DEBUG off is what the numbers are about, so it is said here
            # rather than left to the default.
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ROOT_URLCONF": "bench.urls",
            "CELERY_QUEUE": "camino-bench",
            # Letters go to a file: no office is ever written to by a benchmark.
            "DELIVERY_BACKEND_CONGRESS": "file",
            "DELIVERY_BACKEND_CUSTOM": "file",
            "DELIVERY_BACKEND_FALLBACK": "file",
            "DELIVERY_FILE_PATH": str(BENCH_DIR / "deliveries.jsonl"),
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            "CACHE_URL": os.environ.get("CACHE_URL", f"filecache://{BENCH_DIR / 'cache'}"),
            # Every bench submission comes from 127.0.0.1: the per-IP limit (20/h) would stop it at 20.
            "ADVOCACY_SIGN_RATE_IP": "100000/h",
            "ADVOCACY_SIGN_RATE_EMAIL": "100000/h",
        }
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
    env.setdefault("CELERY_BROKER_URL", "filesystem://")
    env.setdefault("CELERY_BROKER_FOLDER", str(BENCH_DIR / "broker"))
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def django_shell(env, code: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py shell failed:\n{code}\n{result.stderr[-3000:]}")
    # The answer is the last line; apps may log above it.
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def start(cmd, env, log_name):
    log = open(BENCH_DIR / log_name, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fetch(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status


@contextmanager
def gunicorn(env):
    """The site under gunicorn, production settings, 2 sync workers; yields its base URL."""
    port = free_port()
    web = start([PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                env, "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + BARE_PATH)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        stop(web)


def celery_worker(env):
    """A Celery worker on the bench queue, 2 processes; the caller stops it."""
    return start([PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", "2",
                  "--without-gossip", "--without-mingle", "--loglevel", "WARNING"], env, "worker.log")


def queue_size(env) -> int:
    # Redis deletes an empty list, so there a drained queue answers "not found": that is 0.
    code = (
        "from amqp.exceptions import ChannelError\n"
        "from config.celery import app\n"
        "with app.connection_for_write() as c:\n"
        "    try:\n"
        "        queue = c.default_channel.queue_declare(queue=app.conf.task_default_queue, passive=True)\n"
        "        print(queue.message_count)\n"
        "    except ChannelError:\n"
        "        print(0)"
    )
    return int(django_shell(env, code) or 0)
