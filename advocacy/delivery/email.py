"""Letters by email through Django's mail system (SMTP or an ESP), for custom targets and offices
that gave us an address. The supporter is in Reply-To so the office answers them directly."""

import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from . import OfficeUnreachable, PermanentDeliveryError, TransientDeliveryError


def build_message(delivery) -> EmailMessage:
    """The email for one delivery; its Message-ID is stable per delivery. English whatever the
    worker's language, as CWC's XML is."""
    with translation.override("en"):
        return _build_message(delivery)


def _build_message(delivery) -> EmailMessage:
    letter = delivery.letter
    sender_domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "camino.invalid"
    # A stable Message-ID per delivery lets a receiving system drop the copy of a retried send.
    message_id = f"<{delivery.delivery_id}@{sender_domain}>"
    footer = (
        f"\n\n--\n{letter.prefix} {letter.first_name} {letter.last_name}\n{letter.street}\n"
        f"{letter.city}, {letter.state} {letter.zip_code}\n{letter.supporter.email}"
    )
    message = EmailMessage(
        subject=delivery.subject,
        body=delivery.body + footer,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient_email],
        reply_to=[letter.supporter.email],
        headers={"Message-ID": message_id},
    )
    return message


def send(delivery) -> str:
    if not delivery.recipient_email:
        raise PermanentDeliveryError("No email address for this recipient.")
    message = build_message(delivery)
    message_id = message.extra_headers["Message-ID"]
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(f"Recipient refused: {exc.recipients}") from exc
    except (smtplib.SMTPConnectError, ConnectionRefusedError, socket.gaierror) as exc:
        raise OfficeUnreachable(f"Mail server unreachable: {exc.__class__.__name__}: not sent") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientDeliveryError(f"Mail server error: {exc}") from exc
    return message_id
