"""Every page type of the reference site, rendered from the API by `make run`.

The server (conftest.py) holds the demo content plus one article with every
body block and five short notes. Assertions read the HTML as a visitor would.
"""

import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from web.tests.dom import operation_id, parse

ROOT = Path(__file__).resolve().parents[2]
SEED = Path("/work/shared/seed/physical-therapy-or-personal-training.txt")
SEED_SLUG = "physical-therapy-or-personal-training"
SOCIAL = [
    "Check us out on Facebook!",
    "Check us out on Instagram!",
    "Check us out on YouTube!",
    "Check us out on Google!",
    "Check us out on Jane App!",
]
BOOKING = "https://dynamicphysicaltherapy.janeapp.com/"


def seed_file() -> Path:
    # The shared folder sits beside the checkout (CI: a copy beside the clone).
    for candidate in (ROOT.parent / "shared" / "seed" / SEED.name, SEED):
        if candidate.exists():
            return candidate
    pytest.skip("the seed article (shared/seed) is not beside this checkout")


def get_page(site_server, path, status=200):
    response = site_server.get(path)
    assert response.status == status, response.text[:2000]
    return response, parse(response.text)


# --- layout -----------------------------------------------------------------------


def test_home_page_renders_the_hero_features_and_organisation_settings(site_server):
    response, page = get_page(site_server, "/site/")

    assert [h.text for h in page.find_all("h1")] == [
        "Physical therapy and training, working as a team"
    ]
    main = page.find("main")
    assert [h.text for h in main.find_all("h2")] == [
        "Featured articles",
        "Our partner trainers",
        "Start with a physical therapist",
    ]
    assert [a["href"] for a in main.find_all("a") if a.text.startswith("Physical")] == [
        f"/site/blog/{SEED_SLUG}/"
    ]
    assert [h.text for h in main.find_all("h3")] == [
        "Physical Therapy or Personal Training?",
        "Maya Lindqvist",
        "Jonah Kowalski",
        "Priya Reyes",
    ]
    hero = main.find("img", alt="Abstract blue-green gradient")
    assert hero["srcset"] == (
        "/media/images/demo-home-hero.width-400.png 400w, "
        "/media/images/demo-home-hero.width-800.png 800w, "
        "/media/images/demo-home-hero.width-1200.png 1200w"
    )
    # Header and footer come from the organisation settings.
    header = page.find("header")
    assert header.find("a", class_="site-name").text == "Dynamic Physical Therapy"
    assert header.find("a", class_="button button--book")["href"] == BOOKING
    social = page.find("nav", aria_label="Social media")
    assert [(a.text, a["href"]) for a in social.find_all("a")] == [
        (SOCIAL[0], "https://www.facebook.com/dynamicphysicaltherapy"),
        (SOCIAL[1], "https://www.instagram.com/dynamicphysicaltherapy"),
        (SOCIAL[2], "https://www.youtube.com/@dynamicphysicaltherapy"),
        (SOCIAL[3], "https://g.page/dynamicphysicaltherapy"),
        (SOCIAL[4], BOOKING),
    ]
    assert page.find("footer").find("address").text == "Wisconsin Rapids, WI"


def test_pages_are_cacheable_set_no_cookie_and_may_be_framed_by_the_admin(
    site_server,
):
    response, _ = get_page(site_server, "/site/blog/")

    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Content-Security-Policy"] == (
        "frame-ancestors 'self' http://localhost:8000 http://localhost:* "
        "http://127.0.0.1:*; object-src 'none'; base-uri 'self'"
    )
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    # An article with open comments carries this reader's single-use form
    # token: no shared cache may keep it (and it sets no cookie either).
    article, _ = get_page(site_server, f"/site/blog/{SEED_SLUG}/")
    assert article.headers["Cache-Control"] == "private, no-store"
    assert "X-Robots-Tag" not in article.headers
    assert "Set-Cookie" not in article.headers
    assert (
        article.headers["Content-Security-Policy"]
        == (response.headers["Content-Security-Policy"])
    )


