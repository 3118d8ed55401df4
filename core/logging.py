import logging
import re
import time

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class RedactPersonalDataFilter(logging.Filter):
    """Masks email addresses in log lines: logs travel to places supporters' data must not.

    Code must still never log an address or a name; this is the net under that rule."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = EMAIL_PATTERN.sub("[email]", message)
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
