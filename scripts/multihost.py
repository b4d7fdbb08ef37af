"""Two web processes as two hosts and a worker: shared PostgreSQL, Redis, S3.

Starts web A and web B (gunicorn, ``deploy/gunicorn.conf.py``, production
settings, ``MULTI_HOST=true``) on two loopback ports and a background worker
(``manage.py run_worker``, production settings), sharing a fresh PostgreSQL
database, a Redis database and a bucket on ``moto_server``, after the release
steps (migrate, collectstatic) and a little demo content. Then:

- publish through A's admin, and B answers with the change on the next request
  (B had the old answer in the shared response cache);
- a rate limit counts requests on A and B together;
- an APQ operation registered on A runs by its hash alone on B;
- an image uploaded through A's admin gets its renditions from the worker (a
  job queued in the database, run by that worker, not inline), and their
  URLs, read from B, are fetched from the object storage;
- the worker stops on SIGTERM with exit status 0.

Prints one line per check and ``N passed, M failed``; exits non-zero on a
failure. Every server listens on 127.0.0.1 only and is stopped at the end.
"""

import contextlib
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import traceback
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from multihost_support import PY, Process, Web, check, png  # noqa: E402

from cms.tests.s3_support import MotoServer, create_bucket  # noqa: E402

PG = os.environ.get("MULTIHOST_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("MULTIHOST_REDIS_URL", "redis://127.0.0.1:6379/12")
ADMIN_PASSWORD = secrets.token_urlsafe(18)
RATE_LIMIT = 6
WORKER_ID = f"multihost-{uuid.uuid4().hex[:8]}"


def run(*args: str, env: dict) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{PG}/postgres", "-qc", sql],
        check=True,
        capture_output=True,
        timeout=60,
    )


ARTICLE = "query Title($slug: String!) { article(slug: $slug) { id title } }"
FIRST = "query First { articles(limit: 1) { items { id slug title } } }"


def check_publish_is_seen_on_the_other_host(a: Web, b: Web, env: dict) -> None:
    _, first = b.graphql({"query": FIRST}, "192.0.2.1")
    (article,) = first["data"]["articles"]["items"]
    query = {"query": ARTICLE, "variables": {"slug": article["slug"]}}
    # B answers twice: the second answer comes from the shared cache.
    for _ in range(2):
        status, body = b.graphql(query, "192.0.2.2", method="GET")
        check(body["data"]["article"]["title"] == article["title"], "B's first title")
    new_title = f"Published through A {uuid.uuid4().hex[:6]}"
    run(
        "shell",
        "-c",
        "from content.models import ArticlePage; "
        f"p = ArticlePage.objects.get(pk={int(article['id'])}); "
        f"p.title = {new_title!r}; p.save_revision()",
        env=env,
    )
    status, _, _ = a.request("GET", f"/admin/pages/{int(article['id'])}/edit/")
    check(status == 200, f"A's editor answered {status}")
    path = f"/admin/bulk/wagtailcore/page/publish/?id={int(article['id'])}"
    status, _, _ = a.request("GET", path)
    check(status == 200, f"A's publish confirmation answered {status}")
    status, _, _ = a.post_form(path, {})
    check(status == 302, f"publishing through A answered {status}")
    status, body = b.graphql(query, "192.0.2.2", method="GET")
    check(
        body["data"]["article"]["title"] == new_title,
        f"B still answers {body['data']['article']['title']!r} after the publish",
    )


def check_rate_limit_is_shared(a: Web, b: Web) -> None:
    client = "198.51.100.77"
    probe = {"query": "{ __typename }"}
    statuses = []
    for web in (a, b, a, b, a, b, a):
        statuses.append(web.graphql(probe, client)[0])
    check(
        statuses == [200] * RATE_LIMIT + [429],
        f"requests over A and B: {statuses}, expected {RATE_LIMIT} x 200 then 429",
    )
    status, body = b.graphql(probe, client)
    check(status == 429, f"B after the limit: {status}")
    check(body["errors"][0]["extensions"]["code"] == "RATE_LIMITED", "code")


def check_persisted_query_is_shared(a: Web, b: Web) -> None:
    import hashlib

    query = f"query Registered{uuid.uuid4().hex[:8]} {{ __typename apiVersion }}"
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    status, body = b.graphql({"extensions": extensions}, "192.0.2.10", method="GET")
    check(
        body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND",
        f"B knew the hash before A registered it: {body}",
    )
    status, body = a.graphql({"query": query, "extensions": extensions}, "192.0.2.11")
    check(status == 200 and "errors" not in body, f"registering on A: {body}")
    status, body = b.graphql({"extensions": extensions}, "192.0.2.12", method="GET")
    check(
        status == 200 and body["data"]["__typename"] == "Query",
        f"B after A registered the hash: {status} {body}",
    )


HERO = """query Hero($slug: String!) {
  article(slug: $slug) { heroImage { rendition(filter: "fill-800x450") { url } } }
}"""


# Waits (60 s at most) for the renditions job of the image titled TITLE.
RENDITIONS_JOB = """
import json, time
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model
from cms.renditions import allowed_filters
image = get_image_model().objects.get(title=TITLE)
task = DBTaskResult.objects.filter(task_path="cms.renditions.make_renditions_task")
deadline = time.monotonic() + 60
while True:
    jobs = [j for j in task.all() if j.args_kwargs["args"] == [image.pk]]
    if any(j.status in ("SUCCESSFUL", "FAILED") for j in jobs):
        break
    if time.monotonic() > deadline:
        break
    time.sleep(0.2)
print(json.dumps({
    "jobs": [[j.status, j.worker_ids] for j in jobs],
    "renditions": image.renditions.count(),
    "filters": len(allowed_filters()),
}))
"""


