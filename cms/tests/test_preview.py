"""Signed, expiring, single-object preview tokens (cms/preview.py)."""

import time

import pytest
from django.test import RequestFactory
from wagtail.models import Page

from cms.graphql.errors import ApiError, ErrorCode
from cms.preview import create_preview_token, frontend_preview_url, resolve_preview
from home.models import HomePage


def _request(token=None):
    headers = {"HTTP_X_PREVIEW_TOKEN": token} if token else {}
    return RequestFactory().post("/graphql/", **headers)


def _draft_of(home):
    draft = HomePage.objects.get(pk=home.pk)
    draft.hero_heading = "Unpublished hero heading"
    return draft


def test_a_valid_token_returns_the_draft_state(home):
    token = create_preview_token(_draft_of(home))
    previewed = resolve_preview(_request(token), HomePage, home.slug)
    assert previewed.hero_heading == "Unpublished hero heading"
    assert HomePage.objects.get(pk=home.pk).hero_heading != "Unpublished hero heading"


def test_no_token_means_no_preview(home):
    assert resolve_preview(_request(), HomePage, home.slug) is None


def _rejections(home, settings):
    good = create_preview_token(_draft_of(home))
    flipped = good[:-3] + ("A" if good[-3] != "A" else "B") + good[-2:]
    cases = {
        "altered": (flipped, HomePage, home.slug),
        "forged": ("eyJzIjoxLCJjdCI6MX0:1abcde:forgedsignature", HomePage, home.slug),
        "garbage": ("not a token", HomePage, home.slug),
        "other page": (good, HomePage, "some-other-page"),
        "other type": (good, Page, home.slug),
    }
    return cases


@pytest.mark.parametrize(
    "case", ["altered", "forged", "garbage", "other page", "other type"]
)
def test_bad_tokens_are_all_rejected_the_same_way(home, settings, case):
    token, model, lookup = _rejections(home, settings)[case]
    with pytest.raises(ApiError) as excinfo:
        resolve_preview(_request(token), model, lookup)
    assert excinfo.value.extensions == {"code": ErrorCode.INVALID_PREVIEW_TOKEN}
    assert excinfo.value.message == "The preview token is invalid or has expired."


def test_an_expired_token_is_rejected_the_same_way(home, settings, monkeypatch):
    token = create_preview_token(_draft_of(home))
    settings.PREVIEW_TOKEN_TTL_SECONDS = 60
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    with pytest.raises(ApiError) as excinfo:
        resolve_preview(_request(token), HomePage, home.slug)
    assert excinfo.value.extensions == {"code": ErrorCode.INVALID_PREVIEW_TOKEN}


def test_preview_url_points_at_the_frontend(home, settings):
    settings.FRONTEND_BASE_URL = "https://www.example.org"
    url = frontend_preview_url(home, "tok")
    assert url.startswith("https://www.example.org/preview?")
    assert "contentType=home.HomePage" in url
    assert "token=tok" in url
