"""``info.context`` is one typed RequestContext, not attributes on the request."""

import json
from types import SimpleNamespace

import graphene
import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from cms import selectors
from cms.graphql.context import RequestContext
from cms.graphql.pipeline import execute
from cms.graphql.view import PublicGraphQLView
from content.richtext.selectors import link_resolver

SEEN = {}


class Probe(graphene.ObjectType):
    token = graphene.String()
    collections = graphene.Int()

    def resolve_token(self, info):
        SEEN["context"] = info.context
        return info.context.headers.get("X-Preview-Token")

    def resolve_collections(self, info):
        # Twice: the second read comes from the context.
        selectors.request_private_collection_ids(info.context)
        return len(selectors.request_private_collection_ids(info.context))


def run(query: str, **headers):
    request = RequestFactory().post(
        "/graphql/", json.dumps({"query": query}), "application/json", **headers
    )
    view = PublicGraphQLView.as_view(schema=graphene.Schema(query=Probe))
    return request, json.loads(view(request).content)


@pytest.fixture(autouse=True)
def _forget_seen():
    SEEN.clear()


def test_resolvers_get_a_request_context_that_reads_as_the_request(
    settings, monkeypatch
):
    settings.GRAPHQL_REQUEST_TIMEOUT_MS = 2000
    monkeypatch.setattr(execute, "_clock", lambda: 50.0)

    request, body = run("{ token }", HTTP_X_PREVIEW_TOKEN="abc")

    assert body == {"data": {"token": "abc"}}
    context = SEEN["context"]
    assert type(context) is RequestContext
    assert context.request is request
    assert isinstance(context, HttpRequest)
    assert context.build_absolute_uri("/x") == "http://testserver/x"
    assert context.deadline == 52.0
    assert isinstance(context.visibility, selectors.Visibility)
    assert context.loaders == {}


def test_no_deadline_when_the_timeout_is_off(settings):
    settings.GRAPHQL_REQUEST_TIMEOUT_MS = 0

    run("{ token }")

    assert SEEN["context"].deadline is None


@pytest.mark.django_db
def test_per_request_state_stays_on_the_context_not_the_request(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):  # restricted collections, read once
        request, body = run("{ collections }")

    assert body == {"data": {"collections": 0}}
    assert "_private_collection_ids" not in vars(request)


@pytest.mark.django_db
def test_the_link_resolver_and_collections_are_kept_on_the_typed_fields():
    request = RequestFactory().get("/graphql/")
    context = RequestContext(request)
    info = SimpleNamespace(context=context)

    resolver = link_resolver(info)
    ids = selectors.request_private_collection_ids(context)

    assert link_resolver(info) is resolver is context.link_resolver
    assert selectors.request_private_collection_ids(context) is ids
    assert context.private_collection_ids is ids
    assert context.loaders == {}
    assert (
        vars(request)
        .keys()
        .isdisjoint(
            {"link_resolver", "private_collection_ids", "_content_link_resolver"}
        )
    )


def test_other_attributes_are_the_requests():
    request = RequestFactory().get("/graphql/")
    context = RequestContext(request)

    context._wagtail_site = "site"  # what Site.find_for_request caches

    assert request._wagtail_site == "site"
    assert context._wagtail_site == "site"
    assert context.get_host() == "testserver"
    assert not hasattr(context, "_not_there")