def test_pages_read_the_api_by_persisted_query_gets(site_server):
    start = site_server.log_size()
    _, page = get_page(site_server, f"/site/blog/{SEED_SLUG}/")

    variables = json.dumps({"slug": SEED_SLUG}, separators=(",", ":"))
    requests = site_server.requests_since(start, api_calls=3)
    api_calls = [r for r in requests if "/graphql/" in r]
    assert [(r.split()[0], urlsplit(r.split()[1]).path) for r in api_calls] == [
        ("GET", "/graphql/"),
        ("GET", "/graphql/"),
        ("GET", "/graphql/"),
    ]
    queries = [parse_qs(urlsplit(r.split()[1]).query) for r in api_calls]
    assert queries == [
        {"id": [operation_id("ArticleDetail")], "variables": [variables]},
        {"id": [operation_id("ArticleEngagement")], "variables": [variables]},
        {"id": [operation_id("OrganisationSettings")]},
    ]
    # Those GETs are what the API's caches (and an edge) keep.
    api = site_server.get(api_calls[0].split()[1])
    assert api.headers["Cache-Control"] == "public, max-age=60"
    assert api.headers["ETag"].startswith('"')
    # Plus one form token for the comment form, from the API's form URL
    # (never cached: each reader gets their own).
    article_id = page.find("article", class_="article")["data-article-id"]
    form_gets = [r for r in requests if r.startswith("GET /api/comments/form/")]
    assert form_gets == [f"GET /api/comments/form/?article={article_id}"]


# --- articles ---------------------------------------------------------------------


def test_seed_article_reads_like_the_clinics_original_post(site_server):
    _, page = get_page(site_server, f"/site/blog/{SEED_SLUG}/")
    noise = {"top of page", "bottom of page", "105 views0 comments"}
    lines = [
        line.strip()
        for line in seed_file().read_text(encoding="utf-8").splitlines()
        if line.strip() and line.strip() not in noise
    ]
    # The original's table reads column by column; the page reads it by row.
    first, last = (
        lines.index("Physical Therapists"),
        lines.index(
            "None- May hold individual certifications from continuing education "
            "courses they attend."
        ),
    )
    table_lines = lines[first : last + 1]
    text = page.find("main").text + " " + page.find("footer").text

    position, out_of_order = 0, []
    for line in lines[:first] + lines[last + 1 :]:
        found = text.find(line, position)
        if found < 0:
            out_of_order.append(line)
        else:
            position = found + len(line)
    table = page.find("table").text
    assert out_of_order == []
    assert [line for line in table_lines if line not in table] == []
    assert len(lines) == 39


