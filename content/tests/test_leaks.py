"""No hidden content leaks through /graphql/, whoever asks.

The corpus (content/tests/leak_corpus.py) is the demo site plus one object in
every hidden state: draft, scheduled, expired, private (login, password,
groups), live under a private / draft / scheduled / expired parent, a live
article and a live table with unpublished revisions, draft / scheduled /
expired tables, images and a document in a private collection and its child,
hidden trainer profiles, search promotions of hidden pages, and a public
carrier article, carrier trainer and home page that point at all of them. Every
hidden thing has ``leak`` in its title, slug, city or file name; nothing public
does. Each probe runs one query as an anonymous visitor, a superuser and a
staff editor (session cookies) and asserts ``leak`` appears nowhere in the
response body.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from content.tests.leak_corpus import (
    HIDDEN_ARTICLES,
    HIDDEN_TABLES,
    HIDDEN_TAGS,
    HIDDEN_TRAINERS,
    INVALID_UNICODE_PLACES,
    MARKER,
    PREVIEW_FILTERS,
    PUBLIC_ARTICLES,
    PUBLIC_TABLES,
    PUBLIC_TRAINERS,
    UNPAIRED_SURROGATES,
    build,
    invalid_unicode_request,
)

IMAGE = f"""
fragment Img on ResponsiveImage {{
  id title alt width height
  rendition(filter: "{PREVIEW_FILTERS[0]}") {{ filter url width height }}
  srcset(filters: ["{PREVIEW_FILTERS[1]}"])
}}
"""

TEXT = "fragment Txt on FormattedText { html text }"

TABLE = """
fragment Table on ComparisonTable {
  id title slug contentType snippetType jurisdiction lastVerified columns
  intro { ...Txt } footnotes { ...Txt }
  rows { criterion cells { ...Txt } }
  sources { title publisher url }
}
"""

BLOCKS = """
fragment Blocks on ArticleBodyBlock {
  __typename
  ... on BodyHeading { id blockType heading level }
  ... on BodyParagraph { id blockType text { ...Txt } }
  ... on BodyCallout { id blockType kind leadIn attribution text { ...Txt } }
  ... on BodyImage { id blockType caption image { ...Img } }
  ... on BodyVideo { id blockType videoUrl: url title caption }
  ... on BodySpectrum { id blockType title stages { name ledBy description } }
  ... on BodyComparisonTable { id blockType table { ...Table } }
  ... on BodyInlineComparisonTable {
    id blockType title columns rows { criterion cells { ...Txt } }
    footnotes { ...Txt }
  }
  ... on BodyCallToAction {
    id blockType heading buttonLabel url isExternal text { ...Txt }
  }
  ... on BodyFeaturedTrainers { id blockType heading trainers { ...Trainer } }
}
"""

TRAINER = """
fragment Trainer on TrainerProfile {
  id slug name headline acceptingNewClients bookingUrl email phone website
  languages lastPublishedAt distanceKm distanceMiles services url
  photo { id altText width height rendition(filter: FILL_200X200) { url } }
  bio {
    __typename
    ... on TrainerBioParagraphBlock { id blockType html }
    ... on TrainerBioQuoteBlock { id blockType text attribution }
  }
  credentials { number issuedOn expiresOn isCurrent credential { slug } }
  education { degree field institution }
  specialties { name slug description }
  location { city state postalCode latitude longitude }
}
"""

FACETS = """
fragment Facets on TrainerFacets {
  cities { name state count }
  credentials { slug abbreviation count }
  specialties { slug name count }
}
"""

PAGE = """
fragment PageFields on PublicPageInterface {
  __typename id title slug contentType url urlPath seoTitle searchDescription
  firstPublishedAt lastPublishedAt
}
"""

ARTICLE = """
fragment Article on ArticlePage {
  ...PageFields
  subtitle summary publishedDate readingTimeMinutes bodyText
  authors { id name slug credentials role contentType snippetType
            bio { ...Txt } photo { ...Img } }
  heroImage { ...Img }
  tags { name slug }
  credentials { abbreviation slug fullName kind }
  body { ...Blocks }
  commentCount viewCount
  comments(limit: 5) {
    totalCount items { id authorName body isStaffReply replies { id authorName body } }
  }
}
"""

FRAGMENTS = IMAGE + TEXT + TABLE + BLOCKS + PAGE + ARTICLE + TRAINER + FACETS

HOME = """
query Home {
  homePage {
    ...PageFields heroHeading heroText heroImage { ...Img }
    featuredArticles { ...Article }
    featuredTrainers { ...Trainer }
    callToAction { ...Blocks }
  }
}
"""

ORGANISATION = """
query Organisation {
  organisationSettings {
    id clinicName phone email streetAddress city state postalCode bookingUrl
    socialLinks { platform url linkText }
  }
}
"""


def _articles(order="NEWEST", tag=None) -> tuple[str, dict]:
    return (
        """
        query Articles($order: ArticleOrder, $tag: String) {
          articles(limit: 50, order: $order, tag: $tag) {
            totalCount hasNextPage items { ...Article }
          }
        }
        """,
        {"order": order, "tag": tag},
    )


def _article(slug) -> tuple[str, dict]:
    return (
        "query One($slug: String!) { article(slug: $slug) { ...Article } }",
        {"slug": slug},
    )


def _table(slug) -> tuple[str, dict]:
    return (
        "query Table($slug: String!) { comparisonTable(slug: $slug) { ...Table } }",
        {"slug": slug},
    )


PROBES = {
    **{f"articles-{o.lower()}": _articles(o) for o in ("NEWEST", "OLDEST", "TITLE")},
    **{f"articles-tag-{t}": _articles(tag=t) for t in [*HIDDEN_TAGS, "carrier-tag"]},
    **{f"article-{slug}": _article(slug) for slug in HIDDEN_ARTICLES},
    **{f"article-{slug}": _article(slug) for slug in PUBLIC_ARTICLES},
    "article-tags": (
        "query Tags { articleTags(limit: 50) { totalCount items { name slug } } }",
        {},
    ),
    "home-page": (HOME, {}),
    "organisation-settings": (ORGANISATION, {}),
    "comparison-tables": (
        "query Tables { comparisonTables(limit: 50) "
        "{ totalCount hasNextPage items { ...Table } } }",
        {},
    ),
    **{f"comparison-table-{slug}": _table(slug) for slug in HIDDEN_TABLES},
    **{f"comparison-table-{slug}": _table(slug) for slug in PUBLIC_TABLES},
    "credentials": (
        "query Creds { credentials(limit: 50) { totalCount items "
        "{ id abbreviation slug fullName issuingBody kind description } } }",
        {},
    ),
}


def _trainers(order=None, flt=None, near=None) -> tuple[str, dict]:
    return (
        """
        query Trainers($order: TrainerOrder, $filter: TrainerFilter,
                       $near: TrainerNearInput) {
          trainers(limit: 50, order: $order, filter: $filter, near: $near) {
            totalCount hasNextPage items { ...Trainer } facets { ...Facets }
          }
        }
        """,
        {"order": order, "filter": flt, "near": near},
    )


def _trainer(slug) -> tuple[str, dict]:
    return (
        "query Trainer($slug: String) { trainer(slug: $slug) { ...Trainer } }",
        {"slug": slug},
    )


MADISON = {"latitude": 43.0731, "longitude": -89.4012, "radiusKm": 500}
SEARCH = """
query Search($q: String!) {
  search(query: $q, limit: 50) {
    totalCount hasNextPage
    promotions { title url description }
    items {
      rank type title url excerpt
      content {
        __typename
        ... on ArticlePage { slug title }
        ... on ComparisonTable { slug title }
        ... on TrainerProfile { slug name }
      }
    }
  }
}
"""
SUGGEST = """
query Suggest($prefix: String!) {
  searchSuggestions(prefix: $prefix, limit: 10) { title type url }
}
"""

PROBES.update(
    {
        "trainers-default": _trainers(),
        "trainers-name": _trainers("NAME"),
        "trainers-recently-updated": _trainers("RECENTLY_UPDATED"),
        "trainers-near": _trainers("DISTANCE", near=MADISON),
        "trainers-near-by-name": _trainers("NAME", near=MADISON),
        "trainers-city-leakville": _trainers(flt={"city": "Leakville"}),
        "trainers-query-leak": _trainers(flt={"query": "leak"}),
        "trainers-accepting": _trainers(flt={"acceptingNewClients": True}),
        **{f"trainer-{slug}": _trainer(slug) for slug in HIDDEN_TRAINERS},
        **{f"trainer-{slug}": _trainer(slug) for slug in PUBLIC_TRAINERS},
        "trainer-sync": (
            "query Sync { trainerSync(limit: 50) { hasMore nextCursor removedIds "
            "changed { ...Trainer } } }",
            {},
        ),
        **{
            f"search-{q.lower()}": (SEARCH, {"q": q})
            for q in ["leak", "LEAK-UNPUBLISHED-BODY", "carrier", "trainer", "table"]
        },
        **{
            f"suggest-{p.lower()}": (SUGGEST, {"prefix": p})
            for p in ["leak", "Carrier", "Changed", "LEAK-T"]
        },
    }
)

IDENTITIES = ["anonymous", "superuser", "staff-editor"]
CURSOR = re.compile(r'"nextCursor":"[^"]*"')


def _used_fragments(query: str) -> str:
    """Only the fragments the operation spreads (unused ones are an error)."""
    wanted, pending = set(), [query]
    chunks = {
        name: "fragment " + chunk
        for chunk in FRAGMENTS.split("fragment ")[1:]
        for name in [chunk.split()[0]]
    }
    while pending:
        text = pending.pop()
        for name, chunk in chunks.items():
            if f"...{name}" in text and name not in wanted:
                wanted.add(name)
                pending.append(chunk)
    return query + "".join(chunks[name] for name in sorted(wanted))


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction rolled back at the end;
    each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = build()
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def as_identity(corpus, db, gql):
    """Signs the shared client in as the identity; the GraphQL client."""
    users = get_user_model()
    client = gql.client

    def login(identity):
        if identity == "superuser":
            client.force_login(
                users.objects.create_superuser("leak-admin", "a@example.com", "x")
            )
        elif identity == "staff-editor":
            editor = users.objects.create_user(
                "leak-editor", "e@example.com", "x", is_staff=True
            )
            editor.groups.add(*Group.objects.all())
            client.force_login(editor)
        return gql

    return login


def request(query: str, variables=None) -> dict:
    """The JSON body asking ``query`` with only the fragments it spreads."""
    return {"query": _used_fragments(query), "variables": variables or {}}


def assert_no_leak(response) -> dict:
    """The response's JSON body, once it is a 200 serving nothing hidden."""
    text = response.content.decode()
    assert response.status_code == 200, text
    assert "Traceback" not in text
    assert MARKER not in text.lower(), _context(text)
    body = json.loads(text)
    assert "errors" not in body, text
    return body


