"""Development and test backend: appends one JSON line per letter to DELIVERY_FILE_PATH, so a run
can count exactly what was sent."""

import json
import os

from django.conf import settings


def send(delivery) -> str:
    line = json.dumps(
        {
            "delivery_id": delivery.delivery_id,
            "recipient": delivery.recipient_key,
            "office": delivery.office_code,
            "subject": delivery.subject,
            "body": delivery.body,
        }
    )
    # One write() of one line on a file opened with O_APPEND: lines from several worker processes
    # never interleave.
    fd = os.open(settings.DELIVERY_FILE_PATH, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
    return f"file-{delivery.delivery_id}"
