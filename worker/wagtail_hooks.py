"""Settings > Background jobs: the job queue and its dead letters, for admins.

Failed jobs (``FAILED`` after their retries) stay listed until an admin
queues them again (Retry) or they are pruned; the dashboard counts them.
Settings > Timed jobs lists the periodic jobs the workers share: next run,
last start and finish, last error.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy

from webhooks.admin import SuperusersOnly, require_superuser
from worker.models import PeriodicJob

register_permission_policy(DBTaskResult, SuperusersOnly(DBTaskResult, {"view"}))
register_permission_policy(PeriodicJob, SuperusersOnly(PeriodicJob, {"view"}))


class JobIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        return []

    def get_list_buttons(self, instance):
        if instance.status != "FAILED":
            return []
        return [
            ListingButton(
                "Retry",
                url=reverse("worker_jobs:retry", args=(instance.pk,)),
                icon_name="resubmit",
                attrs={"data-retry": "true"},
            )
        ]


@require_POST
def retry(request, pk):
    require_superuser(request)
    job = get_object_or_404(DBTaskResult, pk=pk, status="FAILED")
    DBTaskResult.objects.filter(pk=job.pk, status="FAILED").update(
        status="READY", run_after=timezone.now(), finished_at=None
    )
    messages.success(request, f"{job.task_path} is queued again.")
    return redirect("worker_jobs:index")


class JobViewSet(ModelViewSet):
    model = DBTaskResult
    icon = "cogs"
    menu_label = "Background jobs"
    add_to_settings_menu = True
    url_prefix = "worker/jobs"
    url_namespace = "worker_jobs"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = JobIndexView
    form_fields = ["status"]
    list_display = [
        Column("task_path", label="Job"),
        "status",
        Column("attempts", label="Runs", accessor=lambda job: len(job.worker_ids)),
        Column("enqueued_at", label="Queued"),
        Column("finished_at", label="Finished"),
        Column("exception_class_path", label="Error"),
    ]
    list_filter = ["status"]
    inspect_view_fields = [
        "task_path",
        "status",
        "args_kwargs",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after",
        "worker_ids",
        "exception_class_path",
        "traceback",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<uuid:pk>/", retry, name="retry"),
        ]


@hooks.register("register_admin_viewset")
def register_jobs():
    return JobViewSet("worker_jobs")


class ReadOnlyIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        return []


class PeriodicJobViewSet(ModelViewSet):
    model = PeriodicJob
    icon = "time"
    menu_label = "Timed jobs"
    add_to_settings_menu = True
    url_prefix = "worker/timed"
    url_namespace = "worker_timed_jobs"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ReadOnlyIndexView
    form_fields = ["next_run_at"]
    list_display = [
        Column("name", label="Job"),
        Column("next_run_at", label="Next run"),
        Column("last_started_at", label="Last started"),
        Column("last_finished_at", label="Last finished"),
        "runs",
        Column("last_error", label="Last error"),
    ]


@hooks.register("register_admin_viewset")
def register_timed_jobs():
    return PeriodicJobViewSet("worker_timed_jobs")


class FailedJobsPanel(Component):
    name = "failed_jobs"
    order = 51

    def __init__(self, count: int):
        self.count = count

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="w-panel help-block help-warning" data-failed-jobs>'
            "<p>{} background job(s) failed. <a href='{}'>Review them</a>.</p>"
            "</section>",
            self.count,
            reverse("worker_jobs:index") + "?status=FAILED",
        )


@hooks.register("construct_homepage_panels")
def warn_about_failed_jobs(request, panels):
    if not (request.user.is_active and request.user.is_superuser):
        return
    count = DBTaskResult.objects.filter(status="FAILED").count()
    if count:
        panels.append(FailedJobsPanel(count))
