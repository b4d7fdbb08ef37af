"""No admin page of the project's models answers an editor with a 500.

Every admin view of every model is fetched as a member of the Editors group,
then add/edit forms are posted with invalid input: empty required fields,
bad URLs, wrong table cell counts, nonsense dates, unknown ids. The answer
must be a page (200), a redirect (302) or a refusal (403), never an error.
The Django test client re-raises server exceptions, so a crash fails loudly.
"""

from io import StringIO

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cms.editorial import ensure_groups
from content.articles.factories import (
    ArticlePageFactory,
    AuthorFactory,
    BlogIndexPageFactory,
)
from content.models import ArticlePage, Author, ComparisonTable, Credential
from content.tables.factories import ComparisonTableFactory
from home.demo import load_site

OK = (200, 302, 403)
BAD_DATES = ["2026-13-45", "yesterday", "31/02/2026"]
BAD_DATETIMES = ["2026-02-30 25:61", "soon"]


@pytest.fixture
def objects(db):
    ensure_groups(StringIO())
    home = load_site(StringIO())
    blog = BlogIndexPageFactory(parent=home)
    article = ArticlePageFactory(parent=blog)
    article.save_revision().publish()
    draft = ArticlePageFactory(parent=blog, live=False)
    draft.save_revision()
    table = ComparisonTableFactory()
    author = AuthorFactory()
    credential = Credential.objects.create(abbreviation="DPT", full_name="Doctor")
    return {
        "home": home,
        "blog": blog,
        "article": article,
        "draft": draft,
        "table": table,
        "author": author,
        "credential": credential,
        "site": Site.objects.get(is_default_site=True),
    }


