"""Partner-trainer directory: profile pages, their credentials and a change log.

The change log (``TrainerChange``) is what makes incremental sync exact: every
event that can change what the public directory shows for a profile appends a
row, and a sync client replays rows in id order.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router, transaction
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.preview import HeadlessPreviewMixin
from content.media.models import image_field
from content.trainers.blocks import TrainerBioBlock


class TrainerService(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"
    GROUP = "group", "Group"


# Service type -> boolean column, so a filter is a plain indexed WHERE.
SERVICE_FIELDS = {
    TrainerService.IN_PERSON: "offers_in_person",
    TrainerService.VIRTUAL: "offers_virtual",
    TrainerService.GROUP: "offers_group",
}


class TrainerDirectoryPage(Page):
    """Parent of every trainer profile; the directory's landing page."""

    intro = models.TextField(blank=True, help_text="Short text above the directory.")

    content_panels = Page.content_panels + [FieldPanel("intro")]

    subpage_types = ["content.TrainerProfilePage"]
    max_count = 1

    class Meta:
        verbose_name = "trainer directory page"


class TrainerProfilePage(HeadlessPreviewMixin, Page):
    """One partner trainer or coach. The page title is the trainer's name."""

    photo = image_field()
    headline = models.CharField(
        max_length=160, help_text="One line under the name, e.g. 'Strength coach'."
    )
    bio = StreamField(TrainerBioBlock(), blank=True)
    specialties = ParentalManyToManyField(
        "content.Specialty", blank=True, related_name="trainers"
    )
    offers_in_person = models.BooleanField("in person", default=True)
    offers_virtual = models.BooleanField("virtual", default=False)
    offers_group = models.BooleanField("group", default=False)
    city = models.CharField(max_length=80, db_index=True)
    state = models.CharField(max_length=2, default="WI", help_text="Two letters.")
    postal_code = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Decimal degrees, -90 to 90. Needed for 'near me' search.",
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Decimal degrees, -180 to 180.",
    )
    accepting_new_clients = models.BooleanField(default=True, db_index=True)
    booking_url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    languages = models.CharField(
        max_length=200,
        default="English",
        help_text="Comma-separated, e.g. 'English, Spanish'.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("headline"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        InlinePanel("credentials", label="Credentials"),
        InlinePanel("education", label="Education"),
        FieldPanel("specialties"),
        MultiFieldPanel(
            [
                FieldPanel("offers_in_person"),
                FieldPanel("offers_virtual"),
                FieldPanel("offers_group"),
            ],
            heading="Services",
        ),
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldPanel("state"),
                FieldPanel("postal_code"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading="Location",
        ),
        MultiFieldPanel(
            [
                FieldPanel("accepting_new_clients"),
                FieldPanel("booking_url"),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("website"),
                FieldPanel("languages"),
            ],
            heading="Contact",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("headline", boost=2),
        index.SearchField("city", boost=2),
        index.SearchField("search_keywords"),
        index.FilterField("city"),
        index.FilterField("accepting_new_clients"),
        # Public search filters out pages past their expiry (cms.selectors).
        index.FilterField("expire_at"),
    ]

    parent_page_types = ["content.TrainerDirectoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = "trainer profile"
        indexes = [
            # 'Near me': the bounding box is a latitude range (index seek)
            # with the longitude range checked inside the index (docs/scale.md).
            models.Index(fields=["latitude", "longitude"], name="trainer_lat_lon_idx"),
        ]

    def __str__(self):
        return self.title

    def search_keywords(self) -> str:
        """Specialties, current credentials (also without the body prefix,
        so "CSCS" finds "NSCA-CSCS") and state, for site search."""
        words = [s.name for s in self.specialties.all()]
        for row in self.credentials.all():
            if row.credential_id and row.is_current:
                abbreviation = row.credential.abbreviation
                words += [abbreviation, abbreviation.replace("-", " ")]
                words.append(row.credential.full_name)
        words.append(self.state or "")
        return " ".join(w for w in words if w)

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    @property
    def services(self) -> list[str]:
        return [str(s.value) for s, f in SERVICE_FIELDS.items() if getattr(self, f)]

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "Give both latitude and longitude, or neither."}
            )
        if self.state and not (len(self.state) == 2 and self.state.isalpha()):
            raise ValidationError({"state": "Use the two-letter state code."})
        self.state = (self.state or "").upper()


