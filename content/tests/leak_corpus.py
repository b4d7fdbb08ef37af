"""A demo site plus one object in every hidden state, each carrying a marker.

Every hidden title, slug, file name and body contains ``leak`` (any case)
and nothing public does, so a probe only has to search a response body for
that one word. ``build()`` returns the ids and slugs the probes need.
"""

import json
from datetime import timedelta
from io import StringIO
from urllib.parse import quote

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
)

from content.articles.factories import (
    ArticlePageFactory,
    AuthorFactory,
    BlogIndexPageFactory,
)
from content.engagement.models import Comment, CommentStatus
from content.media.demo import draw
from content.models import ArticlePage, BlogIndexPage, ComparisonTable
from content.tables.factories import ComparisonTableFactory, table_rows
from home.models import HomePage, HomePageFeaturedArticle

MARKER = "leak"

# Hidden article slugs: article(slug) must be null for each, anywhere.
HIDDEN_ARTICLES = [
    "leak-draft-article",
    "leak-scheduled",
    "leak-expired",
    "leak-private-login",
    "leak-private-password",
    "leak-private-groups",
    "leak-child-of-private",
    "leak-child-of-draft",
    "leak-child-of-scheduled",
    "leak-child-of-expired",
    # The slug a live article has in its unpublished revision only.
    "leak-unpublished-slug",
]
HIDDEN_TABLES = [
    "leak-draft-table",
    "leak-scheduled-table",
    "leak-expired-table",
    "leak-table-unpublished-slug",
]
HIDDEN_TAGS = ["leak-draft-tag", "leak-expired-tag", "leak-private-tag"]
PUBLIC_ARTICLES = ["carrier-article", "carrier-changed"]
HIDDEN_TRAINERS = [
    "leak-trainer-draft",
    "leak-trainer-scheduled",
    "leak-trainer-expired",
    "leak-trainer-private",
    "leak-trainer-child-of-draft",
    "leak-trainer-unpublished-slug",
]
PUBLIC_TRAINERS = ["carrier-trainer"]
PUBLIC_TABLES = ["carrier-table"]
PREVIEW_FILTERS = ["fill-200x200", "width-400"]


def _image(title, collection):
    image = get_image_model()(title=title, collection=collection)
    image.file = ImageFile(draw(title, size=(64, 48)), name=f"{title.lower()}.png")
    image.save()
    return image


def _article(parent, slug, *, live=True, tags=(), **kwargs):
    kwargs.setdefault("title", slug.upper())
    kwargs.setdefault(
        "body", [{"type": "paragraph", "value": f"<p>{slug.upper()} body.</p>"}]
    )
    article = ArticlePageFactory(parent=parent, slug=slug, live=live, **kwargs)
    if tags:
        article.tags.add(*tags)
        article.save()
    if live:
        article.save_revision().publish()
    else:
        article.save_revision()
    return ArticlePage.objects.get(pk=article.pk)


def _link(page, text):
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def _cta(page, heading):
    return {
        "type": "call_to_action",
        "value": {
            "heading": heading,
            "text": "<p>Carrier call to action.</p>",
            "button_label": "Go",
            "page": page.pk,
            "external_url": "",
        },
    }


def _comments(carrier, hidden_article):
    """Pending, rejected and spam comments and replies on the carrier, and an
    approved one on a hidden article: only the approved ones may show."""
    approved = Comment.objects.create(
        article=carrier,
        name="Carrier Reader",
        body="A public comment.",
        status=CommentStatus.APPROVED,
    )
    Comment.objects.create(
        article=carrier,
        parent=approved,
        name="Clinic Staff",
        body="A public staff reply.",
        status=CommentStatus.APPROVED,
        is_staff_reply=True,
    )
    for status in ("pending", "rejected", "spam"):
        Comment.objects.create(
            article=carrier,
            name=f"Leak {status} author",
            body=f"LEAK-{status.upper()}-COMMENT",
            status=status,
        )
        Comment.objects.create(
            article=carrier,
            parent=approved,
            name=f"Leak {status} replier",
            body=f"LEAK-{status.upper()}-REPLY",
            status=status,
        )
    Comment.objects.create(
        article=hidden_article,
        name="Leak approved on a draft",
        body="LEAK-APPROVED-ON-DRAFT",
        status=CommentStatus.APPROVED,
    )


