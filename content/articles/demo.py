"""The clinic's real article, "Physical Therapy or Personal Training?".

Every sentence of the seed (/work/shared/seed/...) has a home below; scrape
noise ("top of page", "105 views0 comments", "bottom of page") is dropped.
The social links at the end of the seed live in the organisation settings.

Generated articles (``load_generated``, for ``load_demo_content --articles N``)
are deterministic from the seed, idempotent (slugs ``generated-article-0001``
...) and shaped like real articles: headings, paragraphs of several sentences,
a callout, the shared comparison table and the demo hero image.
"""

from random import Random

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from content.articles.models import (
    ArticlePage,
    ArticlePageAuthor,
    Author,
    BlogIndexPage,
)
from content.catalogue.models import Credential
from content.media.demo import demo_image
from content.richtext.demo import p
from content.tables.models import ComparisonTable

ARTICLE_SLUG = "physical-therapy-or-personal-training"
BOOKING_URL = "https://dynamicphysicaltherapy.janeapp.com/"


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(*texts):
    return {"type": "paragraph", "value": p(*texts)}


def article_body(table: ComparisonTable) -> list[dict]:
    return [
        {
            "type": "callout",
            "value": {
                "kind": "quote",
                "lead_in": "A common question we hear is:",
                "text": p(
                    "“What is the difference between Physical Therapy and Personal "
                    'Training?"'
                ),
                "attribution": "",
            },
        },
        {
            "type": "callout",
            "value": {
                "kind": "analogy",
                "lead_in": "",
                "text": p(
                    "Often my short answer is, Physical therapy is much like your "
                    "dentist- when something is wrong, we are able to diagnose and "
                    "treat the problem. When things are going well, the hygienist is "
                    "much like your personal trainer- they continue to challenge you "
                    "and make sure no cavities or ailments pop up along the way. Here "
                    "at Dynamic, it is our belief that these two should always work "
                    "as a team ever helping you no matter where you are on your "
                    "health and wellness journey."
                ),
                "attribution": "",
            },
        },
        paragraph(
            "When looking at the long answer of this question we need to take a "
            "deeper look at the focus, education, and licensure of each profession "
            "to help you determine what is the best route for you."
        ),
        heading("A complicated question:"),
        {
            "type": "spectrum",
            "value": {
                "title": "The spectrum of care",
                "stages": [
                    {
                        "name": "Medical care",
                        "led_by": "Primary care physician",
                        "description": "Cancer, cardiac disease, bone fracture etc.",
                    },
                    {
                        "name": "Physical therapy",
                        "led_by": "Physical therapist",
                        "description": "Entering or exiting medical care, working "
                        "back into fitness.",
                    },
                    {
                        "name": "Fitness and performance",
                        "led_by": "Coach and/or personal trainer",
                        "description": "Healthy and looking to enhance performance.",
                    },
                ],
            },
        },
        paragraph(
            "Everyone is at a different point in their health journey. If we look "
            "at this as a spectrum above, we see on the far left an individual who "
            "is in need of medical attention (Cancer, cardiac disease, bone fracture "
            "etc.). Their care is often directed and handled by their primary care "
            "physician. Whereas on the other side of the spectrum when someone is "
            "healthy and looking to enhance their performance this is often "
            "directed by their coach and /or personal trainer."
        ),
        heading("Physical Therapy"),
        paragraph(
            "Physical therapy then sits in the middle often working with "
            "individuals who are in or exiting the medical side of things and "
            "working to get back into fitness. Physical therapists will prescribe "
            "specific exercises complimented with hands on treatments (Dry "
            "needling, Cupping, Massage, manipulation, etc.) to restore their "
            "baseline health. The ultimate goal is to get the individual back to "
            "their personal wellness and performance goals.",
            "On the other side of the spectrum, Physical Therapists also work with "
            "an individual who has injured themselves working out, training or in "
            "everyday activities. Here, Physical therapists often determine if "
            "further medical attention is needed. For example- rule out a bony "
            "fracture, determine if the ailment or injury is non-musculoskeletal in "
            "nature such as cancer, or if there is a potential underlying disease "
            "developing.",
            "So, at the end of the day whether you are at the beginning of your "
            "health journey, recovering from a medical ailment, or looking to "
            "enhance your fitness, a physical therapist can help point you in the "
            "right direction to carry your plan forward. On the other hand, personal "
            "trainers often help someone who is healthy and looking to enhance "
            "their fitness and performance. They often can help carry forward a "
            "physical therapy plan but may not have the tool set to determine if "
            "something needs further medical attention or not, or what may be the "
            "underlying cause of an individual’s impairments based on their "
            "educational training.",
            "This is the “why” behind the differences in Physical Therapy and "
            "Personal Training. Let's take a look at how these two differ:",
        ),
        {"type": "comparison_table", "value": table.pk},
        paragraph(
            "To become a licensed Physical Therapist in Wisconsin, you must obtain "
            "a Doctor of Physical Therapy (DPT) degree from an accredited school. "
            "Schools must be accredited through CAPTE (Commission on Accreditation "
            "in Physical Therapy Education.) Physical Therapists must pass the "
            "National Physical Therapy Exam, which is administered by the "
            "Federation of State Boards of Physical Therapy. Licensure is required "
            "in order to practice as a PT or work as a PTA. Licensure is managed by "
            "individual state regulatory boards. You will know that an individual "
            "has completed all these requirements as only physical therapists can "
            "use the credentials PT, and PTA is reserved for physical therapy "
            "assistant.",
            "The minimum requirements to become a personal trainer in Wisconsin are "
            "a high school diploma, knowledge of exercise and fitness, and CPR/AED "
            "certification. A certification is not required. Before starting with a "
            "personal trainer, best practice would to be look at their background "
            "and certifications held (Look for NSCA CPT or CSCS or NASM CPT). If "
            "seeking a trainer through a health or wellness facility, most "
            "employers prefer to hire personal trainers who are certified through "
            "one of many national fitness agencies.",
        ),
        heading("Closing Remarks:"),
        paragraph(
            "When trying to decide who you should see first, think of the Physical "
            "Therapist as your Dentist. They can help you rule out that your "
            "general aches and pains are not growing “cavities.” If they are a "
            "growing “cavity,” help you understand how to best treat them and "
            "return them back to their shiny white selves. In doing so, also point "
            "you in the direction of some great personal trainers who can keep them "
            "shiny and pearly where you can smile proudly."
        ),
        {
            "type": "call_to_action",
            "value": {
                "heading": "Build your team",
                "text": p(
                    "Reach out to one of our Dynamic Physical Therapist’s today so we "
                    "can connect you with some of our great personal training and "
                    "coaching partners based around your needs and goals!"
                ),
                "button_label": "Book on Jane App",
                "page": None,
                "external_url": BOOKING_URL,
            },
        },
        # Integrator: a featured_trainers block goes here once trainers exist.
    ]


