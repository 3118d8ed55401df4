"""Mail: the message every templated email is built as, and the backend of a production site
whose EMAIL_URL is missing."""

from contextlib import nullcontext
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation


class EmailNotConfiguredBackend(BaseEmailBackend):
    """Sends nothing and says so. Printing to the console (base.py's default) would put every
    confirmation and receipt, with a supporter's name, street and email, into the worker's log and
    send none of them. The error is an SMTPException, one the tasks treat as transient: what should
    have gone out stays claimable, and the sweepers send it once EMAIL_URL is set. The start-up
    check core.E001 stops `migrate` and `check` meanwhile."""

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        raise SMTPException("EMAIL_URL is not set: no mail is sent until it is.")


def stable_message_id(key: str) -> str:
    """A Message-ID that is the same for every send of one message (`key` names it), so a copy a
    crash between send and stamp may cause is recognizably the same message to mail systems."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "camino.example.org"
    return f"<{key}@{domain}>"


def templated_email(
    template: str,
    context: dict,
    *,
    subject: str,
    to: list[str],
    message_key: str | None = None,
    language: str | None = None,
) -> EmailMultiAlternatives:
    """`template`.txt and `template`.html rendered with `context` into one message from
    DEFAULT_FROM_EMAIL, with a stable Message-ID when `message_key` is given. `language` (the one
    stored on the gift or letter) renders both parts in it; callers build the subject and the
    context's links and amounts inside the same translation.override, so all of it agrees."""
    headers = {"Message-ID": stable_message_id(message_key)} if message_key else None
    with translation.override(language) if language else nullcontext():
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    message.attach_alternative(html, "text/html")
    return message