def test_seed_article_page_structure(site_server):
    _, page = get_page(site_server, f"/site/blog/{SEED_SLUG}/")
    article = page.find("main").find("article")

    assert [h.text for h in page.find_all("h1")] == [
        "Physical Therapy or Personal Training?"
    ]
    assert [h.text for h in article.find_all("h2")] == [
        "A complicated question:",
        "Physical Therapy",
        "Closing Remarks:",
        "Build your team",
        "Some of our partner trainers",
        "About the author",
        "Credentials mentioned",
    ]
    quote = article.find("figure", class_="block callout callout--quote")
    assert quote.find("p", class_="callout__lead-in").text == (
        "A common question we hear is:"
    )
    assert quote.find("blockquote").text == (
        '“What is the difference between Physical Therapy and Personal Training?"'
    )
    assert [
        li.text
        for li in article.find("ol", class_="spectrum__stages").children
        if not isinstance(li, str)
    ] == [
        "Medical care Led by: Primary care physician Cancer, cardiac disease, "
        "bone fracture etc.",
        "Physical therapy Led by: Physical therapist Entering or exiting medical "
        "care, working back into fitness.",
        "Fitness and performance Led by: Coach and/or personal trainer Healthy "
        "and looking to enhance performance.",
    ]
    table = article.find("table")
    assert table.find("caption").text == "Physical Therapists vs Personal Trainers"
    assert [th.text for th in table.find_all("th", scope="col")] == [
        "Physical Therapists",
        "Personal Trainers",
    ]
    assert [th.text for th in table.find_all("th", scope="row")] == [
        "Educational Minimal Requirements:",
        "Ongoing Education",
        "Advanced Training",
    ]
    assert len(table.find_all("td")) == 7  # one corner + two cells per row
    cta = article.find("section", class_="block cta")
    assert cta.find("a")["href"] == BOOKING
    assert cta.find("a").text == "Book on Jane App"
    featured = article.find("section", class_="block featured-trainers")
    assert [(a.text, a["href"]) for a in featured.find_all("a")] == [
        ("Maya Lindqvist", "/site/trainers/maya-lindqvist/"),
        ("Jonah Kowalski", "/site/trainers/jonah-kowalski/"),
        ("Priya Reyes", "/site/trainers/priya-reyes/"),
    ]
    hero = article.find(
        "img", alt="Abstract teal-to-green gradient with a white circle"
    )
    assert hero["srcset"].count("w, ") == 2


