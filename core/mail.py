"""The mail backend of a production site whose EMAIL_URL is missing."""

from smtplib import SMTPException

from django.core.mail.backends.base import BaseEmailBackend


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