def check_uploaded_image_is_served_from_object_storage(
    a: Web, b: Web, env: dict, bucket_url: str
) -> None:
    from PIL import Image

    path = "/admin/images/add/"
    status, _, page = a.request("GET", path)
    check(status == 200, f"A's image upload page answered {status}")
    match = re.search(rb'name="collection"[^>]*>\s*<option value="(\d+)"', page)
    collection = match.group(1).decode() if match else "1"
    title = f"multihost-{uuid.uuid4().hex[:6]}"
    status, _, _ = a.post_form(
        path,
        {"title": title, "collection": collection},
        {"file": (f"{title}.png", png(), "image/png")},
    )
    check(status == 302, f"uploading through A answered {status}")
    code = RENDITIONS_JOB.replace("TITLE", repr(title))
    job = json.loads(run("shell", "-v0", "-c", code, env=env).splitlines()[-1])
    check(
        job["jobs"] == [["SUCCESSFUL", [WORKER_ID]]],
        f"renditions job {job['jobs']}, expected run once by worker {WORKER_ID}",
    )
    check(
        job["renditions"] == job["filters"] > 0,
        f"{job['renditions']} renditions made for {job['filters']} filters",
    )
    _, first = b.graphql({"query": FIRST}, "192.0.2.20")
    (article,) = first["data"]["articles"]["items"]
    run(
        "shell",
        "-c",
        "from wagtail.images import get_image_model; "
        "from content.models import ArticlePage; "
        f"p = ArticlePage.objects.get(pk={int(article['id'])}); "
        f"p.hero_image = get_image_model().objects.get(title={title!r}); "
        "p.save_revision().publish()",
        env=env,
    )
    query = {"query": HERO, "variables": {"slug": article["slug"]}}
    _, body = b.graphql(query, "192.0.2.21")
    url = body["data"]["article"]["heroImage"]["rendition"]["url"]
    check(url.startswith(bucket_url + "images/"), f"rendition URL {url}")
    with urllib.request.urlopen(url, timeout=10) as response:
        size = Image.open(io.BytesIO(response.read())).size
    check(size == (800, 450), f"the rendition is {size}")


def check_worker_stops_gracefully(worker: Process) -> None:
    check(worker.running(), "the worker exited before SIGTERM")
    status = worker.stop()
    check(status == 0, f"the worker exited with {status} on SIGTERM")
    check(f"worker {WORKER_ID} stopped" in worker.tail(), "no 'stopped' line")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="clinic-multihost-"))
    database = f"clinic_multihost_{os.getpid()}"
    moto = MotoServer()
    processes: list[Process] = []
    passed, failed = 0, 0
    try:
        if not moto.wait():
            raise SystemExit("moto_server did not start")
        bucket = f"clinic-multihost-{uuid.uuid4().hex[:8]}"
        create_bucket(moto, bucket)
        psql(f'CREATE DATABASE "{database}"')
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "ENV_FILE": str(work / "no-dotenv"),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_URL": f"{PG}/{database}",
            "REDIS_URL": REDIS,
            "MULTI_HOST": "true",
            "WEB_CONCURRENCY": "1",
            "STATIC_ROOT": str(work / "static"),
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": moto.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "GRAPHQL_TRUST_X_FORWARDED_FOR": "true",
            "GRAPHQL_RATE_LIMIT_REQUESTS": str(RATE_LIMIT),
            "DJANGO_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "LOG_LEVEL": "WARNING",
        }
        print("==> release: migrate, collectstatic, demo content, admin", flush=True)
        run("migrate", "--noinput", "-v0", env=env)
        run("collectstatic", "--noinput", "-v0", env=env)
        run("load_demo_content", "--articles", "3", "--trainers", "3", env=env)
        run("ensure_admin", env=env)
        a, b = Web("a", env, work), Web("b", env, work)
        command = [PY, "manage.py", "run_worker", "--worker-id", WORKER_ID]
        # INFO: the worker's start and stop lines.
        worker = Process("worker", command, {**env, "LOG_LEVEL": "INFO"}, work)
        processes = [a, b, worker]
        a.wait()
        b.wait()
        print(f"==> web A {a.base}, web B {b.base}, worker, S3 {moto.endpoint}")
        a.login("admin", ADMIN_PASSWORD)
        checks = [
            (
                "publish through A, seen through B",
                lambda: check_publish_is_seen_on_the_other_host(a, b, env),
            ),
            ("rate limit shared by A and B", lambda: check_rate_limit_is_shared(a, b)),
            (
                "persisted query registered on A, found on B",
                lambda: check_persisted_query_is_shared(a, b),
            ),
            (
                "image uploaded through A, renditions by the worker, from S3 via B",
                lambda: check_uploaded_image_is_served_from_object_storage(
                    a, b, env, f"{moto.endpoint}/{bucket}/"
                ),
            ),
            ("worker stops on SIGTERM", lambda: check_worker_stops_gracefully(worker)),
        ]
        for name, function in checks:
            try:
                function()
            except Exception:
                failed += 1
                print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
            else:
                passed += 1
                print(f"ok   {name}", flush=True)
    finally:
        for process in processes:
            process.stop()
        moto.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if failed:
            for process in processes:
                print(f"--- {process.name} log (tail)\n{process.tail()}")
    print(f"multihost: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
