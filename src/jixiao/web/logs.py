"""Logging for the web app: a refused request is a normal event, not a crash."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Keep the one-line "Forbidden (Permission denied): /path" record but drop its traceback:
    Django logs every PermissionDenied with the exception attached, which buries real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
