"""The embedded broker: a Kombu transport on one SQLite file (``var/broker/broker.sqlite3``).

What `make run` uses when CELERY_BROKER_URL is not set (production uses Redis). Why not Kombu's
own server-less transports (measured; README, "The embedded broker"):

- the filesystem transport writes each message file in place, so a worker can read it still empty and
  die (``Unrecoverable error: JSONDecodeError``, celery/kombu #1551), and it deletes a file when it
  hands the message out, so a worker killed before acknowledging loses what it held;
- the SQLAlchemy transport (a dependency more) hides a message when it hands it out and never shows
  it again (a killed worker's messages are lost the same way), and keeps every message forever.

Here every publish, hand-out and acknowledgement is one SQLite transaction (WAL, shared by every
process on the machine), so a message is stored whole or not at all. Handing a message out leases it:
it stays in the table, invisible, until the consumer acknowledges it (deleted) or rejects it. A live
consumer renews its leases while it holds the messages (prefetched, running, or waiting for an ETA),
so a slow task is never handed to a second worker; a killed consumer renews nothing, and its
messages are visible again ``lease_seconds`` later. A warm shutdown hands them back at once.

Standard library only (sqlite3). URL: ``sqlite:////absolute/path/broker.sqlite3``; importing this
module registers the ``sqlite`` scheme with Kombu (config/celery.py does, in every process).
"""

import json
import os
import sqlite3
import threading
import time
from queue import Empty

from kombu import transport as kombu_transports
from kombu.transport import virtual

SCHEMA = """
CREATE TABLE IF NOT EXISTS message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    delivery_tag TEXT,
    visible_at REAL NOT NULL DEFAULT 0,
    deliveries INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS message_ready ON message (queue, visible_at, id);
CREATE INDEX IF NOT EXISTS message_tag ON message (delivery_tag);
CREATE TABLE IF NOT EXISTS binding (
    exchange TEXT NOT NULL,
    routing_key TEXT NOT NULL,
    pattern TEXT NOT NULL,
    queue TEXT NOT NULL,
    PRIMARY KEY (exchange, routing_key, pattern, queue)
);
"""
DEFAULT_LEASE_SECONDS = 60.0
# Seconds a statement waits for another process's write before it fails (and Celery retries).
BUSY_TIMEOUT = 10.0


def database_path(url: str) -> str:
    """``sqlite:////abs/file`` (or ``sqlite:///relative/file``) -> the file's path."""
    rest = url.split("://", 1)[1] if "://" in url else url
    return rest[1:] if rest.startswith("/") else rest


class QoS(virtual.QoS):
    """Acknowledging deletes the message's row; rejecting with requeue or handing back makes it
    visible again. (Kombu's default hands unacknowledged messages back by publishing them anew,
    which here would leave the leased original behind to come back a second time.)"""

    def ack(self, delivery_tag):
        self.channel._forget([delivery_tag])
        super().ack(delivery_tag)

    def reject(self, delivery_tag, requeue=False):
        if requeue:
            self.channel._release([delivery_tag])
        else:
            self.channel._forget([delivery_tag])
        self._quick_ack(delivery_tag)

    def restore_unacked(self):
        self._flush()
        tags = self.held_tags()
        self._delivered.clear()
        self.channel._release(tags)
        return []

    def held_tags(self) -> list[str]:
        return [tag for tag in list(self._delivered) if tag not in self._dirty]


