# The home page features articles: reuse the content app's page fixtures.
from content.tests.conftest import blog, home, make_article  # noqa: F401