def test_article_renders_every_body_block_type(site_server):
    _, page = get_page(site_server, "/site/blog/every-block/")
    body = page.find("div", class_="article__body")

    assert [h.text for h in body.find_all("h2")] == [
        "Every block",
        "Read the original",
        "Two partners",
    ]
    assert [h.text for h in body.find_all("h3")] == [
        "A smaller heading",
        "Jonah Kowalski",
        "Maya Lindqvist",
    ]
    paragraph = body.find("div", class_="block block--paragraph")
    assert [(a.text, a["href"]) for a in paragraph.find_all("a")] == [
        ("the original post", f"/site/blog/{SEED_SLUG}/"),
        ("an outside guide", "https://www.example.org/guide"),
    ]
    tip = body.find("div", role="note")
    assert tip.text == "Tip: Warm up before you lift."
    image = body.find("figure", class_="block block--image")
    img = image.find("img")
    assert img["alt"] == "A gradient standing in for a clinic photo"
    assert img["srcset"].split(", ")[0].endswith(" 400w")
    assert img["loading"] == "lazy"
    assert image.find("figcaption").text == "The clinic, in abstract."
    embed = body.find("figure", class_="block embed")
    assert embed.find("a")["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert embed.find("a").text == "▶ Watch the video: Five stretches for runners"
    assert len(body.find_all("iframe")) == 0  # nothing loads before a click
    spectrum = body.find("figure", class_="block spectrum")
    assert spectrum.find("figcaption").text == "From rehab to performance"
    assert len(spectrum.find_all("li")) == 2
    tables = body.find_all("table")
    assert [t.find("caption").text for t in tables] == [
        "Physical Therapists vs Personal Trainers",
        "Clinic or gym?",
    ]
    inline = tables[1]
    assert [th.text for th in inline.find_all("th")] == [
        "Clinic",
        "Gym",
        "Who is it for",
    ]
    assert [td.text for td in inline.find_all("td")] == [
        "",
        "The injured",
        "The healthy",
    ]
    cta = body.find("section", class_="block cta")
    assert (cta.find("a").text, cta.find("a")["href"]) == (
        "Open the post",
        f"/site/blog/{SEED_SLUG}/",
    )
    featured = body.find("section", class_="block featured-trainers")
    assert [a.text for a in featured.find_all("a")] == [
        "Jonah Kowalski",
        "Maya Lindqvist",
    ]


def test_article_list_pages_and_filters_by_tag(site_server):
    _, first = get_page(site_server, "/site/blog/")
    _, second = get_page(site_server, "/site/blog/?page=2")
    _, tagged = get_page(site_server, "/site/blog/?tag=blocks")

    main = first.find("main")
    assert [h.text for h in first.find_all("h1")] == ["Articles"]
    assert len(main.find("ul", class_="cards").find_all("h2")) == 6
    assert len(second.find("main").find("ul", class_="cards").find_all("h2")) == 1
    pages = main.find("nav", aria_label="Article pages")
    assert pages.text == "Page 1 of 2 Next page"
    assert pages.find("a")["href"] == "?page=2"
    assert main.find("p", id="article-count").text == "7 articles"
    tags = main.find("nav", aria_label="Tags")
    assert [a.text for a in tags.find_all("a")] == [
        "All",
        "blocks",
        "education",
        "notes",
        "personal training",
        "physical therapy",
    ]
    assert [h.text for h in tagged.find_all("h1")] == ["Articles tagged “blocks”"]
    assert [h.text for h in tagged.find("ul", class_="cards").find_all("h2")] == [
        "Every block, once"
    ]
    current = tagged.find("nav", aria_label="Tags").find("a", aria_current="page")
    assert current.text == "blocks"
    assert first.find("nav", aria_label="Main").find("a", aria_current="page").text == (
        "Articles"
    )


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/site/blog/?page=0", 400, "That request did not work"),
        ("/site/blog/?page=abc", 400, "That request did not work"),
        ("/site/blog/?page=3", 404, "Page not found"),
        ("/site/blog/?tag=no-such-tag", 404, "Page not found"),
        ("/site/blog/?tag=%3Cb%3E", 400, "That request did not work"),
        ("/site/blog/no-such-article/", 404, "Page not found"),
        ("/site/compare/no-such-table/", 404, "Page not found"),
        ("/site/trainers/no-such-trainer/", 404, "Page not found"),
        ("/site/trainers/?lat=91&lng=0", 400, "That request did not work"),
        ("/site/trainers/?lat=abc&lng=0", 400, "That request did not work"),
        ("/site/trainers/?lat=43", 400, "That request did not work"),
        (
            "/site/trainers/?specialty=no-such-specialty",
            400,
            "That request did not work",
        ),
        ("/site/trainers/?near=Atlantis", 400, "That request did not work"),
        ("/site/trainers/?near=Atlantis,+XX", 400, "That request did not work"),
        ("/site/trainers/?radius=7", 400, "That request did not work"),
        ("/site/trainers/?service=TELEPATHY", 400, "That request did not work"),
        ("/site/search/?type=everything", 400, "That request did not work"),
    ],
)
def test_bad_input_gets_a_clear_4xx_page(site_server, path, status, title):
    response, page = get_page(site_server, path, status)

    assert [h.text for h in page.find_all("h1")] == [title]
    assert response.headers["Cache-Control"] == "no-store"


# --- comparison tables, trainers, search -------------------------------------------


def test_comparison_table_page_is_a_real_table(site_server):
    _, page = get_page(
        site_server, "/site/compare/physical-therapists-vs-personal-trainers/"
    )

    assert [h.text for h in page.find_all("h1")] == [
        "Physical Therapists vs Personal Trainers"
    ]
    table = page.find("main").find("table")
    assert [th.text for th in table.find("thead").find_all("th")] == [
        "Physical Therapists",
        "Personal Trainers",
    ]
    rows = table.find("tbody").find_all("tr")
    assert [row.find("th")["scope"] for row in rows] == ["row", "row", "row"]
    assert rows[1].find_all("td")[0].text == (
        "Must maintain licensure requirements of at least 60 hours every 2 years. "
        "This will vary by state but is the current requirement in Wisconsin"
    )
    sources = page.find("main").find("ul", class_="sources").find_all("li")
    assert [li.text for li in sources] == [
        "Commission on Accreditation in Physical Therapy Education (CAPTE)",
        "National Physical Therapy Examination (Federation of State Boards of "
        "Physical Therapy)",
    ]


