"""Settings > Background jobs: dead letters are visible to admins only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from worker.tests.helpers import DATABASE_TASKS, run_worker_until_idle
from worker.tests.jobs import fails_until


@pytest.fixture
def dead_letter(settings, db):
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_TASK_MAX_ATTEMPTS = 1
    result = fails_until.enqueue("dead", 100)
    run_worker_until_idle()
    return DBTaskResult.objects.get(pk=result.id)


def test_admins_see_failed_jobs_and_queue_them_again(admin_client, dead_letter, home):
    listing = admin_client.get(reverse("worker_jobs:index") + "?status=FAILED")
    dashboard = admin_client.get(reverse("wagtailadmin_home"))

    assert listing.status_code == 200
    assert listing.content.decode().count("worker.tests.jobs.fails_until") == 1
    assert "1 background job(s) failed." in dashboard.content.decode()
    inspect = admin_client.get(reverse("worker_jobs:inspect", args=(dead_letter.pk,)))
    assert inspect.status_code == 200
    assert "RuntimeError" in inspect.content.decode()

    retried = admin_client.post(reverse("worker_jobs:retry", args=(dead_letter.pk,)))

    assert retried.status_code == 302
    assert DBTaskResult.objects.get(pk=dead_letter.pk).status == "READY"


def test_job_pages_never_error_and_refuse_non_admins(
    admin_client, client, dead_letter, django_user_model
):
    urls = [
        reverse("worker_jobs:index"),
        reverse("worker_jobs:index") + "?status=bogus&p=77&ordering=nope",
        reverse("worker_jobs:inspect", args=(dead_letter.pk,)),
    ]
    assert [admin_client.get(url).status_code for url in urls] == [200, 200, 200]
    missing = "00000000-0000-0000-0000-000000000000"
    assert (
        admin_client.get(reverse("worker_jobs:inspect", args=(missing,))).status_code
        == 404
    )
    assert (
        admin_client.get(reverse("worker_jobs:retry", args=(missing,))).status_code
        == 405
    )
    assert (
        admin_client.post(reverse("worker_jobs:retry", args=(missing,))).status_code
        == 404
    )

    group = Group.objects.create(name="Staff")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    staff = django_user_model.objects.create_user("staff", password="pw-12345678")
    staff.groups.add(group)
    client.force_login(staff)
    assert [client.get(url).status_code for url in urls] == [302, 302, 302]
    assert (
        client.post(reverse("worker_jobs:retry", args=(dead_letter.pk,))).status_code
        == 302
    )
    assert DBTaskResult.objects.get(pk=dead_letter.pk).status == "FAILED"


def test_admins_see_the_timed_jobs_and_their_last_error(
    admin_client, client, django_user_model, db
):
    from worker import periodic
    from worker.models import PeriodicJob

    periodic.register("test.broken", lambda: 1 / 0, every=lambda: 60)
    try:
        assert periodic.run_if_due(periodic.get("test.broken"), "worker-a")
    finally:
        periodic._jobs.pop("test.broken")
    listing = admin_client.get(reverse("worker_timed_jobs:index"))
    inspect = admin_client.get(
        reverse("worker_timed_jobs:inspect", args=("test.broken",))
    )
    edit = admin_client.get(reverse("worker_timed_jobs:edit", args=("test.broken",)))

    assert (listing.status_code, inspect.status_code) == (200, 200)
    assert "test.broken" in listing.content.decode()
    assert "ZeroDivisionError: division by zero" in listing.content.decode()
    # Timed jobs are defined in code: the edit view sends the admin home.
    assert (edit.status_code, edit["Location"]) == (302, "/admin/")
    assert PeriodicJob.objects.get(name="test.broken").runs == 1

    staff = django_user_model.objects.create_user("staff", password="pw-12345678")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(reverse("worker_timed_jobs:index")).status_code == 302
