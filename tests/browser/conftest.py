"""A real browser (Debian's chromium through Playwright) against a live PARtrack with the demo."""

import json
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous code. Only while browsers run.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser(orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Chromium reports each refusal on the console; the page's own event is a second witness, since
# a refusal inside a frame or a worker may not reach the console of the page.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("securitypolicyviolation (Content-Security-Policy): " + event.violatedDirective
    + " refused " + (event.blockedURI || "inline code") + " at " + event.sourceFile
    + ":" + event.lineNumber);
});
"""


def is_csp_violation(message):
    text = message.text.lower()
    return message.type == "error" and (
        "content security policy" in text
        or "content-security-policy" in text
        or "securitypolicyviolation" in text
    )


@pytest.fixture(autouse=True)
def csp_violations(monkeypatch):
    """Every page a browser test opens is watched; a test fails at teardown on any refusal."""
    from playwright.sync_api import Browser

    violations = []

    def watch_page(page):
        def on_console(message):
            if is_csp_violation(message):
                violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def watch_context(context):
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("page", watch_page)
        for page in context.pages:
            watch_page(page)
        return context

    new_context, new_page = Browser.new_context, Browser.new_page

    def new_watched_context(self, *args, **kwargs):
        return watch_context(new_context(self, *args, **kwargs))

    def new_watched_page(self, *args, **kwargs):
        page = new_page(self, *args, **kwargs)
        watch_context(page.context)  # a page of its own context, already opened: watch it too
        return page

    monkeypatch.setattr(Browser, "new_context", new_watched_context)
    monkeypatch.setattr(Browser, "new_page", new_watched_page)
    yield violations
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def office_work():
    """Whether the demo includes issue 14's office work (tests/conftest.py: demo_at_work); a
    test module that needs it overrides this fixture."""
    return False


@pytest.fixture
def demo_site(live_server, transactional_db, settings, tmp_path, office_work):
    from partrack.plans.demo import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo(office_work=office_work)
    return live_server.url


@pytest.fixture
def sign_in(browser, demo_site):
    """sign_in(login, viewport=DESKTOP) → a page of a fresh browser signed in as that person."""
    contexts = []

    def sign_in(login, viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{demo_site}/dang-nhap/")
        page.fill("#id_username", login)
        page.fill("#id_password", "partrack-demo")
        page.click("main button[type=submit], main form button")
        page.wait_for_load_state()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def serious_violations(page):
    """axe-core's serious and critical accessibility violations on the page, as short lines."""
    # Evaluated through the browser's debugging protocol, which the page's policy does not
    # govern; add_script_tag would insert an inline <script> the policy rightly refuses.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in json.loads(result)["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sideways_scroll(page):
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def screenshot(page, name):
    """Refresh docs/screenshots/NAME.jpg, only when asked (script/screenshots).

    A plain test run leaves the tracked tree as it found it; the pictures change only when
    someone means to change them.
    """
    if os.environ.get("PARTRACK_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # JPEG keeps the committed pictures small.
    page.screenshot(path=str(SCREENSHOTS / f"{name}.jpg"), type="jpeg", quality=70)
