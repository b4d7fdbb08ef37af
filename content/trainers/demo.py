"""Demo partner trainers: a curated set plus generated profiles for benchmarks.

Every profile is fictional and says so in its headline and bio. Generation is
deterministic for a seed, idempotent (slugs are fixed; existing ones are kept)
and bulk-friendly: pages are added without revisions and the sync change log
is written in one bulk insert per batch.
"""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.graphql.versions import bump_generation
from content.catalogue import demo as catalogue_demo
from content.trainers.models import (
    TrainerChange,
    TrainerCredential,
    TrainerDirectoryPage,
    TrainerEducation,
    TrainerProfilePage,
)

DEMO_MARK = "Fictional demo profile"
BATCH = 500

# (city, postal code, latitude, longitude) — real approximate centres.
CITIES = [
    ("Madison", "53703", 43.0731, -89.4012),
    ("Milwaukee", "53202", 43.0389, -87.9065),
    ("Green Bay", "54301", 44.5133, -88.0133),
    ("Kenosha", "53140", 42.5847, -87.8212),
    ("Racine", "53403", 42.7261, -87.7829),
    ("Appleton", "54911", 44.2619, -88.4154),
    ("Waukesha", "53186", 43.0117, -88.2315),
    ("Eau Claire", "54701", 44.8113, -91.4985),
    ("Oshkosh", "54901", 44.0247, -88.5426),
    ("Janesville", "53545", 42.6828, -89.0187),
    ("La Crosse", "54601", 43.8014, -91.2396),
    ("Wausau", "54403", 44.9591, -89.6301),
    ("Middleton", "53562", 43.0972, -89.5043),
    ("Sun Prairie", "53590", 43.1836, -89.2137),
]

FIRST = [
    "Maya", "Jonah", "Priya", "Elena", "Marcus", "Hannah", "Diego", "Grace",
    "Tomas", "Aisha", "Noah", "Lena", "Omar", "Sofia", "Caleb", "Ingrid",
    "Mateo", "Ruth", "Kofi", "Nora", "Felix", "Leah", "Andre", "Mei",
]  # fmt: skip
LAST = [
    "Lindqvist", "Okafor", "Raman", "Novak", "Bell", "Schmidt", "Alvarez",
    "Kowalski", "Brandt", "Haddad", "Vang", "Moreau", "Nakamura", "Olsen",
    "Reyes", "Fischer", "Yang", "Dubois", "Mensah", "Larsen", "Quinn",
    "Hoffmann", "Petrov", "Weber",
]  # fmt: skip
TITLES = {
    "strength-and-conditioning": "Strength and conditioning coach",
    "post-rehab": "Post-rehab trainer",
    "sports-performance": "Sports performance coach",
    "older-adults": "Trainer for active older adults",
    "youth-athletes": "Youth athlete coach",
    "mobility": "Mobility coach",
    "prenatal-postpartum": "Prenatal and postpartum trainer",
}
SCHOOLS = [
    ("BS", "Kinesiology", "University of Wisconsin-Madison"),
    ("MS", "Exercise Science", "University of Wisconsin-La Crosse"),
    ("BS", "Exercise Science", "University of Wisconsin-Milwaukee"),
    ("DPT", "Physical Therapy", "Marquette University"),
    ("BA", "Health Promotion", "Carroll University"),
]
LANGUAGES = ["English", "English, Spanish", "English, Hmong", "English, German"]


def ensure_directory(home) -> TrainerDirectoryPage:
    directory = TrainerDirectoryPage.objects.child_of(home).first()
    if directory is None:
        directory = home.add_child(
            instance=TrainerDirectoryPage(
                title="Partner trainers",
                slug="trainers",
                intro=(
                    "Personal trainers and coaches we work with. All profiles in "
                    "this demo are fictional."
                ),
            )
        )
    return directory