def build() -> dict:
    call_command("load_demo_content", stdout=StringIO())
    now = timezone.now()
    home = HomePage.objects.get()
    blog = BlogIndexPage.objects.get()

    # Media in a private collection and in a child of it.
    root = Collection.get_first_root_node()
    private = root.add_child(name="LEAK-private-collection")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    private_child = private.add_child(name="LEAK-private-child-collection")
    hero = _image("LEAK-PRIVATE-IMAGE", private)
    body_image = _image("LEAK-PRIVATE-CHILD-IMAGE", private_child)
    photo = _image("LEAK-PRIVATE-AUTHOR-PHOTO", private)
    embed_image = _image("LEAK-PRIVATE-EMBED-IMAGE", private_child)
    document = get_document_model()(title="LEAK-PRIVATE-DOC", collection=private)
    document.file.save("leak-private-doc.txt", ContentFile(b"LEAK"), save=False)
    document.save()

    # Hidden pages.
    draft_author = AuthorFactory(name="LEAK-AUTHOR-OF-DRAFT")
    draft = _article(blog, "leak-draft-article", live=False, tags=["leak-draft-tag"])
    draft.article_authors.create(author=draft_author)
    scheduled = _article(blog, "leak-scheduled", live=False)
    scheduled.go_live_at = now + timedelta(days=7)
    scheduled.save_revision(approved_go_live_at=scheduled.go_live_at)
    expired = _article(blog, "leak-expired", tags=["leak-expired-tag"])
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=now - timedelta(days=1))

    private_pages = {}
    for kind, extra in [
        ("login", {}),
        ("password", {"password": "secret"}),
        ("groups", {}),
    ]:
        page = _article(blog, f"leak-private-{kind}", tags=["leak-private-tag"])
        PageViewRestriction.objects.create(
            page=page,
            restriction_type=getattr(PageViewRestriction, kind.upper()),
            **extra,
        )
        private_pages[kind] = page

    def hidden_blog(slug, live=True):
        index = BlogIndexPageFactory(parent=home, slug=slug, title=slug.upper())
        if not live:
            BlogIndexPage.objects.filter(pk=index.pk).update(live=False)
        return BlogIndexPage.objects.get(pk=index.pk)

    private_blog = hidden_blog("leak-private-blog")
    PageViewRestriction.objects.create(
        page=private_blog, restriction_type=PageViewRestriction.LOGIN
    )
    child_of_private = _article(private_blog, "leak-child-of-private")
    draft_blog = hidden_blog("leak-draft-blog")
    child_of_draft = _article(draft_blog, "leak-child-of-draft")
    # Unpublish the parent after the child went live: Wagtail leaves it live.
    draft_blog.unpublish()
    scheduled_blog = hidden_blog("leak-scheduled-blog", live=False)
    BlogIndexPage.objects.filter(pk=scheduled_blog.pk).update(
        go_live_at=now + timedelta(days=3)
    )
    child_of_scheduled = _article(scheduled_blog, "leak-child-of-scheduled")
    expired_blog = hidden_blog("leak-expired-blog")
    BlogIndexPage.objects.filter(pk=expired_blog.pk).update(
        expire_at=now - timedelta(hours=1)
    )
    child_of_expired = _article(expired_blog, "leak-child-of-expired")

    # Snippets.
    draft_table = ComparisonTableFactory(
        slug="leak-draft-table", title="LEAK-DRAFT-TABLE", live=False
    )
    draft_table.save_revision()
    scheduled_table = ComparisonTableFactory(
        slug="leak-scheduled-table",
        title="LEAK-SCHEDULED-TABLE",
        live=False,
        go_live_at=now + timedelta(days=2),
    )
    scheduled_table.save_revision()
    expired_table = ComparisonTableFactory(
        slug="leak-expired-table",
        title="LEAK-EXPIRED-TABLE",
        expire_at=now - timedelta(days=1),
    )
    carrier_table = ComparisonTableFactory(slug="carrier-table", title="Carrier table")
    carrier_table.save_revision().publish()
    carrier_table.title = "LEAK-TABLE-UNPUBLISHED-CHANGES"
    carrier_table.slug = "leak-table-unpublished-slug"
    carrier_table.rows = table_rows(
        [("LEAK-TABLE-DRAFT-ROW", ["<p>LEAK cell</p>", "<p>LEAK cell</p>"])]
    )
    carrier_table.save_revision()

    # A live article with a newer, unpublished revision.
    changed = _article(blog, "carrier-changed", title="Changed live title")
    changed.title = "LEAK-UNPUBLISHED-CHANGES"
    changed.slug = "leak-unpublished-slug"
    changed.summary = "LEAK-UNPUBLISHED-SUMMARY"
    changed.body = [{"type": "paragraph", "value": "<p>LEAK-UNPUBLISHED-BODY</p>"}]
    changed.save_revision()

    # The public carrier: every way a public page can point at hidden things.
    hidden_links = [
        draft,
        scheduled,
        expired,
        *private_pages.values(),
        child_of_private,
        child_of_draft,
        child_of_scheduled,
        child_of_expired,
        private_blog,
        draft_blog,
    ]
    carrier_author = AuthorFactory(name="Carrier Author", photo=photo)
    links = " ".join(
        _link(page, f"hidden link {n}") for n, page in enumerate(hidden_links)
    )
    carrier = _article(
        blog,
        "carrier-article",
        title="Carrier article",
        hero_image=hero,
        tags=["carrier-tag"],
        body=[
            {"type": "paragraph", "value": f"<p>Links: {links}.</p>"},
            {
                "type": "paragraph",
                "value": (
                    f'<p>A <a linktype="document" id="{document.pk}">document</a> '
                    f'and <embed embedtype="image" id="{embed_image.pk}" '
                    'format="left" alt="an embed"/> picture.</p>'
                ),
            },
            {
                "type": "callout",
                "value": {
                    "kind": "note",
                    "lead_in": "",
                    "text": f"<p>See {_link(draft, 'the draft')}.</p>",
                    "attribution": "",
                },
            },
            {
                "type": "image",
                "value": {
                    "image": body_image.pk,
                    "alt_text": "carrier alt",
                    "caption": "carrier caption",
                },
            },
            {"type": "comparison_table", "value": draft_table.pk},
            {"type": "comparison_table", "value": scheduled_table.pk},
            {"type": "comparison_table", "value": expired_table.pk},
            {"type": "comparison_table", "value": carrier_table.pk},
            _cta(draft, "Carrier CTA to a draft"),
            _cta(private_pages["login"], "Carrier CTA to a private page"),
            _cta(child_of_draft, "Carrier CTA to a child of a draft"),
        ],
    )
    carrier.article_authors.create(author=carrier_author)
    carrier.save_revision().publish()

    # The home page features hidden articles and links its CTA to a draft...
    for order, article in enumerate(
        [draft, expired, private_pages["password"], child_of_draft, child_of_expired]
    ):
        HomePageFeaturedArticle.objects.create(
            page=home, article=article, sort_order=100 + order
        )
    home.call_to_action = [_cta(draft, "Home CTA")]
    home.save_revision().publish()
    home = HomePage.objects.get(pk=home.pk)
    # ...and has an unpublished revision.
    home.hero_heading = "LEAK-HOME-DRAFT-HERO"
    home.save_revision()

    trainer_ids = _trainers(home, hidden_links, document, embed_image, photo)
    carrier_body = list(carrier.body.raw_data)
    carrier_body.append(
        {
            "type": "featured_trainers",
            "value": {"heading": "Carrier trainers", "trainers": trainer_ids},
        }
    )
    carrier.body = carrier_body
    carrier.save_revision().publish()
    _comments(carrier, draft)
    _search_promotions([draft, expired, child_of_draft, private_pages["login"]])

    # Renditions of public images exist up front, so probes don't resize.
    for image in get_image_model().objects.exclude(
        collection__in=[private, private_child]
    ):
        for spec in PREVIEW_FILTERS:
            image.get_rendition(spec)

    return {
        "home": home.pk,
        "draft": draft.pk,
        "draft_table": draft_table.pk,
        "private_login": private_pages["login"].pk,
        "private_image_ids": [hero.pk, body_image.pk, photo.pk, embed_image.pk],
        "document": document.pk,
        "carrier": carrier.pk,
        "changed": changed.pk,
        "carrier_table": carrier_table.pk,
        "child_of_draft": child_of_draft.pk,
    }


