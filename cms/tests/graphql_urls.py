"""Mounts the public view with the test-only schema, under the full middleware."""

from django.urls import path

from cms.graphql.view import PublicGraphQLView
from cms.tests.graphql_schema import schema

urlpatterns = [path("graphql/", PublicGraphQLView.as_view(schema=schema))]
