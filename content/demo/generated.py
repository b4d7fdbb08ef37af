"""Generated articles for benchmarks (``load_demo_content --articles N``).

Deterministic from the seed, idempotent (slugs ``generated-article-0001``...),
and shaped like real articles: headings, paragraphs with several sentences,
a callout, the shared comparison table and the demo hero image.
"""

from random import Random

from django.utils import timezone

from content.demo.articles import heading, paragraph
from content.models import ArticlePage, ArticlePageAuthor

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


def load_generated_articles(index, count: int, seed: int, stdout, *, template=None):
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
