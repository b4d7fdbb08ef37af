"""Demo site: the home page as the root of the default site (idempotent)."""

from django.conf import settings as django_settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from content.media.demo import demo_image
from content.trainers.models import TrainerProfilePage
from home.models import (
    HomePage,
    HomePageFeaturedArticle,
    HomePageFeaturedTrainer,
    OrganisationSettings,
)

HOME_TITLE = "Dynamic Physical Therapy"


def ensure_tree_root() -> Page:
    """The tree root and default locale, recreated if a flush removed them."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(
            django_settings.LANGUAGE_CODE
        )
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    return root


@transaction.atomic
def load_site(stdout) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = ensure_tree_root()
        # Wagtail's initial migration creates a placeholder "Welcome" page on
        # the default site; the home page takes over its slug and site.
        placeholder = Page.objects.filter(depth=2, slug="home").exclude(
            content_type__model="homepage"
        )
        for page in placeholder:
            page.delete()
        home = root.add_child(
            instance=HomePage(
                title=HOME_TITLE,
                slug="home",
                hero_heading="Physical therapy and training, working as a team",
                hero_text=(
                    "Dynamic Physical Therapy diagnoses and treats what hurts, then "
                    "connects you with trusted partner trainers to keep you moving."
                ),
            )
        )
        stdout.write("  created home page")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=HOME_TITLE,
        )
        stdout.write("  created default site")
    elif site.root_page_id != home.pk or site.site_name != HOME_TITLE:
        site.root_page = home
        site.site_name = HOME_TITLE
        site.save()
        stdout.write("  pointed default site at the home page")
    return home


SOCIAL_LINKS = [
    ("facebook", "https://www.facebook.com/dynamicphysicaltherapy", "Facebook"),
    ("instagram", "https://www.instagram.com/dynamicphysicaltherapy", "Instagram"),
    ("youtube", "https://www.youtube.com/@dynamicphysicaltherapy", "YouTube"),
    ("google", "https://g.page/dynamicphysicaltherapy", "Google"),
    ("jane_app", "https://dynamicphysicaltherapy.janeapp.com/", "Jane App"),
]


@transaction.atomic
def load_organisation_settings(stdout) -> OrganisationSettings:
    site = Site.objects.get(is_default_site=True)
    settings, created = OrganisationSettings.objects.get_or_create(site=site)
    if created or not settings.social_links:
        settings.clinic_name = HOME_TITLE
        settings.city = "Wisconsin Rapids"
        settings.state = "WI"
        settings.booking_url = SOCIAL_LINKS[-1][1]
        settings.social_links = [
            {
                "type": "social_link",
                "value": {
                    "platform": platform,
                    "url": url,
                    "link_text": f"Check us out on {name}!",
                },
            }
            for platform, url, name in SOCIAL_LINKS
        ]
        settings.save()
        stdout.write("  saved organisation settings and social links")
    return settings


@transaction.atomic
def load_home_features(home: HomePage, articles, stdout) -> None:
    """Feature the demo articles and add the call to action, once."""
    if home.featured_articles.exists() or home.call_to_action:
        return
    home.hero_image = demo_image(
        "Demo home hero", "demo-home-hero.png", "Abstract blue-green gradient"
    )
    home.hero_image_alt = "Abstract blue-green gradient"
    home.featured_articles = [
        HomePageFeaturedArticle(article=article) for article in articles
    ]
    home.call_to_action = [
        {
            "type": "call_to_action",
            "value": {
                "heading": "Start with a physical therapist",
                "text": "<p>We diagnose and treat, then connect you with our "
                "partner trainers.</p>",
                "button_label": "Book on Jane App",
                "page": None,
                "external_url": SOCIAL_LINKS[-1][1],
            },
        }
    ]
    home.save_revision().publish()
    stdout.write("  featured articles on the home page")


def load_featured_trainers(home: HomePage, article, stdout) -> None:
    """Feature three demo trainers on the home page and after the seed
    article's closing call to action ("... our great personal training and
    coaching partners"), once."""
    trainers = list(TrainerProfilePage.objects.live().public().order_by("path")[:3])
    if not trainers:
        return
    home = HomePage.objects.get(pk=home.pk)
    if not home.featured_trainers.exists():
        home.featured_trainers = [HomePageFeaturedTrainer(trainer=t) for t in trainers]
        home.save_revision().publish()
        stdout.write("  featured trainers on the home page")
    article = type(article).objects.get(pk=article.pk)
    if not any(b.block_type == "featured_trainers" for b in article.body):
        article.body.append(
            (
                "featured_trainers",
                {
                    "heading": "Some of our partner trainers",
                    "trainers": trainers,
                },
            )
        )
        article.save_revision().publish()
        stdout.write("  featured trainers in the seed article")
