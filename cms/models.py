from django.db import models

from cms.preview import PreviewSnapshot

__all__ = ["ContentGeneration", "PreviewSnapshot"]


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
