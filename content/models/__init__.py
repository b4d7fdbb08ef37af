from .articles import ArticlePage, ArticlePageAuthor, ArticlePageTag, BlogIndexPage
from .authors import Author
from .credentials import Credential, CredentialKind, Specialty
from .tables import ComparisonTable
from .trainers import *  # noqa: F403

__all__ = [
    "ArticlePage",
    "ArticlePageAuthor",
    "ArticlePageTag",
    "Author",
    "BlogIndexPage",
    "ComparisonTable",
    "Credential",
    "CredentialKind",
    "Specialty",
]
