from django.db import models

from cms.preview import PreviewSnapshot

__all__ = ["ContentGeneration", "MaterialisedObject", "PreviewSnapshot", "TagVersion"]


class ContentGeneration(models.Model):
    """The content generation, when the default cache is not shared.

    Every process must agree on the generation: it keys the response cache
    and the visibility snapshot (``cms.selectors``). Redis or Memcached hold
    it for all workers; a local-memory cache holds one copy per process, so
    then this single row does (``cms.graphql.cache``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = "content generation"

    def __str__(self):
        return f"content generation {self.value}"


class TagVersion(models.Model):
    """The generation at which responses tagged ``tag`` last changed, when
    the default cache is not shared (else the cache holds it,
    ``cms.graphql.versions``). A cached response is current while none of
    its tags changed after the generation it was computed at."""

    tag = models.CharField(max_length=255, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        verbose_name = "cache tag version"

    def __str__(self):
        return f"{self.tag} @ {self.version}"


class MaterialisedObject(models.Model):
    """A page's completed GraphQL object, kept for its live revision
    (``cms.graphql.materialise``): one row per page, selection, host and
    scheme (``slot``), replaced when a newer revision is read."""

    slot = models.CharField(max_length=64, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    revision = models.BigIntegerField()
    data = models.TextField()  # compact JSON
    tags = models.TextField()  # space-separated cache tags
    stamp = models.BigIntegerField()  # the generation it was computed at
    expires_at = models.BigIntegerField()  # Unix time, for a raw read

    class Meta:
        verbose_name = "materialised object"

    def __str__(self):
        return f"{self.slot[:12]} page {self.page_id} revision {self.revision}"