def load_author(stdout) -> Author:
    author = Author.objects.filter(slug="dynamic-physical-therapy-team").first()
    if author is None:
        photo = demo_image(
            "Demo author portrait",
            "demo-author.png",
            "Abstract teal portrait placeholder",
            size=(600, 600),
        )
        author = Author.objects.create(
            name="Dynamic Physical Therapy Team",
            slug="dynamic-physical-therapy-team",
            credentials="PT, DPT",
            role="Physical therapists",
            photo=photo,
            photo_alt="Abstract teal placeholder portrait",
            bio=p(
                "The physical therapists of Dynamic Physical Therapy. (Demo author: "
                "the original post carries no byline.)"
            ),
        )
        stdout.write("  created author")
    return author


def load_blog_index(home, stdout) -> BlogIndexPage:
    index = BlogIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=BlogIndexPage(
                title="Blog", slug="blog", intro=p("News and advice from the clinic.")
            )
        )
        index.save_revision().publish()
        stdout.write("  created blog index")
    return index


@transaction.atomic
def load(
    stdout,
    *,
    parent: Page,
    table: ComparisonTable,
    credentials: dict[str, Credential],
) -> ArticlePage:
    """The blog index under ``parent`` and the seed article, which shows
    ``table`` and discusses ``credentials`` (catalogue entries by slug)."""
    author = load_author(stdout)
    index = load_blog_index(parent, stdout)
    article = ArticlePage.objects.filter(slug=ARTICLE_SLUG).first()
    if article is not None:
        return article
    hero = demo_image(
        "Demo hero: therapy and training",
        "demo-hero.png",
        "Abstract gradient from teal to green with a white circle",
    )
    article = ArticlePage(
        title="Physical Therapy or Personal Training?",
        slug=ARTICLE_SLUG,
        subtitle="The difference explained.",
        summary=(
            "How physical therapists and personal trainers differ in focus, "
            "education and licensure, and why they work best as a team."
        ),
        hero_image=hero,
        hero_image_alt="Abstract teal-to-green gradient with a white circle",
        body=article_body(table),
    )
    article.article_authors = [ArticlePageAuthor(author=author)]
    index.add_child(instance=article)
    article.tags.add("physical therapy", "personal training", "education")
    article.credentials.set(
        [
            credentials[slug]
            for slug in (
                "dpt",
                "pt",
                "pta",
                "nsca-cpt",
                "nsca-cscs",
                "nasm-cpt",
                "cpr-aed",
            )
        ]
    )
    article.save_revision().publish()
    stdout.write("  created seed article")
    return article


