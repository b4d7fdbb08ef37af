"""Browser smoke test: an editor signs in to the Wagtail admin."""

import io

import pytest
from django.contrib.auth import get_user_model

from home.demo import load_site

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_editor_signs_in_to_the_admin(page, live_server):
    load_site(io.StringIO())
    get_user_model().objects.create_superuser("editor", "e@example.org", "pw-123456!")
    page.goto(f"{live_server.url}/admin/login/")
    page.steps.shot("login-form")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-123456!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.steps.shot("dashboard")
    assert "Dashboard" in page.title()