def _context(text: str) -> str:
    at = text.lower().find(MARKER)
    return f"hidden value served: ...{text[max(0, at - 200) : at + 200]}..."


@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize("probe", sorted(PROBES))
def test_probe_serves_no_hidden_content(as_identity, probe, identity):
    query, variables = PROBES[probe]
    gql = as_identity(identity)

    data = assert_no_leak(gql.raw("POST", request(query, variables)))["data"]
    if probe.startswith(("article-leak", "comparison-table-leak", "trainer-leak")):
        # Null, not an error: the answer must not confirm the slug exists.
        assert list(data.values()) == [None]


@pytest.mark.parametrize("identity", IDENTITIES[1:])
def test_a_session_cookie_sees_exactly_what_an_anonymous_visitor_sees(
    as_identity, gql, identity
):
    queries = [PROBES[name] for name in sorted(PROBES)]

    def run():
        # Sync cursors embed a signing timestamp: compare everything else.
        return [
            (response.status_code, CURSOR.sub("<cursor>", response.content.decode()))
            for response in (gql.raw("POST", request(q, v)) for q, v in queries)
        ]

    anonymous = run()
    as_identity(identity)
    signed_in = run()

    assert signed_in == anonymous


def test_the_public_carrier_is_served_with_hidden_parts_removed(as_identity):
    gql = as_identity("anonymous")
    article = assert_no_leak(gql.raw("POST", request(*_article("carrier-article"))))[
        "data"
    ]["article"]

    assert article["title"] == "Carrier article"
    assert article["heroImage"] is None  # private collection
    assert [a["photo"] for a in article["authors"]] == [None]
    types = [block["__typename"] for block in article["body"]]
    # Only the public table remains of the four chosen tables.
    assert types.count("BodyComparisonTable") == 1
    table = next(b for b in article["body"] if b["__typename"] == "BodyComparisonTable")
    assert table["table"]["title"] == "Carrier table"
    image = next(b for b in article["body"] if b["__typename"] == "BodyImage")
    assert image["image"] is None  # child of the private collection
    assert image["caption"] == "carrier caption"
    links = article["body"][0]["text"]["html"]
    assert "<a" not in links
    assert "hidden link 0" in links
    media = article["body"][1]["text"]["html"]
    assert "<a" not in media
    assert "<img" not in media
    assert "document" in media
    ctas = [b for b in article["body"] if b["__typename"] == "BodyCallToAction"]
    assert [c["url"] for c in ctas] == [None, None, None]


