"""Editors draft, moderators publish: groups, permissions and the workflow.

``ensure_groups`` sets them up (``load_demo_content`` calls it); the
``before_delete_page`` hook (cms/wagtail_hooks.py) keeps editors from deleting.
"""

from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.snippets.models import get_snippet_models

PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page"],
    "Moderators": [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}
SNIPPET_ACTIONS = {
    "Editors": ["add", "change"],
    "Moderators": ["add", "change", "delete", "publish", "lock", "unlock"],
}


def _snippet_permissions(actions):
    # Every snippet the apps register: the content domains' catalogue,
    # authors, comparison tables and specialties.
    for model in get_snippet_models():
        content_type = ContentType.objects.get_for_model(model)
        codenames = [f"{action}_{model._meta.model_name}" for action in actions]
        yield from Permission.objects.filter(
            content_type=content_type, codename__in=codenames
        )


def ensure_groups(stdout) -> None:
    root = Page.get_first_root_node()
    admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name, page_codenames in PAGE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        groups[name] = group
        if created:
            stdout.write(f"  created group {name}")
        group.permissions.add(admin, *_snippet_permissions(SNIPPET_ACTIONS[name]))
        wanted = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=page_codenames
        )
        for permission in wanted:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission
            )
        # Editors never publish, even if an older set-up granted it.
        GroupPagePermission.objects.filter(group=group, page=root).exclude(
            permission__in=wanted
        ).delete()

    workflow, created = Workflow.objects.get_or_create(
        name="Moderators approval", defaults={"active": True}
    )
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task, _ = GroupApprovalTask.objects.get_or_create(name="Moderators approval")
        task.groups.add(groups["Moderators"])
        # Workflow is a ClusterableModel: ``workflow.workflow_tasks.create()``
        # only adds to the in-memory cluster, so write the row directly.
        # (A workflow without tasks publishes on submit, as the submitter.)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        stdout.write("  created moderation workflow")
    WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})


def only_publishers_delete_pages(request, page):
    """Editors may draft but not delete: deleting needs publish permission."""
    if not page.permissions_for_user(request.user).can_publish():
        messages.error(request, "Only moderators can delete pages.")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
