"""Gunicorn settings for the Procfile's `web` process: `gunicorn -c config/gunicorn.py config.wsgi ...`.

Log times in UTC. Without this, the master's lines carry the machine's zone while the workers' lines
and the access log carry TIME_ZONE (Django sets TZ from it when a worker loads the settings), so
one `make run` console mixed +0000 and -0500.

The access log names every request's path, and a private link's path holds its token (a donor's
one-time portal link, a letter's status page): its lines go through the redaction filter Django's
own log lines go through. Gunicorn loads this file by path after putting the project's folder on
sys.path; core.logging imports only the standard library, so the master stays free of Django."""

import time

from gunicorn.glogging import Logger

from core.logging import RedactPersonalDataFilter


class UTCLogger(Logger):
    """Gunicorn's own logger with its error-log and access-log times in UTC, and its access log
    redacted (core.logging.RedactPersonalDataFilter: tokens, query strings, email addresses)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if handler.formatter is not None:
                    handler.formatter.converter = time.gmtime
        for handler in self.access_log.handlers:
            handler.addFilter(RedactPersonalDataFilter())

    def now(self):
        """The access log's %(t)s, in Apache Common Log Format."""
        return time.strftime("[%d/%b/%Y:%H:%M:%S %z]", time.gmtime())


logger_class = UTCLogger
