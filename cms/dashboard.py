"""Dashboard panel for editors: what waits for review.

Registered from cms/wagtail_hooks.py through ``construct_homepage_panels``
(domains add their own, e.g. content.trainers.admin's expiring credentials).
A panel renders nothing when it has nothing to say.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.models import DraftStateMixin, Page, WorkflowState
from wagtail.snippets.models import get_snippet_models

PANEL_LIMIT = 10


@dataclass
class ReviewItem:
    title: str
    kind: str
    status: str
    edit_url: str
    changed_at: datetime.datetime | None
    changed_by: str


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class DraftsAwaitingReviewPanel(Component):
    """Pages and snippets in moderation, then drafts with unpublished changes.

    Only items the signed-in user may edit are listed (the URL finder returns
    no URL otherwise), so editors and moderators each see their own work.
    """

    name = "drafts_awaiting_review"
    template_name = "cms/dashboard/drafts_awaiting_review.html"
    order = 205

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        finder = AdminURLFinder(request.user)
        in_review, seen = self.in_moderation(finder)
        drafts = self.unpublished_drafts(finder, seen)
        return {
            "in_review": in_review,
            "drafts": drafts,
            "limit": PANEL_LIMIT,
            "request": request,
        }

    def in_moderation(self, finder):
        states = (
            WorkflowState.objects.active()
            .select_related("current_task_state__task", "requested_by")
            .prefetch_related("content_object")
            .order_by("-created_at")[: PANEL_LIMIT * 3]
        )
        items, seen = [], set()
        for state in states:
            obj = state.content_object
            if obj is None:
                continue
            if isinstance(obj, Page):
                obj = obj.specific_deferred
            seen.add((state.base_content_type_id, str(state.object_id)))
            edit_url = finder.get_edit_url(obj)
            if not edit_url or len(items) >= PANEL_LIMIT:
                continue
            task = state.current_task_state.task if state.current_task_state else None
            if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                status = "Changes requested"
            else:
                status = f"Awaiting {task.name}" if task else "In moderation"
            items.append(
                ReviewItem(
                    title=str(obj),
                    kind=_verbose_name(obj),
                    status=status,
                    edit_url=edit_url,
                    changed_at=state.created_at,
                    changed_by=_who(state.requested_by),
                )
            )
        return items, seen

    def unpublished_drafts(self, finder, seen):
        candidates = []
        pages = (
            Page.objects.filter(has_unpublished_changes=True, depth__gt=1)
            .select_related("latest_revision__user")
            .order_by("-latest_revision_created_at")[: PANEL_LIMIT * 3]
        )
        candidates.extend(pages.specific(defer=True))
        for model in get_snippet_models():
            if not issubclass(model, DraftStateMixin):
                continue
            rows = (
                model.objects.filter(has_unpublished_changes=True)
                .select_related("latest_revision__user")
                .order_by("-latest_revision__created_at")[:PANEL_LIMIT]
            )
            candidates.extend(rows)
        items = []
        for obj in candidates:
            key = (obj.get_base_content_type().pk, str(obj.pk))
            edit_url = finder.get_edit_url(obj)
            if key in seen or not edit_url:
                continue
            revision = obj.latest_revision
            items.append(
                ReviewItem(
                    title=str(obj),
                    kind=_verbose_name(obj),
                    status="Draft changes" if obj.live else "Draft, never published",
                    edit_url=edit_url,
                    changed_at=revision.created_at if revision else None,
                    changed_by=_who(revision.user if revision else None),
                )
            )
        oldest = timezone.make_aware(datetime.datetime(1970, 1, 1))
        items.sort(key=lambda item: item.changed_at or oldest, reverse=True)
        return items[:PANEL_LIMIT]


def _verbose_name(obj) -> str:
    return str(type(obj)._meta.verbose_name).capitalize()


def add_dashboard_panels(request, panels):
    panels.append(DraftsAwaitingReviewPanel())
