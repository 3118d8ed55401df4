import logging
import re

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