def test_only_approved_comments_are_counted_and_listed(as_identity):
    for identity in ("anonymous", "superuser"):
        gql = as_identity(identity)
        response = gql.raw("POST", request(*_article("carrier-article")))
        assert response.status_code == 200
        article = assert_no_leak(response)["data"]["article"]
        assert article["commentCount"] == 2
        (comment,) = article["comments"]["items"]
        assert comment["authorName"] == "Carrier Reader"
        assert [r["authorName"] for r in comment["replies"]] == ["Clinic Staff"]


def test_the_home_page_features_only_public_articles(as_identity):
    gql = as_identity("anonymous")
    home = assert_no_leak(gql.raw("POST", request(HOME)))["data"]["homePage"]

    assert home["heroHeading"] != ""
    assert [a["slug"] for a in home["featuredArticles"]] == [
        "physical-therapy-or-personal-training"
    ]
    assert home["callToAction"]["url"] is None


def test_live_article_with_unpublished_changes_serves_its_live_revision(as_identity):
    gql = as_identity("superuser")
    body = assert_no_leak(gql.raw("POST", request(*_article("carrier-changed"))))

    assert body["data"]["article"]["title"] == "Changed live title"


def test_list_totals_count_only_public_items(as_identity):
    from content.models import ArticlePage, ComparisonTable

    gql = as_identity("superuser")
    articles = assert_no_leak(gql.raw("POST", request(*_articles())))["data"][
        "articles"
    ]
    tables = assert_no_leak(gql.raw("POST", request(PROBES["comparison-tables"][0])))[
        "data"
    ]["comparisonTables"]

    slugs = sorted(a["slug"] for a in articles["items"])
    assert slugs == sorted(["physical-therapy-or-personal-training", *PUBLIC_ARTICLES])
    assert articles["totalCount"] == len(slugs)
    assert sorted(t["slug"] for t in tables["items"]) == sorted(
        [
            *ComparisonTable.objects.exclude(slug__startswith=MARKER).values_list(
                "slug", flat=True
            )
        ]
    )
    assert tables["totalCount"] == len(tables["items"])
    # The corpus really holds the hidden states it claims to.
    assert ArticlePage.objects.filter(slug__startswith=MARKER).count() == 10
    assert ArticlePage.objects.get(slug="leak-child-of-draft").live


