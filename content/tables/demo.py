"""The seed article's comparison table, "Physical Therapists vs Personal
Trainers" (idempotent)."""

import datetime

from content.richtext.demo import p
from content.tables.models import ComparisonTable

TABLE_SLUG = "physical-therapists-vs-personal-trainers"

TABLE_ROWS = [
    (
        "Educational Minimal Requirements:",
        [
            p(
                "Entry Level bachelor’s degree AND a Doctor of Physical Therapy "
                "Degree from an accredited program.",
                "Physical therapy programs are accredited by an external agency "
                "called the Commission on Accreditation in Physical Therapy "
                "Education (CAPTE) to ensure all programs teach a common curriculum.",
            ),
            p(
                "Variable- Can be a weekend certification to a 4-year bachelor’s "
                "degree. Recommend seeking someone who has a base 4-year bachelor's "
                "degree in exercise science, strength and conditioning or other "
                "like degrees.",
                "There are many different governing bodies of certified personal "
                "trainers (CPT’s); There are some certifications that are held "
                "higher than others based on what is needed to become certified "
                "with a certain program. These can vary significantly based on the "
                "program's focus.",
            ),
        ],
    ),
    (
        "Ongoing Education",
        [
            p(
                "Must maintain licensure requirements of at least 60 hours every 2 "
                "years. This will vary by state but is the current requirement in "
                "Wisconsin"
            ),
            p(
                "Must obtain continuing education credits every 2 to 3 years to "
                "maintain certification if they hold one (varies based on "
                "certification)"
            ),
        ],
    ),
    (
        "Advanced Training",
        [
            p(
                "Additional training options for physical therapists include 12-36 "
                "months of specialty training through residency training and/or an "
                "additional 12-36 months of Advanced education through Fellowship "
                "training. These programs include additional Board examinations and "
                "mentorship through an accredited program.",
                "Some therapists may hold individual certifications from continuing "
                "education courses they attend.",
            ),
            p(
                "None- May hold individual certifications from continuing education "
                "courses they attend."
            ),
        ],
    ),
]


def load(stdout) -> ComparisonTable:
    table = ComparisonTable.objects.filter(slug=TABLE_SLUG).first()
    if table is None:
        table = ComparisonTable(
            title="Physical Therapists vs Personal Trainers",
            slug=TABLE_SLUG,
            columns=[
                {"type": "column", "value": "Physical Therapists"},
                {"type": "column", "value": "Personal Trainers"},
            ],
            rows=[
                {"type": "row", "value": {"criterion": criterion, "cells": cells}}
                for criterion, cells in TABLE_ROWS
            ],
            jurisdiction="Wisconsin",
            sources=[
                {
                    "type": "source",
                    "value": {
                        "title": "Commission on Accreditation in Physical Therapy "
                        "Education",
                        "publisher": "CAPTE",
                        "url": "https://www.capteonline.org/",
                    },
                },
                {
                    "type": "source",
                    "value": {
                        "title": "National Physical Therapy Examination",
                        "publisher": "Federation of State Boards of Physical Therapy",
                        "url": "https://www.fsbpt.org/",
                    },
                },
            ],
            last_verified=datetime.date(2026, 11, 1),
            live=False,
        )
        table.save()
        table.save_revision().publish()
        stdout.write("  created comparison table")
    return table