def _trainers(home, hidden_links, document, embed_image, photo) -> list[int]:
    """Hidden trainer profiles (all in 'Leakville'), and a public carrier
    profile with a private photo, hidden links and an unpublished revision."""
    from content.trainers.factories import (
        TrainerDirectoryPageFactory,
        TrainerProfilePageFactory,
    )
    from content.trainers.models import TrainerDirectoryPage, TrainerProfilePage
    from home.models import HomePageFeaturedTrainer

    now = timezone.now()
    directory = TrainerDirectoryPage.objects.get(slug="trainers")
    hidden = {"city": "Leakville", "postal_code": "LEAK1", "headline": "LEAK"}

    def trainer(parent, slug, live=True, **extra):
        page = TrainerProfilePageFactory(
            parent=parent, slug=slug, title=slug.upper(), live=live, **hidden, **extra
        )
        if live:
            page.save_revision().publish()
        else:
            page.save_revision()
        return TrainerProfilePage.objects.get(pk=page.pk)

    pages = [
        trainer(directory, "leak-trainer-draft", live=False),
        trainer(
            directory,
            "leak-trainer-scheduled",
            live=False,
            go_live_at=now + timedelta(days=1),
        ),
    ]
    expired = trainer(directory, "leak-trainer-expired")
    TrainerProfilePage.objects.filter(pk=expired.pk).update(
        expire_at=now - timedelta(minutes=5)
    )
    private = trainer(directory, "leak-trainer-private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    draft_directory = TrainerDirectoryPageFactory(
        parent=home, slug="leak-draft-directory", title="LEAK-DRAFT-DIRECTORY"
    )
    child = trainer(draft_directory, "leak-trainer-child-of-draft")
    draft_directory.unpublish()
    pages += [expired, private, child]

    links = " ".join(_link(page, f"hidden {n}") for n, page in enumerate(hidden_links))
    carrier = TrainerProfilePageFactory(
        parent=directory,
        slug="carrier-trainer",
        title="Carrier Trainer",
        photo=photo,
        bio=[
            {"type": "paragraph", "value": f"<p>Links: {links}.</p>"},
            {
                "type": "paragraph",
                "value": (
                    f'<p>A <a linktype="document" id="{document.pk}">doc</a> '
                    f'<embed embedtype="image" id="{embed_image.pk}" '
                    'format="left" alt="x"/></p>'
                ),
            },
        ],
    )
    carrier.save_revision().publish()
    carrier = TrainerProfilePage.objects.get(pk=carrier.pk)
    carrier.title = "LEAK-TRAINER-UNPUBLISHED"
    carrier.slug = "leak-trainer-unpublished-slug"
    carrier.city = "Leakville"
    carrier.headline = "LEAK-TRAINER-DRAFT-HEADLINE"
    carrier.save_revision()

    for order, page in enumerate(pages):
        HomePageFeaturedTrainer.objects.create(
            page=home, trainer=page, sort_order=100 + order
        )
    return [page.pk for page in pages] + [carrier.pk]


