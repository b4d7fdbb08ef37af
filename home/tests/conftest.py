# The home page features articles: reuse the content app's article fixture
# (``home`` and ``blog`` come from the root conftest).
from content.tests.conftest import make_article  # noqa: F401