class Channel(virtual.Channel):
    QoS = QoS
    supports_fanout = True

    def __init__(self, connection, **kwargs):
        options = connection.client.transport_options
        self.path = database_path(connection.client.hostname or "")
        self.lease_seconds = float(options.get("lease_seconds", DEFAULT_LEASE_SECONDS))
        self._db: sqlite3.Connection | None = None
        self._db_pid = 0
        # Celery may acknowledge from another thread than the one that polls.
        self._lock = threading.RLock()
        self._renewed_at = time.monotonic()
        super().__init__(connection, **kwargs)
        # Open the file now: a connection check (/healthz, a worker starting) then fails on a file
        # that cannot be opened or written, instead of the first publish.
        self.db  # noqa: B018

    # --- the file -------------------------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None or self._db_pid != os.getpid():
            # Never a connection inherited through fork() (gunicorn, Celery's pool): SQLite forbids
            # using one. isolation_level=None: every transaction below is explicit.
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            # As the site's own SQLite database: a commit survives a killed process (it is in the WAL
            # before it returns); only a power cut may undo the last few, of the database as well, and
            # the sweepers queue that work again. FULL (an fsync per commit) made a publish 6x slower.
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            self._db, self._db_pid = db, os.getpid()
        return self._db

    def _write(self, statements) -> None:
        """Run [(sql, params), ...] as one write transaction."""
        with self._lock:
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    db.execute(sql, params)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    # --- Kombu's virtual channel ----------------------------------------------------------------

    def _put(self, queue, message, **kwargs):
        tag = message.get("properties", {}).get("delivery_tag")
        self._write([("INSERT INTO message (queue, payload, delivery_tag) VALUES (?, ?, ?)",
                      (queue, json.dumps(message), tag))])

    def _get(self, queue):
        now = time.time()
        with self._lock:
            db = self.db
            # An idle worker polls often: a plain read (never blocking, never blocked in WAL mode)
            # before taking the write lock, which only a poll that finds a message needs.
            if db.execute("SELECT 1 FROM message WHERE queue = ? AND visible_at <= ? LIMIT 1",
                          (queue, now)).fetchone() is None:
                raise Empty()
            # IMMEDIATE: two workers polling at once never both take the same row.
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT id, payload, deliveries FROM message WHERE queue = ? AND visible_at <= ? "
                    "ORDER BY id LIMIT 1",
                    (queue, now),
                ).fetchone()
                if row is not None:
                    db.execute("UPDATE message SET visible_at = ?, deliveries = deliveries + 1 WHERE id = ?",
                               (now + self.lease_seconds, row[0]))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        if row is None:
            raise Empty()
        message = json.loads(row[1])
        # As AMQP says it (Celery shows it to a task as request.delivery_info["redelivered"]).
        message.setdefault("properties", {}).setdefault("delivery_info", {})["redelivered"] = bool(row[2])
        return message

    def _forget(self, tags):
        if tags:
            self._write([("DELETE FROM message WHERE delivery_tag = ?", (tag,)) for tag in tags])

    def _release(self, tags):
        if tags:
            self._write([("UPDATE message SET visible_at = 0 WHERE delivery_tag = ?", (tag,)) for tag in tags])

    def renew_leases(self, *, force: bool = False) -> None:
        """Push back the lease of every message this channel still holds (prefetched, running, ETA)."""
        if self._qos is None or (not force and time.monotonic() - self._renewed_at < self.lease_seconds / 4):
            return
        self._renewed_at = time.monotonic()
        until = time.time() + self.lease_seconds
        tags = self._qos.held_tags()
        if tags:
            # visible_at > 0: not one handed back (released) meanwhile.
            self._write([("UPDATE message SET visible_at = ? WHERE delivery_tag = ? AND visible_at > 0",
                          (until, tag)) for tag in tags])

    def drain_events(self, timeout=None, callback=None):
        # Called on every poll, also while prefetch is full and nothing new may be taken.
        self.renew_leases()
        return super().drain_events(timeout=timeout, callback=callback)

    def _size(self, queue):
        with self._lock:
            return self.db.execute("SELECT COUNT(*) FROM message WHERE queue = ? AND visible_at <= ?",
                                   (queue, time.time())).fetchone()[0]

    def _purge(self, queue):
        # Leased messages too: a purge (tests, `celery purge`) means nothing of this queue comes back.
        ready = self._size(queue)
        self._write([("DELETE FROM message WHERE queue = ?", (queue,))])
        return ready

    def _delete(self, queue, *args, **kwargs):
        super()._delete(queue, *args, **kwargs)
        self._write([("DELETE FROM message WHERE queue = ?", (queue,)),
                     ("DELETE FROM binding WHERE queue = ?", (queue,))])

    # Bindings live in the file too: a fanout published by one process (celery inspect / control)
    # reaches the queues other processes bound.
    def _queue_bind(self, exchange, routing_key, pattern, queue):
        self._write([("INSERT OR IGNORE INTO binding VALUES (?, ?, ?, ?)",
                      (exchange, routing_key or "", pattern or "", queue or ""))])

    def get_table(self, exchange):
        with self._lock:
            rows = self.db.execute("SELECT routing_key, pattern, queue FROM binding WHERE exchange = ?",
                                   (exchange,)).fetchall()
        return [tuple(row) for row in rows]

    def _put_fanout(self, exchange, message, routing_key, **kwargs):
        for _routing_key, _pattern, queue in self.get_table(exchange):
            self._put(queue, message)

    def close(self):
        super().close()
        if self._db is not None and self._db_pid == os.getpid():
            self._db.close()
        self._db = None


class Transport(virtual.Transport):
    Channel = Channel
    # Declarations are kept per process, shared by its connections; bindings and messages are in the file.
    global_state = virtual.BrokerState()
    can_parse_url = True
    default_port = 0
    driver_type = "sqlite"
    driver_name = "sqlite3"
    implements = virtual.Transport.implements.extend(
        asynchronous=False, exchange_type=frozenset(["direct", "topic", "fanout"])
    )
    # Kombu re-raises these as its OperationalError: Celery retries the publish or reconnects.
    connection_errors = (*virtual.Transport.connection_errors, sqlite3.OperationalError)

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        self.state = self.global_state

    def driver_version(self):
        return sqlite3.sqlite_version


# Kombu resolves a URL's scheme through its aliases only (never an import path from a URL).
kombu_transports.TRANSPORT_ALIASES.setdefault("sqlite", "core.embedded_broker:Transport")
