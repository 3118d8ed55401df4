"""Kombu's Redis transport, with one fix that keeps the worker alive when Redis goes away.

Measured: killing Redis while the worker held an unacknowledged message (a task running, with
acks_late) stopped the worker for good: "Unrecoverable error: AttributeError('NoneType' object has
no attribute 'hostname')". After a connection loss Celery 5.7 first collects the connection (which
detaches the transport from it) and then closes it; closing the channel tries to put the
unacknowledged messages back in the queue, and building a Redis client for that reads the
detached connection's address. With Redis gone that restore could not have worked anyway (it
fails with a connection error, which Celery ignores), so here it is skipped: the messages stay in
Redis's unacked set, and Redis puts them back after the visibility timeout if it kept them; if it
lost them, the sweepers queue their work again."""

from kombu.transport import redis


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        if client is None and self.channel.connection.client is None:
            self._delivered.clear()
            return None
        return super().restore_unacked(client)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
