"""Factories for comparison tables (tests and benchmarks)."""

import factory
from factory.django import DjangoModelFactory

from content.tables.models import ComparisonTable


def table_rows(rows):
    return [
        {"type": "row", "value": {"criterion": criterion, "cells": cells}}
        for criterion, cells in rows
    ]


class ComparisonTableFactory(DjangoModelFactory):
    """A live two-column table; pass ``live=False`` for a never-published one."""

    title = factory.Sequence(lambda n: f"Table {n}")
    slug = factory.Sequence(lambda n: f"table-{n}")
    columns = factory.LazyFunction(
        lambda: [
            {"type": "column", "value": "Physical Therapists"},
            {"type": "column", "value": "Personal Trainers"},
        ]
    )
    rows = factory.LazyFunction(
        lambda: table_rows([("Ongoing Education", ["<p>60 hours</p>", "<p>CEUs</p>"])])
    )
    jurisdiction = "Wisconsin"
    live = True

    class Meta:
        model = ComparisonTable
