"""The embedded broker (core.embedded_broker) through Kombu, on a real SQLite file: a message is
stored whole or not at all, and one taken but never acknowledged comes back, once."""

import contextlib
import multiprocessing
import os
import sqlite3
import time
from queue import Empty

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue

from core import embedded_broker  # noqa: F401 - registers sqlite://


def connection(path, **options) -> Connection:
    return Connection(f"sqlite:///{path}", transport_options={"polling_interval": 0.01, **options})


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT queue, visible_at > 0 FROM message ORDER BY id").fetchall()


def publish(conn, body, queue="q"):
    Producer(conn.channel()).publish(body, routing_key=queue, declare=[Queue(queue)], serializer="json")


def take_one(conn, queue="q", timeout=5.0):
    """Consume one message without acknowledging it; return it."""
    got = []
    channel = conn.channel()
    with Consumer(channel, [Queue(queue)], callbacks=[lambda body, message: got.append(message)], accept=["json"]):
        deadline = time.monotonic() + timeout
        while not got and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                conn.drain_events(timeout=0.2)
    return got[0] if got else None


def test_a_message_is_deleted_when_acknowledged(tmp_path):
    path = tmp_path / "broker.sqlite3"
    with connection(path) as conn:
        publish(conn, {"n": 1})
        assert rows(path) == [("q", 0)]
        message = take_one(conn)
        assert message.payload == {"n": 1} and message.delivery_info["redelivered"] is False
        assert rows(path) == [("q", 1)]  # leased, still stored
        message.ack()
        assert rows(path) == []


def test_a_rejected_message_comes_back_at_once_and_only_once(tmp_path):
    path = tmp_path / "broker.sqlite3"
    with connection(path) as conn:
        publish(conn, {"n": 1})
        take_one(conn).reject(requeue=True)
        assert rows(path) == [("q", 0)]
        again = take_one(conn)
        assert again.payload == {"n": 1} and again.delivery_info["redelivered"] is True
        again.ack()
        assert rows(path) == []


def test_a_warm_close_hands_held_messages_back_without_copying_them(tmp_path):
    path = tmp_path / "broker.sqlite3"
    with connection(path) as conn:
        publish(conn, {"n": 1})
        assert take_one(conn) is not None
    assert rows(path) == [("q", 0)]


def _take_and_die(path, lease):
    with connection(path, lease_seconds=lease) as conn:
        assert take_one(conn) is not None
        os._exit(0)  # as after SIGKILL: no acknowledgement, no hand-back


def test_a_message_held_by_a_killed_consumer_comes_back_after_its_lease(tmp_path):
    path = tmp_path / "broker.sqlite3"
    with connection(path) as conn:
        publish(conn, {"n": 1})
    process = multiprocessing.get_context("spawn").Process(target=_take_and_die, args=(path, 2.0))
    process.start()
    process.join(30)
    assert rows(path) == [("q", 1)]

    with connection(path, lease_seconds=2.0) as conn:
        assert take_one(conn, timeout=0.5) is None  # still leased to the dead consumer
        message = take_one(conn, timeout=10)
        assert message is not None and message.payload == {"n": 1}
        message.ack()
    assert rows(path) == []


def test_a_live_consumer_keeps_its_message_past_the_lease(tmp_path):
    """A task running (or waiting for its ETA) longer than the lease is never handed to a second worker."""
    path = tmp_path / "broker.sqlite3"
    with connection(path, lease_seconds=1.0) as holder, connection(path, lease_seconds=1.0) as other:
        publish(holder, {"n": 1})
        held = take_one(holder)
        deadline = time.monotonic() + 3.0  # three leases
        while time.monotonic() < deadline:
            with pytest.raises((TimeoutError, Empty)):
                holder.drain_events(timeout=0.1)  # the worker's loop: renews what it holds
            assert take_one(other, timeout=0.05) is None
        held.ack()
    assert rows(path) == []


def _produce(path, prefix, count):
    with connection(path) as conn:
        producer = Producer(conn.channel())
        for n in range(count):
            producer.publish({"n": f"{prefix}{n}", "pad": "x" * 2000}, routing_key="q", declare=[Queue("q")],
                             serializer="json")


def test_concurrent_producers_and_a_consumer_lose_and_tear_nothing(tmp_path):
    """What tore Kombu's filesystem transport (celery/kombu #1551): writers and a reader at once."""
    path = tmp_path / "broker.sqlite3"
    with connection(path) as conn:
        conn.channel().queue_declare("q")
    context = multiprocessing.get_context("spawn")
    producers = [context.Process(target=_produce, args=(path, prefix, 500)) for prefix in "AB"]
    for producer in producers:
        producer.start()
    seen: list[str] = []
    with connection(path) as conn:
        channel = conn.channel()

        def on_message(body, message):
            seen.append(body["n"])
            message.ack()

        with Consumer(channel, [Queue("q")], callbacks=[on_message], accept=["json"]):
            deadline = time.monotonic() + 60
            while len(seen) < 1000 and time.monotonic() < deadline:
                with contextlib.suppress(TimeoutError):
                    conn.drain_events(timeout=0.5)
    for producer in producers:
        producer.join(30)
        assert producer.exitcode == 0
    assert sorted(seen) == sorted(f"{prefix}{n}" for prefix in "AB" for n in range(500))
    assert rows(path) == []


def test_a_fanout_reaches_queues_bound_by_another_connection(tmp_path):
    """Bindings are in the file, so `celery inspect` and control commands reach every worker."""
    path = tmp_path / "broker.sqlite3"
    exchange = Exchange("broadcast", type="fanout")
    with connection(path) as first, connection(path) as second:
        Queue("one", exchange)(first.channel()).declare()
        Queue("two", exchange)(second.channel()).declare()
        Producer(first.channel(), exchange=exchange).publish({"hello": 1}, declare=[exchange], serializer="json")
    assert sorted(queue for queue, _leased in rows(path)) == ["one", "two"]