def _search_promotions(pages) -> None:
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    query = Query.get("carrier")
    for order, page in enumerate(pages):
        SearchPromotion.objects.create(
            query=query, page=page, sort_order=order, description="promoted"
        )


def hidden_table_ids() -> list[int]:
    return list(
        ComparisonTable.objects.filter(slug__startswith=MARKER).values_list(
            "pk", flat=True
        )
    )


# Text that is not valid Unicode: an unpaired surrogate, in each place the
# endpoint reads text. Whoever asks, such a request is refused (400
# INVALID_UNICODE) before any content is looked up.
UNPAIRED_SURROGATES = {"high": "\ud800", "low": "\udc00"}
INVALID_UNICODE_PLACES = [
    "query",
    "operationName",
    "variable value",
    "variable name",
    "nested variables",
    "extensions",
    "persisted id",
    "GET query bytes",
    "GET variables escape",
    "GET variables bytes",
    "GET extensions escape",
    "X-Api-Key",
    "X-Preview-Token",
]


def invalid_unicode_request(place: str, char: str, slug: str, token: str) -> dict:
    """Test-client arguments asking for the article ``slug`` with ``char``
    (a lone surrogate) in ``place``. JSON carries it as an escape; a query
    string and a header carry its bytes (``ED A0 80``), which are not UTF-8
    (WSGI hands header bytes over as latin-1 text). ``token`` is a genuine
    preview token, so the header probe is a real token spoiled."""
    wire = char.encode("utf-8", "surrogatepass")
    raw = quote(wire)
    query = "query One($slug: String!) { article(slug: $slug) { title } }"
    body = {"query": query, "variables": {"slug": slug}}
    headers = {}
    if place == "query":
        body["query"] = query.replace("title", f"title # {char}")
    elif place == "operationName":
        body["operationName"] = "One" + char
    elif place == "variable value":
        body["variables"] = {"slug": slug + char}
    elif place == "variable name":
        body["variables"] = {"slug": slug, char: slug}
    elif place == "nested variables":
        body["variables"] = {"slug": slug, "x": [{"y": [char]}]}
    elif place == "extensions":
        body["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": char}}
    elif place == "persisted id":
        body = {"id": char, "variables": {"slug": slug}}
    elif place == "X-Api-Key":
        headers["HTTP_X_API_KEY"] = "key" + wire.decode("latin-1")
    elif place == "X-Preview-Token":
        headers["HTTP_X_PREVIEW_TOKEN"] = token + wire.decode("latin-1")
    elif place.startswith("GET "):
        params = {
            "query": quote(query),
            "variables": quote(json.dumps(body["variables"])),
        }
        if place == "GET query bytes":
            params["query"] = quote(query.replace("title", "title #")) + raw
        elif place == "GET variables escape":
            params["variables"] = quote(json.dumps({"slug": slug + char}))
        elif place == "GET variables bytes":
            params["variables"] = (
                quote(json.dumps({"slug": slug})[:-2]) + raw + "%22%7D"
            )
        elif place == "GET extensions escape":
            params["extensions"] = quote(json.dumps({"note": char}))
        string = "&".join(f"{name}={value}" for name, value in params.items())
        return {"method": "GET", "path": f"/graphql/?{string}", "headers": headers}
    else:
        raise ValueError(place)
    return {
        "method": "POST",
        "path": "/graphql/",
        "data": json.dumps(body),
        "headers": headers,
    }
