"""Fixtures of the core tests: a Redis server of the test's own."""

import signal
import subprocess

import pytest
import redis

from tests.conftest import free_port, require_service, wait_until

REDIS_SERVER = "redis-server"


class RedisServer:
    """A redis-server of the test's own on a free loopback port, without persistence: killing it
    loses everything in it, as an outage of a cache-and-broker Redis does."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        wait_until(lambda: self._answers(client), timeout=20, message="redis-server to answer")

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a stopped process is killed all the same, but tidily
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def redis_server():
    require_service(subprocess.run(["which", REDIS_SERVER], capture_output=True).returncode == 0, "redis-server")
    server = RedisServer()
    server.start()
    yield server
    server.kill()