def test_trainer_directory_lists_filters_and_facets(site_server):
    _, page = get_page(site_server, "/site/trainers/")
    main = page.find("main")

    assert [h.text for h in page.find_all("h1")] == ["Find a partner trainer"]
    assert main.find("h2").text == "24 trainers"
    assert [h.text for h in main.find_all("h3")] == [
        "Aisha Fischer",
        "Andre Vang",
        "Caleb Raman",
        "Diego Mensah",
        "Elena Hoffmann",
        "Felix Quinn",
        "Grace Okafor",
        "Hannah Moreau",
        "Ingrid Haddad",
        "Jonah Kowalski",
    ]
    labels = [label.text for label in main.find("form").find_all("label")]
    assert labels[3:10] == [
        "Mobility and flexibility (5)",
        "Older adults (10)",
        "Post-rehab (5)",
        "Prenatal and postpartum (8)",
        "Sports performance (9)",
        "Strength and conditioning (6)",
        "Youth athletes (7)",
    ]
    cities = [o.text for o in main.find("select", id="f-near").find_all("option")]
    assert cities == [
        "Anywhere",
        "Appleton, WI",
        "Eau Claire, WI",
        "Green Bay, WI",
        "Janesville, WI",
        "Kenosha, WI",
        "La Crosse, WI",
        "Madison, WI",
        "Middleton, WI",
        "Milwaukee, WI",
        "Oshkosh, WI",
        "Racine, WI",
        "Sun Prairie, WI",
        "Waukesha, WI",
        "Wausau, WI",
    ]
    assert main.find("nav", aria_label="Trainer pages").text == (
        "Page 1 of 3 Next page"
    )
    # "Use my location" is offered by site.js only where the browser can.
    assert "hidden" in main.find("button", data_near_me=True).attrs


def test_trainer_directory_filters_keep_every_option_with_current_counts(
    site_server,
):
    _, page = get_page(
        site_server, "/site/trainers/?specialty=older-adults&credential=pt"
    )
    main = page.find("main")

    assert main.find("h2").text == "4 trainers"
    assert [h.text for h in main.find_all("h3")] == [
        "Ingrid Haddad",
        "Mateo Yang",
        "Mei Dubois",
        "Tomas Brandt",
    ]
    checked = [i["value"] for i in main.find_all("input", checked=True)]
    assert checked == ["older-adults", "pt"]
    labels = {label.text for label in main.find_all("label")}
    assert "Older adults (4)" in labels
    assert "Youth athletes (0)" in labels
    assert "PT (4)" in labels


def test_trainer_directory_near_a_chosen_city_orders_by_distance(site_server):
    _, page = get_page(site_server, "/site/trainers/?near=Madison%2C+WI&radius=25")
    main = page.find("main")

    assert main.find("h2").text == "4 trainers within 25 km of Madison, WI"
    cards = main.find("ul", class_="cards").find_all("li")
    assert [(c.find("h3").text, c.find_all("p")[1].text) for c in cards] == [
        ("Maya Lindqvist", "Madison, WI · 0.0 km (0.0 mi) away"),
        ("Caleb Raman", "Madison, WI · 0.0 km (0.0 mi) away"),
        ("Omar Nakamura", "Middleton, WI · 8.8 km (5.5 mi) away"),
        ("Sofia Larsen", "Sun Prairie, WI · 19.6 km (12.2 mi) away"),
    ]
    assert main.find("option", selected=True, value="DISTANCE").text == "Distance"


def test_trainer_directory_near_a_browser_position(site_server):
    _, page = get_page(
        site_server, "/site/trainers/?lat=43.0731&lng=-89.4012&radius=10"
    )
    main = page.find("main")

    assert main.find("h2").text == "3 trainers within 10 km of you"
    assert [h.text for h in main.find_all("h3")] == [
        "Maya Lindqvist",
        "Caleb Raman",
        "Omar Nakamura",
    ]


