"""The reference site in Chromium: every page type, axe-core, keyboard, preview.

The server is `make run` (conftest.py). axe-core comes from the npm registry,
pinned in web/tests/axe/package-lock.json and installed with `npm ci`; its
axe.min.js is injected into each page by Playwright. Screenshots of every
step land in .artifacts/e2e/<test name>/.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from web.tests.dom import operation_id

pytestmark = pytest.mark.e2e

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SEED_SLUG = "physical-therapy-or-personal-training"
PAGES = {
    "home": "/site/",
    "article": f"/site/blog/{SEED_SLUG}/",
    "article-every-block": "/site/blog/every-block/",
    "article-list": "/site/blog/",
    "comparison-table": "/site/compare/physical-therapists-vs-personal-trainers/",
    "directory": "/site/trainers/",
    "directory-near-madison": "/site/trainers/?near=Madison%2C+WI&radius=25",
    "profile": "/site/trainers/maya-lindqvist/",
    "search": "/site/search/?q=licensure+Wisconsin",
}


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js from the lockfile (``npm ci`` when it is not installed yet)."""
    lock = AXE_DIR / "package-lock.json"
    if not AXE_JS.exists() or AXE_JS.stat().st_mtime < lock.stat().st_mtime:
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed (needed for axe-core)")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=AXE_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_JS


def serious_violations(page, axe_script) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_with_landmarks_one_h1_and_no_serious_axe_violations(
    page, site_server, axe_script, name
):
    response = page.goto(site_server.url + PAGES[name])
    assert response.status == 200
    page.steps.shot(name)

    assert page.locator("h1").count() == 1
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    assert page.get_by_role("navigation", name="Main").count() == 1
    images = page.locator("img")
    assert [
        images.nth(i).get_attribute("alt") is not None for i in range(images.count())
    ] == [True] * images.count()
    assert serious_violations(page, axe_script) == []


def test_keyboard_reaches_the_content_and_the_directory_filters(page, site_server):
    page.goto(f"{site_server.site}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "main")
    page.steps.shot("skipped-to-main")

    page.goto(f"{site_server.site}/trainers/")
    page.locator("#f-q").focus()
    # From the keyword box, Tab walks the form in reading order.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("id", "f-near")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("id", "f-radius")
    page.locator("#f-s-older-adults").focus()
    page.keyboard.press("Space")
    page.locator("#f-c-pt").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url("**/site/trainers/?*")
    page.steps.shot("filtered-by-keyboard")
    expect(page.locator("#results-heading")).to_have_text("4 trainers")


def test_near_me_uses_the_browsers_position_when_allowed(browser, site_server):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        geolocation={"latitude": 43.0731, "longitude": -89.4012},
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto(f"{site_server.site}/trainers/")
        page.select_option("#f-radius", "10")
        near_me = page.get_by_role("button", name="Use my location")
        expect(near_me).to_be_visible()
        near_me.click()
        page.wait_for_url("**lat=43.0731**")
        expect(page.locator("#results-heading")).to_have_text(
            "3 trainers within 10 km of you"
        )
        page.screenshot(path=str(_artifact("near-me.png")), full_page=True)
    finally:
        context.close()


def test_search_box_suggests_titles_as_you_type(page, site_server):
    page.goto(f"{site_server.site}/search/")
    page.get_by_label("Search articles, comparisons and trainers").press_sequentially(
        "phys", delay=50
    )
    options = page.locator("#search-suggestions option")
    expect(options).to_have_count(2)
    assert [options.nth(i).get_attribute("value") for i in range(2)] == [
        "Physical Therapists vs Personal Trainers",
        "Physical Therapy or Personal Training?",
    ]
    page.keyboard.press("Enter")
    page.wait_for_url("**/site/search/?q=phys**")
    page.steps.shot("suggestions-and-results")
    expect(page.locator("nav.suggestions a")).to_have_count(2)


def _artifact(name: str) -> Path:
    folder = Path(__file__).resolve().parents[2] / ".artifacts" / "e2e" / "site"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _api_id(site_server, operation, variables, field) -> str:
    response = site_server.get(
        f"/graphql/?id={operation_id(operation)}"
        f"&variables={quote(json.dumps(variables))}"
    )
    return json.loads(response.text)["data"][field]["id"]


def _log_in(page, site_server):
    page.goto(f"{site_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", site_server.admin_password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_server.url}/admin/")


def _preview_shows(page, title):
    page.get_by_role("button", name="Toggle preview").click()
    site = page.frame_locator("iframe#w-preview-iframe").frame_locator(
        "iframe#preview-frame"
    )
    expect(site.locator("h1")).to_have_text(title)
    expect(site.locator(".preview-banner")).to_contain_text("Draft preview.")


@pytest.mark.parametrize(
    ("kind", "edit_path", "public_path", "published"),
    [
        (
            "article",
            "/admin/pages/{id}/edit/",
            f"/site/blog/{SEED_SLUG}/",
            "Physical Therapy or Personal Training?",
        ),
        (
            "table",
            "/admin/snippets/content/comparisontable/edit/{id}/",
            "/site/compare/physical-therapists-vs-personal-trainers/",
            "Physical Therapists vs Personal Trainers",
        ),
        (
            "trainer",
            "/admin/pages/{id}/edit/",
            "/site/trainers/maya-lindqvist/",
            "Maya Lindqvist",
        ),
    ],
    ids=["article", "table", "trainer"],
)
def test_admin_preview_panel_shows_the_draft_the_public_page_does_not(
    page, site_server, kind, edit_path, public_path, published
):
    object_id = {
        "article": lambda: _api_id(
            site_server, "ArticleDetail", {"slug": SEED_SLUG}, "article"
        ),
        "table": lambda: _api_id(
            site_server,
            "ComparisonTable",
            {"slug": "physical-therapists-vs-personal-trainers"},
            "comparisonTable",
        ),
        "trainer": lambda: _api_id(
            site_server, "TrainerProfile", {"slug": "maya-lindqvist"}, "trainer"
        ),
    }[kind]()
    draft = f"{published} (draft in the editor)"

    _log_in(page, site_server)
    page.goto(site_server.url + edit_path.format(id=object_id))
    page.fill("#id_title", draft)
    page.keyboard.press("Tab")
    _preview_shows(page, draft)
    page.steps.shot("preview-panel")

    public = page.context.new_page()
    public.goto(site_server.url + public_path)
    expect(public.locator("h1")).to_have_text(published)
    page.steps.page = public
    page.steps.shot("public-page")


def test_expired_or_forged_preview_links_show_a_clear_message(page, site_server):
    page.goto(
        f"{site_server.site}/preview?contentType=content.ArticlePage"
        f"&lookup={SEED_SLUG}&token=eyJzIjoxLCJjdCI6NDF9:forged:signature"
    )
    page.steps.shot("forged-token")
    expect(page.locator("h1")).to_have_text("Preview link expired")
    expect(page.locator("main p").first).to_have_text(
        "This preview link is invalid or has expired. Reopen the preview from "
        "the admin to get a fresh link."
    )
