import logging
import re
import time
import traceback

EMAIL_PATTERN = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+\.[\w.-]+", re.IGNORECASE)
# A URL's query string: the geocoder's holds the street and city (urllib3 logs every URL at DEBUG).
QUERY_PATTERN = re.compile(r"\?[^\s\"']+")
# The private links' tokens (advocacy/urls.py, donations/urls.py: a letter's status page, the updates
# confirmation, a donor's one-time portal link), with or without a language prefix: a token is the
# key to its page, and Django names the path in its warnings (a failed CSRF check, a 404) as
# gunicorn's access log does in every line. tests/core/test_private_links_in_logs.py reverses them.
PRIVATE_LINK_PATTERN = re.compile(r"(/(?:act/status|act/updates|donate/manage)/)[^/\s?#\"']+")
# Request and answer bodies and error messages that Stripe's SDK logs (logfmt, values repr()'d when
# they hold spaces): post_data=... body=... error_message=...
BODY_PATTERN = re.compile(
    r"\b(post_data|body|error_message|error_description)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)"
)


class RedactPersonalDataFilter(logging.Filter):
    """Masks email addresses, private links' tokens, URL query strings and logged request bodies in
    log lines: logs travel to places supporters' data (and the keys to their pages) must not.

    Code must still never log an address or a name; this is the net under that rule. It is on the
    stdout handler, and on the loggers of the libraries that log what they send (urllib3, Stripe)
    and of Camino's modules that log tracebacks, so their records are clean before any handler
    sees them. Tracebacks keep their frames and exception classes, not the exceptions' messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = EMAIL_PATTERN.sub("[email]", message)
        redacted = PRIVATE_LINK_PATTERN.sub(r"\1[token]", redacted)
        redacted = QUERY_PATTERN.sub("?[query]", redacted)
        redacted = BODY_PATTERN.sub(r"\1=[withheld]", redacted)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            # Formatters print exc_text when it is set: the frames, and each exception's class only.
            record.exc_text = traceback_without_messages(record.exc_info[1])
        return True


def traceback_without_messages(exc: BaseException) -> str:
    """A traceback with every exception's message left out: an exception's words may quote what it
    was given (PostgreSQL's "Key (email)=(...) already exists", an office's answer, a URL)."""
    chain = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    parts = []
    for link in reversed(chain):
        kind = type(link)
        parts.append(
            "Traceback (most recent call last):\n"
            + "".join(traceback.format_tb(link.__traceback__))
            + f"{kind.__module__}.{kind.__qualname__}: [message withheld]"
        )
    return "\n\nThe above exception led to the following:\n\n".join(parts)


class UTCFormatter(logging.Formatter):
    """Log times in UTC, marked `+0000`, whatever TIME_ZONE says.

    Django sets the process's TZ from TIME_ZONE, so the default formatter writes New York times,
    while gunicorn's master writes the machine's zone; gunicorn logs in UTC too (config/gunicorn.py),
    so one `make run` console reads in one zone."""

    converter = time.gmtime
    default_msec_format = "%s,%03d +0000"