def check(client, method, url, data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code in OK, f"{method.upper()} {url}: {response}"
    return response


def page_urls(page, parent, model_name, app="content"):
    pages = "wagtailadmin_pages"
    urls = [
        reverse(f"{pages}:add", args=(app, model_name, parent.pk)),
        reverse(f"{pages}:preview_on_add", args=(app, model_name, parent.pk)),
        reverse(f"{pages}:type_use", args=(app, model_name)),
        reverse("wagtailadmin_explore", args=(parent.pk,)),
        reverse("wagtailadmin_explore", args=(parent.pk,))
        + "?q=physio&ordering=-title",
        reverse(f"{pages}:search") + "?q=strength",
        reverse(f"{pages}:add_subpage", args=(page.pk,)),
    ]
    for name in (
        "edit",
        "preview_on_edit",
        "delete",
        "history",
        "revisions_index",
        "workflow_history",
        "copy",
        "move",
        "usage",
        "view_draft",
    ):
        urls.append(reverse(f"{pages}:{name}", args=(page.pk,)))
    if page.live:
        urls.append(reverse(f"{pages}:unpublish", args=(page.pk,)))
    return urls


def snippet_urls(obj, *, previewable=False, draftable=False, search="a"):
    meta = type(obj)._meta
    prefix = f"wagtailsnippets_{meta.app_label}_{meta.model_name}"
    chooser = f"wagtailsnippetchoosers_{meta.app_label}_{meta.model_name}"
    urls = [
        reverse(f"{prefix}:list"),
        reverse(f"{prefix}:list") + f"?q={search}",
        reverse(f"{prefix}:list_results") + f"?q={search}&ordering=nonsense",
        reverse(f"{prefix}:add"),
        reverse(f"{chooser}:choose"),
        reverse(f"{chooser}:choose_results") + f"?q={search}",
    ]
    for name in ("edit", "delete", "usage", "history"):
        urls.append(reverse(f"{prefix}:{name}", args=(obj.pk,)))
    if previewable:
        urls.append(reverse(f"{prefix}:preview_on_add"))
        urls.append(reverse(f"{prefix}:preview_on_edit", args=(obj.pk,)))
    if draftable:
        urls.append(reverse(f"{prefix}:unpublish", args=(obj.pk,)))
    return urls


def test_every_article_and_blog_admin_page_answers_an_editor(editor_client, objects):
    blog, home = objects["blog"], objects["home"]
    urls = page_urls(objects["article"], blog, "articlepage")
    urls += page_urls(objects["draft"], blog, "articlepage")
    urls += page_urls(blog, home, "blogindexpage")
    for url in urls:
        check(editor_client, "get", url)


def test_every_home_page_and_settings_admin_page_answers_an_editor(
    editor_client, objects
):
    home, site = objects["home"], objects["site"]
    for url in page_urls(home, home.get_parent(), "homepage", app="home"):
        check(editor_client, "get", url)
    settings_url = reverse(
        "wagtailsettings:edit", args=("home", "organisationsettings", site.pk)
    )
    check(editor_client, "get", settings_url)
    check(editor_client, "get", "/admin/")


def test_every_snippet_admin_page_answers_an_editor(editor_client, objects):
    urls = snippet_urls(objects["table"], previewable=True, draftable=True)
    urls += snippet_urls(objects["author"])
    urls += snippet_urls(objects["credential"], search="DPT")
    urls.append(
        reverse("wagtailsnippets_content_credential:list") + "?kind=wizard&kind=degree"
    )
    urls.append(
        reverse("wagtailsnippets_content_comparisontable:list")
        + "?live=maybe&jurisdiction=Mars"
    )
    for url in urls:
        check(editor_client, "get", url)


# Invalid input -------------------------------------------------------------


def article_data(objects, **overrides):
    data = {
        "title": "Admin article",
        "slug": "admin-article",
        "subtitle": "",
        "summary": "",
        "hero_image_alt": "",
        "body": [
            ("heading", {"text": "Intro", "level": "h2"}),
            ("paragraph", rich_text("<p>Hello.</p>")),
            ("comparison_table", objects["table"].pk),
        ],
        "article_authors": [{"author": objects["author"].pk}],
        "tags": "",
        "published_date": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(overrides)
    data["body"] = streamfield(data["body"])
    data["article_authors"] = inline_formset(data["article_authors"])
    return nested_form_data(data)


def inline_table(columns, rows):
    return (
        "inline_comparison_table",
        {
            "title": "",
            "columns": streamfield([("item", c) for c in columns]),
            "rows": streamfield(
                [
                    (
                        "item",
                        {
                            "criterion": criterion,
                            "cells": streamfield(
                                [("item", rich_text(cell)) for cell in cells]
                            ),
                        },
                    )
                    for criterion, cells in rows
                ]
            ),
            "footnotes": rich_text(""),
        },
    )


def invalid_articles(objects):
    cta = {
        "heading": "Book",
        "text": rich_text(""),
        "button_label": "Go",
        "page": objects["blog"].pk,
        "external_url": "javascript:alert(1)",
    }
    yield {"title": ""}
    yield {"slug": "not a slug!"}
    yield {"slug": objects["article"].slug}
    for date in BAD_DATES:
        yield {"published_date": date}
    for value in BAD_DATETIMES:
        yield {"go_live_at": value, "expire_at": value}
    yield {"go_live_at": "2030-01-02 10:00", "expire_at": "2029-01-01 10:00"}
    yield {"article_authors": []}
    yield {"article_authors": [{"author": 999999}]}
    yield {"credentials": ["abc"]}
    yield {"body": [("heading", {"text": "", "level": "h9"})]}
    yield {"body": [("paragraph", rich_text(""))]}
    yield {"body": [("comparison_table", 999999)]}
    yield {"body": [inline_table(["A", "B"], [("Row", ["<p>only one</p>"])])]}
    yield {"body": [inline_table([], [])]}
    yield {"body": [("video", {"video": "not a url", "title": "", "caption": ""})]}
    yield {"body": [("call_to_action", cta)]}
    yield {"body": [("image", {"image": 999999, "alt_text": "", "caption": ""})]}
    yield {"body": [("no_such_block", "x")]}


def test_invalid_article_input_gives_form_errors_not_500s(editor_client, objects):
    blog, article = objects["blog"], objects["article"]
    add_url = reverse(
        "wagtailadmin_pages:add", args=("content", "articlepage", blog.pk)
    )
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    for overrides in invalid_articles(objects):
        data = article_data(objects, **overrides)
        for url in (add_url, edit_url, preview_url):
            check(editor_client, "post", url, data)
        check(editor_client, "get", preview_url)


def test_an_article_with_an_empty_title_is_refused_with_a_message(
    editor_client, objects
):
    blog = objects["blog"]
    url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", blog.pk))

    response = check(editor_client, "post", url, article_data(objects, title=""))

    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not ArticlePage.objects.filter(slug="admin-article").exists()


def test_invalid_blog_and_home_input_gives_form_errors_not_500s(editor_client, objects):
    blog, home = objects["blog"], objects["home"]
    for title, intro, date in [("", "", ""), ("Blog", "<p>x</p>", "soon")]:
        data = nested_form_data(
            {
                "title": title,
                "slug": "blog",
                "intro": rich_text(intro),
                "seo_title": "",
                "search_description": "",
                "go_live_at": date,
                "expire_at": date,
            }
        )
        check(
            editor_client,
            "post",
            reverse("wagtailadmin_pages:edit", args=(blog.pk,)),
            data,
        )
    neither = {"heading": "Book", "text": rich_text(""), "button_label": "Go"}
    for overrides in [
        {"title": ""},
        {
            "call_to_action": [
                ("call_to_action", {**neither, "page": "", "external_url": ""})
            ]
        },
        {
            "call_to_action": [
                ("call_to_action", {**neither, "page": "", "external_url": "nope"})
            ]
        },
        {"featured_articles": [{"article": 999999}] * 7},
    ]:
        data = {
            "title": "Home",
            "slug": "home",
            "hero_heading": "",
            "hero_text": "",
            "hero_image_alt": "",
            "featured_articles": [],
            "call_to_action": [],
            "seo_title": "",
            "search_description": "",
        }
        data.update(overrides)
        data["featured_articles"] = inline_formset(data["featured_articles"])
        data["call_to_action"] = streamfield(data["call_to_action"])
        url = reverse("wagtailadmin_pages:edit", args=(home.pk,))
        check(editor_client, "post", url, nested_form_data(data))


def table_data(**overrides):
    data = {
        "title": "PT vs trainers",
        "slug": "pt-vs-trainers-2",
        "intro": rich_text(""),
        "columns": ["Physical Therapists", "Personal Trainers"],
        "rows": [("Ongoing Education", ["<p>a</p>", "<p>b</p>"])],
        "footnotes": rich_text(""),
        "jurisdiction": "",
        "sources": [],
        "last_verified": "",
    }
    data.update(overrides)
    data["columns"] = streamfield([("column", c) for c in data["columns"]])
    data["rows"] = streamfield(
        [
            (
                "row",
                {
                    "criterion": criterion,
                    "cells": streamfield([("item", rich_text(c)) for c in cells]),
                },
            )
            for criterion, cells in data["rows"]
        ]
    )
    data["sources"] = streamfield([("source", source) for source in data["sources"]])
    return nested_form_data(data)


def invalid_tables(objects):
    yield {"title": ""}
    yield {"slug": objects["table"].slug}
    yield {"slug": "no spaces allowed"}
    yield {"columns": []}
    yield {"rows": []}
    yield {"rows": [("Education", ["<p>one</p>"])]}
    yield {"rows": [("Education", ["<p>1</p>", "<p>2</p>", "<p>3</p>"])]}
    yield {"rows": [("", [])]}
    yield {"sources": [{"title": "", "publisher": "", "url": "not a url"}]}
    for date in BAD_DATES:
        yield {"last_verified": date}


def test_invalid_table_input_gives_form_errors_not_500s(editor_client, objects):
    table = objects["table"]
    prefix = "wagtailsnippets_content_comparisontable"
    urls = [
        reverse(f"{prefix}:add"),
        reverse(f"{prefix}:edit", args=(table.pk,)),
        reverse(f"{prefix}:preview_on_add"),
        reverse(f"{prefix}:preview_on_edit", args=(table.pk,)),
    ]
    for overrides in invalid_tables(objects):
        for url in urls:
            check(editor_client, "post", url, table_data(**overrides))
    # Wagtail defers required fields to publish time, so a draft with an empty
    # title may be saved; nothing invalid is ever published.
    assert not ComparisonTable.objects.filter(live=True).exclude(pk=table.pk)


def test_a_duplicate_credential_is_explained_in_plain_words(editor_client, objects):
    url = reverse("wagtailsnippets_content_credential:add")
    data = {"abbreviation": "DPT", "slug": "dpt-2", "full_name": "Doctor"}

    response = check(editor_client, "post", url, {**data, "kind": "degree"})

    assert response.status_code == 200
    assert b"Credential with this Abbreviation already exists" in response.content
    assert Credential.objects.count() == 1


def test_a_row_with_too_few_cells_is_explained_in_plain_words(editor_client, objects):
    url = reverse("wagtailsnippets_content_comparisontable:add")
    data = table_data(rows=[("Education", ["<p>one</p>"])])

    response = check(editor_client, "post", url, data)

    assert response.status_code == 200
    assert b"Row 1 has 1 cell(s) but the table has 2 column(s)" in response.content


def test_invalid_author_and_credential_input_gives_form_errors_not_500s(
    editor_client, objects
):
    author, credential = objects["author"], objects["credential"]
    author_cases = [
        {"name": ""},
        {"slug": author.slug},
        {"slug": "bad slug"},
        {"photo": 999999},
    ]
    for overrides in author_cases:
        data = {
            "name": "New author",
            "slug": "new-author",
            "credentials": "",
            "role": "",
            "photo": "",
            "photo_alt": "",
            "bio": rich_text(""),
            **overrides,
        }
        for url in (
            reverse("wagtailsnippets_content_author:add"),
            reverse("wagtailsnippets_content_author:edit", args=(author.pk,)),
        ):
            check(editor_client, "post", url, data)
    credential_cases = [
        {"abbreviation": ""},
        {"abbreviation": "DPT", "slug": "dpt-2"},
        {"slug": credential.slug},
        {"kind": "wizard"},
        {"full_name": "x" * 300},
    ]
    for overrides in credential_cases:
        data = {
            "abbreviation": "CSCS",
            "slug": "cscs",
            "full_name": "Strength",
            "issuing_body": "",
            "kind": "certification",
            "description": "",
            **overrides,
        }
        for url in (
            reverse("wagtailsnippets_content_credential:add"),
            reverse("wagtailsnippets_content_credential:edit", args=(credential.pk,)),
        ):
            check(editor_client, "post", url, data)
    assert Author.objects.count() == 1


def settings_data(**overrides):
    data = {
        "clinic_name": "Dynamic Physical Therapy",
        "phone": "",
        "email": "",
        "street_address": "",
        "city": "",
        "state": "",
        "postal_code": "",
        "booking_url": "",
        "social_links": [],
        **overrides,
    }
    data["social_links"] = streamfield(
        [("social_link", link) for link in data["social_links"]]
    )
    return nested_form_data(data)


SETTINGS_CASES = [
    {"clinic_name": ""},
    {"email": "not-an-email"},
    {"booking_url": "ftp//nope"},
    {"social_links": [{"platform": "myspace", "url": "nope", "link_text": ""}]},
]


def test_invalid_settings_input_gives_form_errors_not_500s(
    client, editor_client, objects, admin_user
):
    url = reverse(
        "wagtailsettings:edit",
        args=("home", "organisationsettings", objects["site"].pk),
    )
    for overrides in SETTINGS_CASES:
        check(editor_client, "post", url, settings_data(**overrides))
    # Editors may not change settings; administrators get the form errors.
    client.force_login(admin_user)
    for overrides in SETTINGS_CASES:
        response = check(client, "post", url, settings_data(**overrides))
        assert response.status_code == 200, overrides
