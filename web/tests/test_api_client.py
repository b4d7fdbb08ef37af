"""The site's API client against a real server: separate deployments, failures."""

import socket

from web.tests.dom import parse


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_site_can_read_an_api_deployed_elsewhere(client, settings, site_server):
    # This test process serves the site; the `make run` server is "the API".
    settings.WEB_API_URL = f"{site_server.url}/graphql"  # no slash: added
    settings.FRONTEND_BASE_URL = site_server.site

    response = client.get("/site/blog/every-block/")

    assert response.status_code == 200
    page = parse(response.content.decode())
    assert [h.text for h in page.find_all("h1")] == ["Every block, once"]
    image = page.find("figure", class_="block block--image").find("img")
    # Media URLs from the API live on the API's server.
    assert image["src"].startswith(f"{site_server.url}/media/images/")
    assert image["srcset"].startswith(f"{site_server.url}/media/images/")
    paragraph = page.find("div", class_="block block--paragraph")
    assert paragraph.find_all("a")[0]["href"] == (
        "/site/blog/physical-therapy-or-personal-training/"
    )


def test_an_api_that_does_not_answer_gets_a_clear_503(client, settings):
    settings.WEB_API_URL = f"http://127.0.0.1:{closed_port()}/graphql/"
    settings.WEB_API_TIMEOUT_SECONDS = 2

    response = client.get("/site/blog/")
    preview = client.get(
        "/site/preview?contentType=content.ArticlePage&lookup=a&token=abc"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    # Outside DEBUG only this site and the admin's origin may frame it.
    assert response["Content-Security-Policy"] == (
        "frame-ancestors 'self' http://localhost:8000; object-src 'none'; "
        "base-uri 'self'"
    )
    assert [h.text for h in parse(response.content.decode()).find_all("h1")] == [
        "Content is unavailable"
    ]
    assert preview.status_code == 503
    assert [h.text for h in parse(preview.content.decode()).find_all("h1")] == [
        "Preview unavailable"
    ]
    suggestions = client.get("/site/search/suggestions?prefix=phys")
    assert (suggestions.status_code, suggestions.json()) == (
        503,
        {"error": "unavailable"},
    )
