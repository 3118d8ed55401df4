"""Claim, send, stamp: how every "send exactly once" in Camino works (receipts, manage links,
letter confirmations, deliveries).

1. **Claim**: one conditional UPDATE marks the row as ours (`claimed_field = now`) if it is still
   owed a send and nobody holds a live claim. Of two workers given the same row, one wins.
2. **Send** outside any transaction: no row lock is held across SMTP or HTTP, so a slow mail server
   or office never blocks the admin, a sweeper or another worker.
3. **Stamp** the outcome (e.g. `sent_at`), only while we still hold the claim; on failure **release**
   it so a retry can claim again at once.

A claim is a lease: a worker killed mid-send leaves its claim behind, and after `lease_seconds`
(settings.CLAIM_LEASE_SECONDS, 90 s by default) anyone may claim the row again. The lease must be
longer than the longest send (the SMTP and HTTP timeouts are shorter); the stable Message-ID or
DeliveryId of each message lets the receiving side drop the rare copy a crash after a send causes.
The claim's value is its token: release and stamp match on it, so a worker whose lease ran out and
was taken over cannot stamp or release the new holder's claim.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone


def default_lease_seconds() -> float:
    return float(getattr(settings, "CLAIM_LEASE_SECONDS", 90))


class SendOnce:
    """`queryset`: the rows still owed a send (eligible and not yet sent); `claimed_field`: a nullable
    DateTimeField that holds the lease."""

    def __init__(self, queryset: QuerySet, *, claimed_field: str, lease_seconds: float | None = None):
        self.queryset = queryset
        self.model = queryset.model
        self.claimed_field = claimed_field
        self.lease_seconds = lease_seconds

    @property
    def lease(self) -> timedelta:
        seconds = self.lease_seconds if self.lease_seconds is not None else default_lease_seconds()
        return timedelta(seconds=seconds)

    def free(self, now: datetime) -> Q:
        """Rows nobody holds a live claim on."""
        field = self.claimed_field
        return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now - self.lease})

    def claim(self, pk, **updates) -> datetime | None:
        """Take the row if it is owed a send and free; returns the claim's token, or None."""
        now = timezone.now()
        taken = self.queryset.filter(self.free(now), pk=pk).update(**{self.claimed_field: now}, **updates)
        return now if taken else None

    def _held(self, pk, token: datetime) -> QuerySet:
        return self.model._default_manager.filter(pk=pk, **{self.claimed_field: token})

    def release(self, pk, token: datetime, **updates) -> bool:
        """Give back a claim we hold (the send failed), with any updates; False if it was taken over."""
        return bool(self._held(pk, token).update(**{self.claimed_field: None}, **updates))

    def stamp(self, pk, token: datetime, **updates) -> bool:
        """Record the outcome of a send under a claim we hold, and clear the claim."""
        return bool(self._held(pk, token).update(**{self.claimed_field: None}, **updates))

    def run(self, pk, send: Callable[[object], object], *, stamp: dict | Callable[[object], dict],
            claim_updates: dict | None = None) -> bool:
        """Claim, call `send(pk)`, stamp. Returns True if this call sent. An exception from `send`
        releases the claim and propagates (the task's retry policy decides what comes next).

        `stamp` is the fields to write (a callable gets send's result and returns them), e.g.
        ``{"sent_at": timezone.now}``: callables among the values are called at stamp time."""
        token = self.claim(pk, **(claim_updates or {}))
        if token is None:
            return False
        try:
            result = send(pk)
        except BaseException:
            self.release(pk, token)
            raise
        fields = stamp(result) if callable(stamp) else stamp
        self.stamp(pk, token, **{name: value() if callable(value) else value for name, value in fields.items()})
        return True