TOPICS = [
    "knee pain",
    "lower back pain",
    "shoulder mobility",
    "running injuries",
    "strength after surgery",
    "balance for older adults",
    "youth athlete training",
    "posture at work",
    "hip replacement recovery",
    "ankle sprains",
]
SENTENCES = [
    "A physical therapist starts by finding out what is wrong and why.",
    "Exercises are chosen for the problem in front of us, not from a template.",
    "Progress is measured every visit so the plan can change with you.",
    "A trainer keeps the momentum going once the injury has settled.",
    "Good coaching builds strength, confidence and habits that last.",
    "Pain that lingers for weeks deserves a proper assessment.",
    "Small, regular sessions beat occasional heroic efforts.",
    "We work with your doctor when something needs medical attention.",
    "Sleep, stress and nutrition all shape how tissues recover.",
    "The goal is always to get you back to what you love doing.",
]


def _body(rng: Random, topic: str, table) -> list[dict]:
    blocks = [paragraph(*rng.sample(SENTENCES, 3))]
    for section in range(rng.randint(3, 6)):
        blocks.append(heading(f"{topic.capitalize()}: part {section + 1}"))
        blocks.append(paragraph(*rng.sample(SENTENCES, 4)))
    blocks.append(
        {
            "type": "callout",
            "value": {
                "kind": "tip",
                "lead_in": "Tip:",
                "text": f"<p>{rng.choice(SENTENCES)}</p>",
                "attribution": "",
            },
        }
    )
    if table is not None:
        blocks.append({"type": "comparison_table", "value": table.pk})
    return blocks


def load_generated(index, count: int, seed: int, stdout, *, template=None):
    """Top up to ``count`` generated articles under ``index``."""
    existing = set(
        ArticlePage.objects.filter(slug__startswith="generated-article-").values_list(
            "slug", flat=True
        )
    )
    rng = Random(seed)
    table = None
    hero = None
    author = None
    if template is not None:
        hero = template.hero_image
        first_author = template.article_authors.first()
        author = first_author.author if first_author else None
        table_block = next(
            (b for b in template.body if b.block_type == "comparison_table"), None
        )
        table = table_block.value if table_block else None
    created = 0
    now = timezone.now()
    for number in range(1, count + 1):
        slug = f"generated-article-{number:04d}"
        topic = TOPICS[number % len(TOPICS)]
        body = _body(rng, topic, table)  # drawn even when skipped: deterministic
        if slug in existing:
            continue
        article = ArticlePage(
            title=f"{topic.capitalize()}: what helps (#{number})",
            slug=slug,
            subtitle=f"Notes from the clinic on {topic}.",
            summary=rng.choice(SENTENCES),
            hero_image=hero,
            hero_image_alt="Abstract teal-to-green gradient" if hero else "",
            body=body,
            first_published_at=now,
        )
        if author is not None:
            article.article_authors = [ArticlePageAuthor(author=author)]
        index.add_child(instance=article)
        article.tags.add(topic)
        created += 1
        if created % 50 == 0:
            stdout.write(f"  generated articles: {created}")
    if created:
        stdout.write(f"  created {created} generated articles")