@pytest.mark.parametrize(
    # Single words: searches OR their words, and "draft" or "table" alone
    # rightly match public content.
    "words",
    ["leak", "Leakville", "LEAK1"],
)
def test_searching_for_hidden_words_finds_nothing_at_all(as_identity, words):
    # Not even a public page: a hit would confirm the hidden words exist.
    gql = as_identity("superuser")
    search = assert_no_leak(gql.raw("POST", request(SEARCH, {"q": words})))
    suggest = assert_no_leak(gql.raw("POST", request(SUGGEST, {"prefix": words})))

    assert search["data"]["search"]["totalCount"] == 0
    assert search["data"]["search"]["items"] == []
    assert suggest["data"]["searchSuggestions"] == []


def test_search_promotions_skip_hidden_pages(as_identity):
    gql = as_identity("anonymous")
    body = assert_no_leak(gql.raw("POST", request(SEARCH, {"q": "carrier"})))

    assert body["data"]["search"]["promotions"] == []


@pytest.mark.parametrize("slug", HIDDEN_TRAINERS[:-1])
def test_hidden_trainer_by_id_is_null(as_identity, slug):
    from content.trainers.models import TrainerProfilePage

    pk = TrainerProfilePage.objects.get(slug=slug).pk
    query = "query T($id: ID) { trainer(id: $id) { ...Trainer } }"

    gql = as_identity("anonymous")
    body = assert_no_leak(gql.raw("POST", request(query, {"id": str(pk)})))

    assert body["data"]["trainer"] is None