def test_trainer_directory_pages(site_server):
    _, page = get_page(site_server, "/site/trainers/?page=3")
    main = page.find("main")

    assert [h.text for h in main.find_all("h3")] == [
        "Priya Reyes",
        "Ruth Weber",
        "Sofia Larsen",
        "Tomas Brandt",
    ]
    assert main.find("nav", aria_label="Trainer pages").text == (
        "Previous page Page 3 of 3"
    )


def test_trainer_profile(site_server):
    _, page = get_page(site_server, "/site/trainers/maya-lindqvist/")
    main = page.find("main")

    assert [h.text for h in page.find_all("h1")] == ["Maya Lindqvist"]
    assert [h.text for h in main.find_all("h2")] == [
        "Contact and booking",
        "About",
        "Specialties",
        "Credentials",
        "Education",
    ]
    assert main.find("p", class_="status status--open").text == (
        "Accepting new clients"
    )
    rows = main.find("table").find("tbody").find_all("tr")
    assert [row.text for row in rows] == [
        "NSCA-CSCS Certified Strength and Conditioning Specialist National "
        "Strength and Conditioning Association WI-000007-0 2019-03-01 Does not "
        "expire Current",
        "CPR/AED CPR and AED American Red Cross or American Heart Association "
        "WI-000007-1 2025-03-01 2027-03-01 Current",
    ]
    assert main.find("a", class_="button")["href"] == (
        "https://example.com/book/maya-lindqvist"
    )
    assert [li.text for li in main.find_all("ul")[2].find_all("li")] == [
        "BA in Health Promotion, Carroll University"
    ]


def test_search_shows_results_and_suggestions(site_server):
    _, page = get_page(site_server, "/site/search/?q=licensure+Wisconsin")
    main = page.find("main")

    assert [h.text for h in page.find_all("h1")] == ["Search"]
    assert main.find("form", role="search").find("input")["value"] == (
        "licensure Wisconsin"
    )
    results = main.find("ol", class_="results")
    assert [(a.text, a["href"]) for a in results.find_all("a")] == [
        (
            "Physical Therapists vs Personal Trainers",
            "/site/compare/physical-therapists-vs-personal-trainers/",
        ),
        ("Physical Therapy or Personal Training?", f"/site/blog/{SEED_SLUG}/"),
    ]
    assert [m.text for m in results.find_all("mark")] == ["licensure", "licensure"]
    assert main.find("h2", id="results-heading").text == (
        "2 results for “licensure Wisconsin”"
    )


def test_search_suggests_titles_for_a_prefix(site_server):
    _, page = get_page(site_server, "/site/search/?q=phys")
    suggestions = page.find("nav", class_="suggestions")

    assert [(a.text, a["href"]) for a in suggestions.find_all("a")] == [
        (
            "Physical Therapists vs Personal Trainers",
            "/site/compare/physical-therapists-vs-personal-trainers/",
        ),
        ("Physical Therapy or Personal Training?", f"/site/blog/{SEED_SLUG}/"),
    ]
    typeahead = site_server.get("/site/search/suggestions?prefix=clin")
    assert typeahead.status == 200
    assert typeahead.headers["Cache-Control"] == "public, max-age=60"
    assert json.loads(typeahead.text) == {
        "suggestions": [
            {
                "title": f"Clinic note {n}",
                "type": "ARTICLE",
                "url": f"/site/blog/note-{n}/",
            }
            for n in range(1, 6)
        ]
    }
    assert site_server.get("/site/search/suggestions?prefix=").status == 400


def test_pages_answer_get_and_head_only(site_server):
    request = urllib.request.Request(f"{site_server.site}/", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)

    assert refused.value.code == 405
    head = urllib.request.Request(f"{site_server.site}/", method="HEAD")
    with urllib.request.urlopen(head, timeout=60) as response:
        assert (response.status, response.read()) == (200, b"")
