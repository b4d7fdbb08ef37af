"""The content app's models: Django finds an app's models in this module.

Each lives in its domain's ``models`` module; the app label stays ``content``.
"""

from content.articles.models import (
    ArticlePage,
    ArticlePageAuthor,
    ArticlePageTag,
    Author,
    BlogIndexPage,
)
from content.catalogue.models import Credential, CredentialKind, Specialty
from content.engagement.models import (
    ArticleViewDay,
    Comment,
    CommentSettings,
    UsedFormToken,
    ViewReader,
    ViewSalt,
)
from content.tables.models import ComparisonTable
from content.trainers.models import (
    TrainerChange,
    TrainerCredential,
    TrainerDirectoryPage,
    TrainerEducation,
    TrainerProfilePage,
)

__all__ = [
    "ArticlePage",
    "ArticlePageAuthor",
    "ArticlePageTag",
    "Author",
    "BlogIndexPage",
    "ArticleViewDay",
    "Comment",
    "CommentSettings",
    "ComparisonTable",
    "Credential",
    "CredentialKind",
    "Specialty",
    "TrainerChange",
    "TrainerCredential",
    "TrainerDirectoryPage",
    "TrainerEducation",
    "TrainerProfilePage",
    "UsedFormToken",
    "ViewReader",
    "ViewSalt",
]
