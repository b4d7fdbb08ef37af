"""Publish one article that uses every body block type once, as an editor would,
and five short notes, so that the article list has a second page.

Run inside the server's environment, after load_demo_content:
    manage.py shell < scripts/site-content/every_block.py
The reference site's tests read it back through the API (web/tests/). Models
are looked up by label, so the script survives moves inside the content app.
Idempotent: a second run changes nothing.
"""

from django.apps import apps
from wagtail.images import get_image_model

ArticlePage = apps.get_model("content", "ArticlePage")
BlogIndexPage = apps.get_model("content", "BlogIndexPage")
ComparisonTable = apps.get_model("content", "ComparisonTable")
TrainerProfilePage = apps.get_model("content", "TrainerProfilePage")

SLUG = "every-block"
if not ArticlePage.objects.filter(slug=SLUG).exists():
    seed = ArticlePage.objects.get(slug="physical-therapy-or-personal-training")
    table = ComparisonTable.objects.order_by("pk").first()
    image = get_image_model().objects.order_by("pk").first()
    trainers = list(
        TrainerProfilePage.objects.live()
        .filter(slug__in=["maya-lindqvist", "jonah-kowalski"])
        .order_by("title")
        .values_list("pk", flat=True)
    )
    body = [
        {"type": "heading", "value": {"text": "Every block", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                f'<p>Read <a linktype="page" id="{seed.pk}">the original post</a>'
                ' or <a href="https://www.example.org/guide">an outside guide</a>.'
                "</p>"
            ),
        },
        {"type": "heading", "value": {"text": "A smaller heading", "level": "h3"}},
        {
            "type": "callout",
            "value": {
                "kind": "tip",
                "lead_in": "Tip:",
                "text": "<p>Warm up before you lift.</p>",
                "attribution": "",
            },
        },
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "A gradient standing in for a clinic photo",
                "caption": "The clinic, in abstract.",
            },
        },
        {
            "type": "video",
            "value": {
                "video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "title": "Five stretches for runners",
                "caption": "A short demonstration.",
            },
        },
        {
            "type": "spectrum",
            "value": {
                "title": "From rehab to performance",
                "stages": [
                    {"name": "Rehab", "led_by": "Therapist", "description": ""},
                    {"name": "Training", "led_by": "Trainer", "description": "Gains."},
                ],
            },
        },
        {"type": "comparison_table", "value": table.pk},
        {
            "type": "inline_comparison_table",
            "value": {
                "title": "Clinic or gym?",
                "columns": ["Clinic", "Gym"],
                "rows": [
                    {
                        "criterion": "Who is it for",
                        "cells": ["<p>The injured</p>", "<p>The healthy</p>"],
                    }
                ],
                "footnotes": "<p>A rough guide only.</p>",
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Read the original",
                "text": "<p>Where this all started.</p>",
                "button_label": "Open the post",
                "page": seed.pk,
                "external_url": "",
            },
        },
        {
            "type": "featured_trainers",
            "value": {"heading": "Two partners", "trainers": trainers},
        },
    ]
    article = ArticlePage(
        title="Every block, once",
        slug=SLUG,
        subtitle="A test article.",
        summary="One of each body block.",
        body=body,
    )
    BlogIndexPage.objects.get().add_child(instance=article)
    article.tags.add("blocks")
    article.save_revision().publish()
    print("published", SLUG)

index = BlogIndexPage.objects.get()
for number in range(1, 6):
    slug = f"note-{number}"
    if ArticlePage.objects.filter(slug=slug).exists():
        continue
    note = ArticlePage(
        title=f"Clinic note {number}",
        slug=slug,
        summary=f"Short note number {number}.",
        body=[{"type": "paragraph", "value": f"<p>Note {number}.</p>"}],
    )
    index.add_child(instance=note)
    note.tags.add("notes")
    note.save_revision().publish()
    print("published", slug)
