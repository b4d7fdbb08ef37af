"""The moderation workflow for the Editors group, on any database state."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import Task, Workflow, WorkflowState

from cms.editorial import ensure_groups
from content.articles.factories import ArticlePageFactory, BlogIndexPageFactory
from home.demo import load_site


@pytest.fixture
def without_wagtails_default_workflow(db):
    # Wagtail's migrations create a "Moderators approval" workflow; a flushed
    # or older database may not have it.
    Workflow.objects.all().delete()
    Task.objects.all().delete()


def test_the_workflow_is_created_with_a_moderators_task(
    without_wagtails_default_workflow,
):
    ensure_groups(StringIO())
    ensure_groups(StringIO())

    workflow = Workflow.objects.get(name="Moderators approval")
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1
    assert [g.name for g in tasks[0].groups.all()] == ["Moderators"]


def test_an_editor_submission_waits_for_a_moderator(
    without_wagtails_default_workflow,
):
    ensure_groups(StringIO())
    blog = BlogIndexPageFactory(parent=load_site(StringIO()))
    article = ArticlePageFactory(parent=blog, live=False)
    editor = User.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))

    article.save_revision(user=editor)
    article.get_workflow().start(article, editor)

    article.refresh_from_db()
    assert not article.live
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