def test_a_full_trainer_sync_lists_no_hidden_profile(as_identity):
    from content.trainers.models import TrainerProfilePage

    gql = as_identity("superuser")
    query = (
        "query Sync($cursor: String) { trainerSync(cursor: $cursor, limit: 5) "
        "{ hasMore nextCursor removedIds changed { ...Trainer } } }"
    )
    cursor, changed, removed = None, set(), set()
    for _ in range(100):
        body = assert_no_leak(gql.raw("POST", request(query, {"cursor": cursor})))
        batch = body["data"]["trainerSync"]
        changed |= {t["slug"] for t in batch["changed"]}
        removed |= set(batch["removedIds"])
        cursor = batch["nextCursor"]
        if not batch["hasMore"]:
            break

    assert "carrier-trainer" in changed
    # Tombstones carry ids only, and only of profiles that were once public.
    never_published = TrainerProfilePage.objects.filter(
        slug__in=["leak-trainer-draft", "leak-trainer-scheduled"]
    ).values_list("pk", flat=True)
    assert not removed & {str(pk) for pk in never_published}


@pytest.mark.parametrize("identity", IDENTITIES)
def test_hidden_content_stays_hidden_when_responses_are_cached(
    as_identity, settings, identity
):
    settings.GRAPHQL_RESPONSE_CACHE = True
    gql = as_identity(identity)
    for name in ("home-page", "article-carrier-article", "article-leak-draft-article"):
        for _ in range(2):  # the second request is served from the cache
            assert_no_leak(gql.raw("POST", request(*PROBES[name])))


# Preview tokens ------------------------------------------------------------

PREVIEW_QUERY = """
query Preview {
  article(slug: "leak-draft-article") { ...Article }
  comparisonTable(slug: "leak-draft-table") { ...Table }
  carrier: article(slug: "carrier-article") { title bodyText }
}
"""


def _snapshot_payload(obj) -> dict:
    """A genuine token for ``obj`` and the payload it signs."""
    from cms.preview import PreviewSnapshot, create_preview_token

    token = create_preview_token(obj)
    snapshot = PreviewSnapshot.objects.latest("pk")
    return {
        "token": token,
        "payload": {"s": snapshot.pk, "ct": snapshot.content_type_id},
    }


