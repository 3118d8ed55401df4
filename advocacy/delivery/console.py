"""Development backend: prints each letter on the worker's console."""

import sys

from django.conf import settings


def send(delivery) -> str:
    letter = delivery.letter
    out = getattr(settings, "DELIVERY_CONSOLE_STREAM", None) or sys.stdout
    out.write(
        "\n".join(
            [
                "-" * 72,
                f"Delivery {delivery.delivery_id} to {delivery.recipient_name} ({delivery.office_code or '-'})",
                f"From: {letter.first_name} {letter.last_name}, {letter.city}, {letter.state} {letter.zip_code}",
                f"Subject: {delivery.subject}",
                "",
                delivery.body,
                "-" * 72,
                "",
            ]
        )
    )
    out.flush()
    return f"console-{delivery.delivery_id}"
