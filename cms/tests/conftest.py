"""Fixtures shared by the platform's tests."""

import logging
import logging.config
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.utils.log import configure_logging

from cms.graphql import persisted
from cms.graphql.pipeline import document
from cms.settings.logs import logging_config


@pytest.fixture
def json_log():
    """The ``LOG_FORMAT=json`` logging configuration, its console handler
    writing to the buffer this yields."""
    logging.config.dictConfig(logging_config("json", "INFO"))
    (handler,) = logging.getLogger().handlers
    buffer = StringIO()
    handler.setStream(buffer)
    yield buffer
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


@pytest.fixture
def debug_mode(settings):
    """DEBUG with introspection and GraphiQL: not production mode."""
    settings.DEBUG = True
    settings.GRAPHQL_INTROSPECTION = True
    settings.GRAPHQL_EXPOSE_GRAPHIQL = True


@pytest.fixture
def fresh_document_cache():
    """An empty parsed-document cache before and after the test."""
    document.document_cache.clear()
    yield document.document_cache
    document.document_cache.clear()


@pytest.fixture
def operations_dir(tmp_path, settings):
    """``GRAPHQL_OPERATIONS_DIR`` on an empty folder: the test writes its
    operation files, then calls ``persisted.reload_registry()``."""
    folder = tmp_path / "operations"
    folder.mkdir()
    settings.GRAPHQL_OPERATIONS_DIR = folder
    persisted.reload_registry()
    yield folder
    persisted.reload_registry()