def _spec(rng: random.Random, index: int, curated: bool) -> dict:
    """Everything about one profile, derived from the index (deterministic)."""
    first = FIRST[index % len(FIRST)]
    last = LAST[(index * 7 + index // len(FIRST)) % len(LAST)]
    city, postal, lat, lon = CITIES[index % len(CITIES)]
    specialty_slugs = rng.sample(
        [s for s, _ in catalogue_demo.SPECIALTIES], rng.randint(1, 3)
    )
    credential_slugs = rng.sample(
        ["nsca-cpt", "nsca-cscs", "nasm-cpt", "pt", "pta", "dpt"], rng.randint(1, 2)
    ) + ["cpr-aed"]
    if index == 0:
        # The search relevance tests look for a Madison strength coach with CSCS.
        city, postal, lat, lon = CITIES[0]
        specialty_slugs = ["strength-and-conditioning", "sports-performance"]
        credential_slugs = ["nsca-cscs", "cpr-aed"]
    if not curated:
        # Spread generated profiles around the city centres (about +-4 km).
        lat += rng.uniform(-0.04, 0.04)
        lon += rng.uniform(-0.05, 0.05)
    name = f"{first} {last}"
    slug = f"{first}-{last}".lower() if curated else f"demo-trainer-{index:05d}"
    role = TITLES[specialty_slugs[0]]
    return {
        "name": name,
        "slug": slug,
        "city": city,
        "postal_code": postal,
        "latitude": round(lat, 5),
        "longitude": round(lon, 5),
        "specialties": specialty_slugs,
        "credentials": credential_slugs,
        "headline": f"{role} in {city} — {DEMO_MARK}",
        "in_person": rng.random() < 0.85,
        "virtual": rng.random() < 0.5,
        "group": rng.random() < 0.35,
        "accepting": rng.random() < 0.75,
        "languages": rng.choice(LANGUAGES),
        "school": rng.choice(SCHOOLS),
        "issued_year": rng.randint(2012, 2024),
        "expired": rng.random() < 0.1,
        "curated": curated,
    }


def _build(spec: dict, now) -> TrainerProfilePage:
    bio = (
        f"<p>{DEMO_MARK}. {spec['name']} is a made-up "
        f"{TITLES[spec['specialties'][0]].lower()} based in {spec['city']}, "
        "Wisconsin, used to demonstrate the partner-trainer directory.</p>"
    )
    return TrainerProfilePage(
        title=spec["name"],
        slug=spec["slug"],
        headline=spec["headline"],
        bio=[("paragraph", bio)],
        city=spec["city"],
        state="WI",
        postal_code=spec["postal_code"],
        latitude=spec["latitude"],
        longitude=spec["longitude"],
        offers_in_person=spec["in_person"] or not spec["virtual"],
        offers_virtual=spec["virtual"],
        offers_group=spec["group"],
        accepting_new_clients=spec["accepting"],
        booking_url=f"https://example.com/book/{spec['slug']}",
        email=f"{spec['slug']}@example.com",
        phone="608-555-0100",
        website=f"https://example.com/{spec['slug']}",
        languages=spec["languages"],
        live=True,
        first_published_at=now,
        last_published_at=now,
    )


def _add_pages(directory, specs, now) -> list:
    """Insert page rows in bulk: Page rows, then the TrainerProfilePage rows.

    ``add_child`` costs ~75 ms a page (validation, logging, indexing); this is
    a few ms. The tree path of each child is computed like treebeard does.
    """
    last = directory.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    content_type = ContentType.objects.get_for_model(TrainerProfilePage)
    pages = []
    for spec in specs:
        step += 1
        page = _build(spec, now)
        page.content_type = content_type
        page.depth = directory.depth + 1
        page.path = Page._get_path(directory.path, page.depth, step)
        page.url_path = f"{directory.url_path}{page.slug}/"
        page.draft_title = page.title
        page.locale_id = directory.locale_id
        page.numchild = 0
        pages.append(page)
    base_rows = Page.objects.bulk_create(
        [
            Page(
                **{
                    f.attname: getattr(p, f.attname)
                    for f in Page._meta.concrete_fields
                    if f.attname != "id"
                }
            )
            for p in pages
        ]
    )
    for page, row in zip(pages, base_rows, strict=True):
        page.id = page.page_ptr_id = row.pk
    local = list(TrainerProfilePage._meta.local_concrete_fields)
    TrainerProfilePage._base_manager._insert(pages, fields=local, raw=True)
    Page.objects.filter(pk=directory.pk).update(numchild=F("numchild") + len(pages))
    return pages


def _create_batch(directory, specs, specialties, credentials, *, bulk) -> int:
    now = timezone.now()
    if bulk:
        added = _add_pages(directory, specs, now)
    else:
        # The curated set goes through the editor's path: revision + publish.
        added = []
        for spec in specs:
            page = directory.add_child(instance=_build(spec, now))
            directory.refresh_from_db()
            added.append(page)
    pages = list(zip(added, specs, strict=True))
    through = TrainerProfilePage.specialties.through
    through.objects.bulk_create(
        [
            through(trainerprofilepage_id=page.pk, specialty_id=specialties[s].pk)
            for page, spec in pages
            for s in spec["specialties"]
        ]
    )
    held = []
    for page, spec in pages:
        for order, slug in enumerate(spec["credentials"]):
            issued = datetime.date(spec["issued_year"], 3, 1)
            expires = None
            if slug == "cpr-aed":
                # CPR/AED cards last two years; some demo ones have lapsed.
                if spec["expired"]:
                    issued = datetime.date(2018, 3, 1)
                    expires = datetime.date(2020, 3, 1)
                else:
                    issued = datetime.date(now.year - 1, 3, 1)
                    expires = datetime.date(now.year + 1, 3, 1)
            held.append(
                TrainerCredential(
                    page_id=page.pk,
                    credential=credentials[slug],
                    number=f"WI-{page.pk:06d}-{order}",
                    issued_on=issued,
                    expires_on=expires,
                    sort_order=order,
                )
            )
    TrainerCredential.objects.bulk_create(held)
    TrainerEducation.objects.bulk_create(
        [
            TrainerEducation(
                page_id=page.pk,
                degree=spec["school"][0],
                field=spec["school"][1],
                institution=spec["school"][2],
                sort_order=0,
            )
            for page, spec in pages
        ]
    )
    if bulk:
        # No publish signal fires for pages added this way: log them for sync,
        # index them for search in one go, and bump the content generation
        # (cached responses and the in-memory directory index are stale).
        TrainerChange.objects.bulk_create(
            [TrainerChange(page_id=p.pk, kind=TrainerChange.Kind.UPSERT) for p in added]
        )
        get_search_backend().add_bulk(TrainerProfilePage, added)
        bump_generation()
    else:
        for page in added:
            page.refresh_from_db()
            page.save_revision().publish()
    return len(pages)


CURATED_COUNT = 24


def add_change_log_rows(count: int, *, batch: int = 5000) -> int:
    """Append ``count`` sync change-log rows over the existing profiles, in
    bulk (no signals), for scale checks: mostly edits, each removal followed
    by the same profile's republish 7 rows later (so replaying the log still
    ends on the live directory), timestamps spread over the past year."""
    pks = list(TrainerProfilePage.objects.order_by("pk").values_list("pk", flat=True))
    if not pks or count <= 0:
        return 0
    start = timezone.now() - datetime.timedelta(days=365)
    step = datetime.timedelta(days=365) / count
    upsert, remove = TrainerChange.Kind.UPSERT, TrainerChange.Kind.REMOVE
    for first in range(0, count, batch):
        rows = []
        for i in range(first, min(count, first + batch)):
            kind, page = upsert, pks[(i * 7919) % len(pks)]
            if i % 50 == 0 and i + 7 < count:
                kind, page = remove, pks[i % len(pks)]
            elif i % 50 == 7:
                page = pks[(i - 7) % len(pks)]
            rows.append(TrainerChange(page_id=page, kind=kind, at=start + step * i))
        TrainerChange.objects.bulk_create(rows)
    return count


def load(stdout, *, parent: Page, count=None, seed=2026) -> TrainerDirectoryPage:
    """The directory under ``parent`` and its trainers: the curated set, or
    ``count`` profiles in all."""
    with transaction.atomic():
        credentials, specialties = catalogue_demo.load(stdout)
        directory = ensure_directory(parent)
    target = CURATED_COUNT if count is None else max(count, CURATED_COUNT)
    rng = random.Random(seed)
    specs = [_spec(rng, i, curated=i < CURATED_COUNT) for i in range(target)]
    existing = set(
        TrainerProfilePage.objects.child_of(directory).values_list("slug", flat=True)
    )
    missing = [spec for spec in specs if spec["slug"] not in existing]
    # Curated profiles go through add_child and a published revision, like an
    # editor's; generated ones are bulk inserted.
    curated = [spec for spec in missing if spec["curated"]]
    if curated:
        with transaction.atomic():
            created_curated = _create_batch(
                directory, curated, specialties, credentials, bulk=False
            )
        stdout.write(f"  trainers: {created_curated} curated created")
    missing = [spec for spec in missing if not spec["curated"]]
    created = 0
    for start in range(0, len(missing), BATCH):
        with transaction.atomic():
            directory.refresh_from_db()
            batch = missing[start : start + BATCH]
            created += _create_batch(
                directory,
                batch,
                specialties,
                credentials,
                bulk=True,
            )
        stdout.write(f"  trainers: {created}/{len(missing)} created")
    if not missing and not curated:
        stdout.write(f"  trainers: all {target} present")
    return directory
