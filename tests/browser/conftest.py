"""Playwright against Debian's Chromium, on pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client

from providers.access import ROLES

# Playwright's sync API runs an event loop in this thread; Django would
# otherwise refuse database calls from it as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(settings.BASE_DIR)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
APP_CSS = ROOT / "static" / "build" / "app.css"
SCREENSHOTS = ROOT / "var" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not APP_CSS.exists():
        pytest.fail(f"{APP_CSS} is missing: run `make assets` before the browser tests.")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` (or `make assets`).")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _browser_setup(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # The live server runs in a flushed database: the role groups that a data
    # migration made are gone after the first transactional test.
    for role in ROLES:
        Group.objects.get_or_create(name=role)


# Every page a browser test opens is watched for Content Security Policy
# violations (issue 10): the browser's console reports each one, and the
# page's own securitypolicyviolation events are kept for the end of the test.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def csp_violations(page: Any) -> list[str]:
    """Violations on the page now open (its events), as `directive blocked what`."""
    return list(page.evaluate("window.__cspViolations || []"))


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not console, "Content Security Policy violations:\n" + "\n".join(console)


def sign_in(page: Any, live_server: Any, user: User) -> None:
    """Reuse a Django session rather than typing into the form every time."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def check_accessibility(page: Any) -> None:
    # Evaluated through the DevTools protocol, not added as a <script>: the
    # page's Content Security Policy rightly refuses scripts from elsewhere.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = result["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {', '.join(map(str, node['target']))}")
                lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')}")
        pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page: Any, name: str, phone: bool = False) -> None:
    """Desktop always; a phone-width shot too where asked."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    if phone:
        size = page.viewport_size
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(size)