class TrainerCredential(Orderable):
    """A credential a trainer holds: catalogue entry, number and dates."""

    page = ParentalKey(
        TrainerProfilePage, on_delete=models.CASCADE, related_name="credentials"
    )
    credential = models.ForeignKey(
        "content.Credential", on_delete=models.PROTECT, related_name="holders"
    )
    number = models.CharField(max_length=60, blank=True, help_text="Licence number.")
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="Leave empty if it does not expire."
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("number"),
        FieldPanel("issued_on"),
        FieldPanel("expires_on"),
    ]

    class Meta(Orderable.Meta):
        indexes = [
            # The credential facet counts current credentials of the matching
            # profiles from this index alone, without reading the rows.
            models.Index(
                fields=["page", "expires_on", "credential"],
                name="trainercred_page_current_idx",
            ),
        ]

    def __str__(self):
        return f"{self.credential_id} {self.number}".strip()

    @property
    def is_current(self) -> bool:
        return self.expires_on is None or self.expires_on >= timezone.localdate()

    def clean(self):
        super().clean()
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError(
                {"expires_on": "The expiry date must be after the issue date."}
            )


class TrainerEducation(Orderable):
    page = ParentalKey(
        TrainerProfilePage, on_delete=models.CASCADE, related_name="education"
    )
    degree = models.CharField(max_length=80, help_text="e.g. BS, MS, DPT.")
    field = models.CharField(max_length=120, blank=True)
    institution = models.CharField(max_length=160)

    panels = [FieldPanel("degree"), FieldPanel("field"), FieldPanel("institution")]

    def __str__(self):
        return f"{self.degree} {self.field}, {self.institution}"


# Any constant: PostgreSQL advisory locks are scoped to the current database.
CHANGE_LOG_LOCK_KEY = 0x7472_6169_6E65_72  # "trainer"


def lock_change_log(using: str = "default") -> None:
    """Serialise writers of the change log until the current transaction ends.

    Sync hands out the highest row id it has read as the client's cursor, so
    a row must never become visible after a row with a higher id (an app that
    synced in between would skip it for good). A database sequence hands out
    ids in *insert* order, not *commit* order: with two concurrent
    transactions, id 11 can commit before id 10. Holding this lock from a
    transaction's first log insert to its commit makes the two orders the
    same, so the visible rows are always every committed id up to the newest
    (rolled-back ids are permanent gaps), whatever the clock or transaction
    length.

    Why a lock, not a settle delay (serving only rows older than N seconds):
    the delay is exact only while every transaction commits within N seconds
    of its insert (a long publish, move or import breaks it silently), it
    delays every app by N seconds, and it makes sync responses change with
    time alone (the response cache keys on content changes). The lock costs
    some waiting between editors' concurrent writes to the log, and readers
    never wait.

    PostgreSQL: a transaction-scoped advisory lock (released at commit or
    rollback, also of a savepoint it was taken in); this relies on the id
    sequence's default CACHE 1. SQLite admits one writer at a time from its
    first write to its commit, so its ids already commit in order: no-op.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_LOG_LOCK_KEY])


class TrainerChangeQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            lock_change_log(self.db)
            return super().bulk_create(objs, *args, **kwargs)


class TrainerChange(models.Model):
    """Append-only log of events that may change a profile's public state.

    The row id is the sync sequence number, and ids become visible in id
    order (``lock_change_log``): every write goes through ``save()`` or
    ``bulk_create()``, which take the lock. ``kind`` records what happened;
    the sync resolver reports each page's *current* state, so a client that
    applies every row in order ends with exactly the live directory.
    """

    class Kind(models.TextChoices):
        UPSERT = "upsert", "Published or changed"
        REMOVE = "remove", "Unpublished, made private or deleted"

    # No foreign key: the log outlives deleted pages (they become tombstones).
    # Indexed with ``at`` (Meta.indexes); sync itself reads by id (the key).
    page_id = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)

    objects = TrainerChangeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            # A profile's rows, newest last: the credential-expiry sweep's
            # MAX(at) per page and any page_id lookup (docs/scale.md).
            models.Index(fields=["page_id", "at"], name="trainerchange_page_at_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} page {self.page_id}"

    def save(self, *args, using=None, **kwargs):
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            lock_change_log(using)
            super().save(*args, using=using, **kwargs)
