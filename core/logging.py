import logging
import re
import time

EMAIL_PATTERN = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+\.[\w.-]+", re.IGNORECASE)
# A URL's query string: the geocoder's holds the street and city (urllib3 logs every URL at DEBUG).
QUERY_PATTERN = re.compile(r"\?[^\s\"']+")
# Request and answer bodies that Stripe's SDK logs at DEBUG (logfmt: post_data=... body=...).
BODY_PATTERN = re.compile(r"\b(post_data|body)=(\"(?:[^\"\\]|\\.)*\"|\S+)")


class RedactPersonalDataFilter(logging.Filter):
    """Masks email addresses, URL query strings and logged request bodies in log lines: logs travel
    to places supporters' data must not.

    Code must still never log an address or a name; this is the net under that rule. It is on the
    stdout handler, and on the loggers of the libraries that log what they send (urllib3, Stripe),
    so their records are clean before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = EMAIL_PATTERN.sub("[email]", message)
        redacted = QUERY_PATTERN.sub("?[query]", redacted)
        redacted = BODY_PATTERN.sub(r"\1=[withheld]", redacted)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


class UTCFormatter(logging.Formatter):
    """Log times in UTC, marked `+0000`, whatever TIME_ZONE says.

    Django sets the process's TZ from TIME_ZONE, so the default formatter writes New York times,
    while gunicorn's master writes the machine's zone; gunicorn logs in UTC too (config/gunicorn.py),
    so one `make run` console reads in one zone."""

    converter = time.gmtime
    default_msec_format = "%s,%03d +0000"