def _forged_tokens(corpus) -> dict:
    from django.core import signing

    from content.models import ArticlePage, ComparisonTable

    draft = _snapshot_payload(ArticlePage.objects.get(pk=corpus["draft"]))
    # A genuine token, but for another (hidden) table than the one queried.
    table = _snapshot_payload(ComparisonTable.objects.get(slug="leak-scheduled-table"))
    other = _snapshot_payload(ArticlePage.objects.get(pk=corpus["private_login"]))
    good = draft["token"]
    flipped = good[:-3] + ("A" if good[-3] != "A" else "B") + good[-2:]
    salt = "cms.preview.token"
    return {
        "garbage": {"header": "not a token"},
        "separators-only": {"header": "::"},
        "forged-signature": {"header": "eyJzIjoxLCJjdCI6MX0:1abcde:forgedsignature"},
        "altered-signature": {"header": flipped},
        "truncated": {"header": good[: len(good) // 2]},
        "wrong-salt": {
            "header": signing.TimestampSigner(salt="other").sign_object(
                draft["payload"]
            )
        },
        "wrong-key": {
            "header": signing.TimestampSigner(
                key="not-the-secret-key", salt=salt
            ).sign_object(draft["payload"])
        },
        "unsigned-json": {"header": json.dumps(draft["payload"])},
        "missing-snapshot": {
            "header": signing.TimestampSigner(salt=salt).sign_object(
                {"s": 10**9, "ct": draft["payload"]["ct"]}
            )
        },
        "bad-payload-types": {
            "header": signing.TimestampSigner(salt=salt).sign_object(
                {"s": "x", "ct": None}
            )
        },
        "token-for-another-page": {"header": other["token"]},
        "token-for-a-table-on-an-article": {"header": table["token"]},
        "sql-text": {"header": "' OR 1=1 --"},
        "oversized": {"header": "A" * 8000},
        "valid-token-in-a-cookie": {"cookie": good},
        "valid-token-in-the-url": {"url": good},
        "expired": {"header": good, "ttl": -1},
    }


FORGERIES = [
    "garbage",
    "separators-only",
    "forged-signature",
    "altered-signature",
    "truncated",
    "wrong-salt",
    "wrong-key",
    "unsigned-json",
    "missing-snapshot",
    "bad-payload-types",
    "token-for-another-page",
    "token-for-a-table-on-an-article",
    "sql-text",
    "oversized",
    "valid-token-in-a-cookie",
    "valid-token-in-the-url",
    "expired",
]


@pytest.mark.parametrize("identity", ["anonymous", "superuser"])
@pytest.mark.parametrize("forgery", FORGERIES)
def test_forged_preview_token_shows_no_draft(
    as_identity, corpus, settings, forgery, identity
):
    case = _forged_tokens(corpus)[forgery]
    settings.PREVIEW_TOKEN_TTL_SECONDS = case.get("ttl", 3600)
    gql = as_identity(identity)
    if "cookie" in case:
        gql.client.cookies["preview_token"] = case["cookie"]
        gql.client.cookies["X-Preview-Token"] = case["cookie"]
    query_string = None
    if "url" in case:
        query_string = f"token={case['url']}&previewToken={case['url']}"

    response = gql.raw(
        "POST",
        {"query": _used_fragments(PREVIEW_QUERY)},
        query_string=query_string,
        headers={"X-Preview-Token": case.get("header")},
    )
    text = response.content.decode()

    assert response.status_code == 200, text
    assert "Traceback" not in text
    assert MARKER not in text.lower(), _context(text)
    payload = json.loads(text)
    codes = [e["extensions"]["code"] for e in payload.get("errors", [])]
    data = payload["data"]
    assert data["article"] is None
    assert data["comparisonTable"] is None
    if "header" in case:
        # Every root field reads the header, and each rejects a bad one.
        assert codes == ["INVALID_PREVIEW_TOKEN"] * 3, text
        assert data["carrier"] is None
    else:
        # A token anywhere but the header is ignored: the live page is served.
        assert codes == [], text
        assert data["carrier"]["title"] == "Carrier article"


def _preview_is_wired() -> bool:
    import inspect

    from content.articles.graphql import queries

    return "resolve_preview" in inspect.getsource(queries)


def test_only_a_valid_preview_token_shows_the_draft(as_identity, corpus):
    if not _preview_is_wired():
        pytest.skip("preview tokens are not read by the article resolver yet")
    from content.models import ArticlePage

    token = _snapshot_payload(ArticlePage.objects.get(pk=corpus["draft"]))["token"]
    gql = as_identity("anonymous")
    query = request(*_article("leak-draft-article"))

    shown = gql.raw("POST", query, headers={"X-Preview-Token": token})
    hidden = gql.raw("POST", query)

    assert "LEAK-DRAFT-ARTICLE" in shown.content.decode()
    assert_no_leak(hidden)


@pytest.mark.parametrize("identity", ["anonymous", "superuser"])
@pytest.mark.parametrize("surrogate", sorted(UNPAIRED_SURROGATES))
@pytest.mark.parametrize("place", INVALID_UNICODE_PLACES)
def test_text_that_is_not_unicode_is_refused_before_any_lookup(
    as_identity, corpus, django_assert_num_queries, place, surrogate, identity
):
    from content.models import ArticlePage

    token = _snapshot_payload(ArticlePage.objects.get(pk=corpus["draft"]))["token"]
    probe = invalid_unicode_request(
        place, UNPAIRED_SURROGATES[surrogate], "leak-draft-article", token
    )
    client = as_identity(identity).client

    with django_assert_num_queries(0):
        response = client.generic(
            probe["method"],
            probe["path"],
            data=probe.get("data", ""),
            content_type="application/json",
            **probe["headers"],
        )
    text = response.content.decode()

    assert response.status_code == 400, text
    assert MARKER not in text.lower(), _context(text)
    payload = json.loads(text)
    assert "data" not in payload
    assert [e["extensions"]["code"] for e in payload["errors"]] == ["INVALID_UNICODE"]


# The public schema -------------------------------------------------------

FORBIDDEN_FIELDS = [
    "draftTitle",
    "hasUnpublishedChanges",
    "goLiveAt",
    "expireAt",
    "expired",
    "latestRevision",
    "latestRevisionCreatedAt",
    "revisions",
    "locked",
    "lockedAt",
    "lockedBy",
    "owner",
    "path",
    "depth",
    "numchild",
    "live",
    "parent",
    "children",
    "ancestors",
    "siblings",
    "descendants",
    "previousSiblings",
    "nextSiblings",
    "redirects",
    "snippets",
    "pages",
    "page",
    "collections",
    "collection",
    "documents",
    "document",
    "images",
    "site",
    "sites",
    "settings",
    "setting",
    "aliasOf",
    "translationKey",
    "showInMenus",
    "lastPublishedRevision",
    "previewToken",
]
FORBIDDEN_ROOT_FIELDS = ["image", "rendition", "redirect", "collection", "revision"]
FORBIDDEN_TYPES = [
    "Page",
    "PageInterface",
    "ImageObjectType",
    "ImageRenditionObjectType",
    "DocumentObjectType",
    "CollectionObjectType",
    "Redirect",
    "SiteObjectType",
    "Search",
    "PageViewRestriction",
    "CollectionViewRestriction",
    "Revision",
]


def _public_schema():
    from cms.graphql.public_schema import schema

    return schema.graphql_schema


def _committed_schema():
    from pathlib import Path

    from django.conf import settings
    from graphql import build_schema

    path = Path(settings.BASE_DIR) / "frontend_contract" / "schema.graphql"
    return build_schema(path.read_text())


def _field_names(graphql_schema) -> set[str]:
    names = set()
    for graphql_type in graphql_schema.type_map.values():
        if graphql_type.name.startswith("__"):
            continue
        names |= set(getattr(graphql_type, "fields", None) or {})
    return names


@pytest.mark.parametrize("field", FORBIDDEN_FIELDS)
def test_public_schema_has_no_field_that_could_reveal_hidden_state(field):
    assert field not in _field_names(_public_schema())
    assert field not in _field_names(_committed_schema())


@pytest.mark.parametrize("field", FORBIDDEN_ROOT_FIELDS)
def test_public_schema_has_no_generic_root_lookup(field):
    assert field not in _public_schema().query_type.fields


@pytest.mark.parametrize("type_name", FORBIDDEN_TYPES)
def test_public_schema_has_no_wagtail_internal_type(type_name):
    assert _public_schema().get_type(type_name) is None
    assert _committed_schema().get_type(type_name) is None


def test_the_slug_map_picks_what_public_article_picks(corpus, db, settings):
    """A kept article is found by slug in a map of every public article
    (``public_article_keys``); for every slug, hidden or not, it names the
    article ``public_article`` finds, or none."""
    from cms.graphql.cache import current_generation
    from cms.selectors import forget_snapshot, outer_transaction_ignored, request_scope
    from content.articles.selectors import public_article, public_article_keys
    from content.models import ArticlePage

    settings.PUBLIC_VISIBILITY_CACHE = True
    slugs = {*ArticlePage.objects.values_list("slug", flat=True), *HIDDEN_ARTICLES}
    forget_snapshot()
    with outer_transaction_ignored(), request_scope(current_generation()):
        keys = public_article_keys()
        assert keys is not None
        for slug in sorted(slugs):
            found = public_article(slug=slug)
            expected = found and (found.pk, found.live_revision_id)
            assert keys.get(slug) == expected, slug
    forget_snapshot()
    assert not set(HIDDEN_ARTICLES) & set(keys)
