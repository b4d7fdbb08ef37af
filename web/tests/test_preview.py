"""The admin's preview panel opens the site's /preview route after `make run`.

Tokens are issued the way the admin issues them (``HeadlessPreviewMixin``
snapshots the edited object and signs a token), by a script run in the
server's own environment; the site then reads the draft through the API with
``X-Preview-Token``. The browser test (test_e2e_site.py) drives the admin.
"""

import json
from urllib.parse import quote

import pytest

from web.tests.dom import operation_id, parse

EXPIRED = (
    "This preview link is invalid or has expired. Reopen the preview from the "
    "admin to get a fresh link."
)
# Runs inside `manage.py shell` on the server (not imported by the site):
# edit an object without saving it and print the admin's preview URL, with
# the token's clock moved back by ``age`` seconds.
TOKEN_SCRIPT = """
import time
from django.apps import apps
from cms.preview import create_preview_token, frontend_preview_url
from wagtail.models import Site

model = apps.get_model({label!r})
if {lookup!r}:
    obj = model.objects.get(slug={lookup!r})
else:
    obj = Site.objects.get(is_default_site=True).root_page.specific
obj = getattr(obj, "specific", obj)
for name, value in {changes!r}.items():
    setattr(obj, name, value)
real = time.time
time.time = lambda: real() - {age}
try:
    token = create_preview_token(obj)
finally:
    time.time = real
print("URL=" + frontend_preview_url(obj, token))
"""


def preview_url(site_server, label, lookup, changes, age=0) -> str:
    output = site_server.shell(
        TOKEN_SCRIPT.format(label=label, lookup=lookup, changes=changes, age=age)
    )
    return next(line[4:] for line in output.splitlines() if line.startswith("URL="))


def open_preview(site_server, url, status):
    assert url.startswith(site_server.url)
    response = site_server.get(url[len(site_server.url) :])
    assert response.status == status, response.text[:2000]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    return response, parse(response.text)


def h1(page) -> list[str]:
    return [h.text for h in page.find_all("h1")]


def test_make_run_points_the_admins_preview_at_the_site(site_server):
    # runserver's FRONTEND_BASE_URL, which builds the admin's preview URLs,
    # shows in the page URLs the API answers with.
    article_id = operation_id("ArticleDetail")
    variables = '{"slug":"physical-therapy-or-personal-training"}'
    response = site_server.get(
        f"/graphql/?id={article_id}&variables={quote(variables)}"
    )
    url = json.loads(response.text)["data"]["article"]["url"]

    assert url == (
        f"http://127.0.0.1:{site_server.port}/site/blog/"
        "physical-therapy-or-personal-training/"
    )
    assert site_server.get(url[len(site_server.url) :]).status == 200
    preview = site_server.get(
        "/site/preview?contentType=content.ArticlePage&lookup=x&token=y"
    )
    assert preview.status == 403


def test_article_preview_shows_the_unsaved_draft_and_the_live_page_does_not(
    site_server,
):
    url = preview_url(
        site_server,
        "content.ArticlePage",
        "physical-therapy-or-personal-training",
        {"title": "Draft: PT or personal training?", "subtitle": "Drafted."},
    )
    start = site_server.log_size()
    response, page = open_preview(site_server, url, 200)

    assert h1(page) == ["Draft: PT or personal training?"]
    assert page.find("p", class_="lead").text == "Drafted."
    assert page.find("meta", name="robots")["content"] == "noindex, nofollow"
    assert page.find("div", class_="preview-banner").text.startswith("Draft preview.")
    assert (
        "frame-ancestors 'self' http://localhost:8000"
        in (response.headers["Content-Security-Policy"])
    )
    # The same operation as the live page, by id, with the token, over POST.
    logged = site_server.requests_since(start, api_calls=2)
    api_calls = [r for r in logged if "/graphql/" in r]
    assert api_calls == [
        "POST /graphql/",
        f"GET /graphql/?id={operation_id('OrganisationSettings')}",
    ]
    live = parse(
        site_server.get("/site/blog/physical-therapy-or-personal-training/").text
    )
    assert h1(live) == ["Physical Therapy or Personal Training?"]


def test_comparison_table_preview(site_server):
    url = preview_url(
        site_server,
        "content.ComparisonTable",
        "physical-therapists-vs-personal-trainers",
        {"title": "PTs vs trainers (draft)"},
    )
    _, page = open_preview(site_server, url, 200)

    assert h1(page) == ["PTs vs trainers (draft)"]
    assert len(page.find("main").find_all("table")) == 1
    live = parse(
        site_server.get("/site/compare/physical-therapists-vs-personal-trainers/").text
    )
    assert h1(live) == ["Physical Therapists vs Personal Trainers"]


def test_trainer_profile_preview(site_server):
    url = preview_url(
        site_server,
        "content.TrainerProfilePage",
        "maya-lindqvist",
        {"title": "Maya Lindqvist (draft)", "headline": "A drafted headline"},
    )
    _, page = open_preview(site_server, url, 200)

    assert h1(page) == ["Maya Lindqvist (draft)"]
    assert page.find("p", class_="lead").text == "A drafted headline"
    live = parse(site_server.get("/site/trainers/maya-lindqvist/").text)
    assert h1(live) == ["Maya Lindqvist"]


def test_home_page_preview(site_server):
    url = preview_url(
        site_server, "home.HomePage", "", {"hero_heading": "A drafted hero"}
    )
    _, page = open_preview(site_server, url, 200)

    assert h1(page) == ["A drafted hero"]


@pytest.mark.parametrize(
    ("tamper", "description"),
    [
        (lambda url: url[:-1] + ("A" if url[-1] != "A" else "B"), "forged"),
        (
            lambda url: url.replace("content.ArticlePage", "content.ComparisonTable"),
            "other type",
        ),
        (lambda url: url.replace("lookup=physical", "lookup=other"), "other page"),
        (lambda url: url.split("&token=")[0] + "&token=%E2%9C%93", "not a token"),
        (lambda url: url.split("&token=")[0], "no token"),
    ],
)
def test_bad_tokens_get_a_clear_message(site_server, tamper, description):
    url = preview_url(
        site_server,
        "content.ArticlePage",
        "physical-therapy-or-personal-training",
        {"title": "Never shown"},
    )
    response, page = open_preview(site_server, tamper(url), 403)

    assert h1(page) == ["Preview link expired"]
    assert page.find("main").find_all("p")[0].text == EXPIRED
    assert "Never shown" not in response.text


def test_an_expired_token_gets_a_clear_message(site_server):
    url = preview_url(
        site_server,
        "content.ArticlePage",
        "physical-therapy-or-personal-training",
        {"title": "Too late"},
        age=3601,
    )
    response, page = open_preview(site_server, url, 403)

    assert h1(page) == ["Preview link expired"]
    assert page.find("main").find_all("p")[0].text == EXPIRED
    assert "Too late" not in response.text


def test_unknown_content_type_gets_a_clear_message(site_server):
    response, page = open_preview(
        site_server,
        f"{site_server.url}/site/preview?contentType=content.Author&lookup=x&token=y",
        400,
    )

    assert h1(page) == ["No preview for this content"]
