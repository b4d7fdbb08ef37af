"""The moderation queue, bulk actions, staff replies and the dashboard panel.

Comments are a snippet (Comments in the menu): the listing filters by
status (pending first by default: ``?status=pending``), each edit view sets
the status and may add a staff reply, and the bulk actions approve, reject
or mark as spam many at once. Editors never create comments from scratch:
readers do, through ``submitComment``.
"""

from django import forms
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import SnippetViewSet

from content.engagement import services
from content.engagement.models import Comment, CommentStatus
from content.engagement.text import TextRejected, clean_body


class NoCreatePolicy(ModelPermissionPolicy):
    """Comments come from readers (and staff replies from the edit view)."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


register_permission_policy(Comment, NoCreatePolicy(Comment))


class CommentForm(WagtailAdminModelForm):
    staff_reply = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Reply as clinic staff: shown at once, marked as a staff reply.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reply_to_save = ""

    def clean_staff_reply(self):
        text = self.cleaned_data.get("staff_reply", "")
        if text.strip():
            try:
                clean_body(text)
            except TextRejected as rejected:
                raise forms.ValidationError(rejected.message) from None
        return text

    def save(self, commit=True):
        comment = super().save(commit=commit)
        text = self.cleaned_data.get("staff_reply", "")
        if commit and text.strip() and self.for_user is not None:
            services.reply(comment, text, self.for_user)
        return comment


def _excerpt(comment) -> str:
    text = " ".join(comment.body.split())
    return text if len(text) <= 80 else text[:79] + "…"


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_order = 310
    add_to_admin_menu = True
    list_filter = ["status", "is_staff_reply"]
    list_display = [
        TitleColumn(
            "excerpt",
            label="Comment",
            accessor=_excerpt,
            url_name="wagtailsnippets_content_comment:edit",
        ),
        "name",
        Column("article", label="Article", accessor=lambda c: c.article.title),
        "status",
        "created_at",
    ]
    ordering = ["-created_at"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("status"),
            FieldPanel("name", read_only=True),
            FieldPanel("body", read_only=True),
            FieldPanel("created_at", read_only=True),
            FieldPanel("staff_reply"),
        ],
        base_form_class=CommentForm,
    )

    def get_queryset(self, request):
        return Comment.objects.select_related("article")


class ModerateBulkAction(SnippetBulkAction):
    """Set one status on the selected comments (no confirmation step needed
    beyond Wagtail's own)."""

    status = ""
    template_name = "content/engagement/confirm_bulk_moderate.html"
    models = [Comment]

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", snippet
        )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ids = [comment.pk for comment in objects]
        changed = services.moderate(Comment.objects.filter(pk__in=ids), cls.status)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} comment(s) marked {self.status}."

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "status": self.status}


class ApproveBulkAction(ModerateBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve selected comments"
    action_priority = 10
    status = CommentStatus.APPROVED


class RejectBulkAction(ModerateBulkAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject selected comments"
    action_priority = 20
    status = CommentStatus.REJECTED


class SpamBulkAction(ModerateBulkAction):
    display_name = "Mark as spam"
    action_type = "spam"
    aria_label = "Mark selected comments as spam"
    action_priority = 25
    classes = {"serious"}
    status = CommentStatus.SPAM


for action in (ApproveBulkAction, RejectBulkAction, SpamBulkAction):
    hooks.register("register_bulk_action", action)


class PendingCommentsPanel(Component):
    """How many comments wait for moderation, with a link to the queue."""

    name = "pending_comments"
    template_name = "content/engagement/pending_panel.html"
    order = 207

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        allowed = user.has_perm("content.change_comment")
        count = (
            Comment.objects.filter(status=CommentStatus.PENDING).count()
            if allowed
            else 0
        )
        return {
            "count": count,
            "queue_url": reverse(CommentViewSet().get_url_name("list"))
            + "?status=pending",
            "request": request,
        }


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels):
    panels.append(PendingCommentsPanel())
