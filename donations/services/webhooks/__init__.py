"""Stripe webhooks: events.py stores and dispatches; one module per event family applies them."""

from .events import (
    stripe_event_process,
    stripe_event_receive,
    stripe_event_reprocess,
    stripe_event_store,
)
from .linking import EventNotReady

__all__ = [
    "EventNotReady",
    "stripe_event_process",
    "stripe_event_receive",
    "stripe_event_reprocess",
    "stripe_event_store",
]
