"""The ``LOGGING`` setting: plain text lines, or one JSON object per line.

``LOG_FORMAT=json`` (read in ``base.py``) makes every record one JSON object
on one line, written by python-json-logger: ``timestamp`` (ISO 8601, UTC),
``level``, ``logger``, ``message``, ``exc_info`` (the formatted traceback, as
one string) when there is one, and any ``extra`` fields of the record. Quotes,
backslashes and newlines in messages and tracebacks are escaped by the JSON
encoder, so a log collector can parse every line.
"""

LOG_FORMATS = ("plain", "json")


def logging_config(log_format: str = "plain", level: str = "INFO") -> dict:
    """A ``logging.config.dictConfig`` dictionary writing to standard error."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log_format must be one of {LOG_FORMATS}, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": ["levelname", "name", "message"],
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
                # Reserves the first key for the timestamp, added last.
                "defaults": {"timestamp": None},
            },
        },
        # Records logged while a request runs carry its request_id.
        "filters": {"request_id": {"()": "cms.request_log.RequestIdFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            "django.security.DisallowedHost": {"level": "ERROR"},
            # Wagtail runs search-index and reference-index updates as tasks.
            "django_tasks": {"level": "WARNING"},
        },
    }
