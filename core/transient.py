"""The errors worth retrying: the database, the mail server or the network failing for a moment.
Anything else is a bug or bad data, and retrying it would only repeat it (and hide it)."""

from smtplib import SMTPException

from django.db import InterfaceError, OperationalError

# A lost connection, a restart, a lock or deadlock timeout: the same statement can succeed later.
DATABASE_ERRORS = (OperationalError, InterfaceError)
# SMTP answers and socket errors (refused, reset, timed out) while sending mail.
NETWORK_ERRORS = (SMTPException, ConnectionError, TimeoutError)
TRANSIENT_ERRORS = DATABASE_ERRORS + NETWORK_ERRORS
