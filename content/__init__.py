"""The content app: one package per content type, each with the same rooms.

Domains: ``articles``, ``tables``, ``catalogue`` (credentials, specialties),
``trainers``, ``media`` (images, renditions, documents), ``richtext``. Rooms,
where a domain has any: ``models``, ``blocks``, ``selectors`` (what the public
may read), ``services`` (writes), ``graphql`` (``types``: public; ``queries``,
``loaders``: internal), ``admin``, ``demo``, ``factories``. The app label stays
``content``: ``content.models`` imports every domain's models for Django. The
import rules are contracts in pyproject.toml (``lint-imports``).

Duplication: ``duplicates`` still pairs places in these packages by shape
only: graphene field lists, grapple ``graphql_fields``, model fields and
Wagtail blocks of different types read alike line by line, and the
deprecated ``TrainerPhoto``/``TrainerPhotoRendition`` mirror the
``ResponsiveImage`` types until 2.0.0 removes them.
"""
