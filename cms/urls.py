from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.graphql.view import PublicGraphQLView
from cms.health import healthz, readyz
from cms.metrics import metrics_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Prometheus, for a scraper holding METRICS_TOKEN (cms/metrics.py).
    path("metrics", metrics_view, name="metrics"),
    path("graphql/", PublicGraphQLView.as_view(), name="graphql"),
    # Comment form tokens, author delete links, the view beacon.
    path("api/", include("content.engagement.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The reference site (web/): reads the API over HTTP, previews drafts.
    path("site/", include("web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Benchmark-only routes (make bench); see cms/bench.py. Before Wagtail's
# catch-all so they are reachable.
if settings.BENCH_ENDPOINTS:
    from cms.bench import bench_urlpatterns

    urlpatterns += bench_urlpatterns()

# Wagtail serves page URLs last; the frontend is headless, so these only
# matter for previews and redirects.
urlpatterns += [path("", include(wagtail_urls))]

# A database outage is a 503 with Retry-After, not a 500 (cms/health.py).
handler500 = "cms.health.server_error"
