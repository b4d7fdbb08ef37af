import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from home.models import HomePage


@pytest.mark.django_db
def test_ensure_admin_generates_a_password_once(monkeypatch, capsys):
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    first = capsys.readouterr().out
    assert "generated password" in first
    call_command("ensure_admin")
    assert "already exists" in capsys.readouterr().out
    assert (
        get_user_model().objects.filter(username="admin", is_superuser=True).count()
        == 1
    )


@pytest.mark.django_db
def test_ensure_admin_takes_password_from_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "a-long-local-password")
    call_command("ensure_admin")
    assert (
        get_user_model()
        .objects.get(username="admin")
        .check_password("a-long-local-password")
    )


@pytest.mark.django_db
def test_load_demo_content_twice_changes_nothing():
    call_command("load_demo_content")
    pages = list(Page.objects.values_list("id", "path", "title", "latest_revision_id"))
    call_command("load_demo_content")
    assert (
        list(Page.objects.values_list("id", "path", "title", "latest_revision_id"))
        == pages
    )
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
