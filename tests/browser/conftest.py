"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: it launches /usr/bin/chromium (CHROMIUM to override).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
# its own thread, but fixtures that create data run here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_report = report
    return report


@pytest.fixture
def page_factory(browser, request):
    """Open pages at a given viewport; collects console errors and failed requests for asserts.
    When the test fails, each page's address and a screenshot go to test-artifacts/failures/
    and the addresses into the report: a flaky run in CI then says where the browser was."""
    contexts = []
    pages = []

    def make(viewport=DESKTOP, javascript=True):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.failed_requests = []
        page.error_responses = []
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and page.console_errors.append(f"{message.text} [{message.location.get('url')}]")
            ),
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.on(
            "requestfailed",
            lambda request: page.failed_requests.append(f"{request.url} {request.failure}"),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and page.error_responses.append(f"{response.status} {response.url}")
            ),
        )
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        report.sections.append(("browser pages", record_failed_pages(request.node.name, pages)))
    for context in contexts:
        context.close()


def record_failed_pages(test_name, pages):
    folder = ARTIFACTS / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for number, page in enumerate(pages, start=1):
        name = f"{test_name}-{number}"
        try:
            page.screenshot(path=folder / f"{name}.png", full_page=True)
            text = page.locator("body").inner_text(timeout=2000)[:1500]
        except PlaywrightError as error:  # the page may be gone with the failure
            text = f"(no screenshot: {error})"
        errors = "".join(f"\n  {line}" for line in page.error_responses + page.failed_requests)
        lines.append(f"page {number}: {page.url}{errors}\n{text}")
    return "\n\n".join(lines)


def sign_in(page, site, username, password, next_path="/admin/"):
    """Sign in to the admin as staff do, and wait until the page they asked for has loaded: the
    login page shares the admin's header, so waiting for an element could pass before the login
    is done, and a goto() then would cancel it."""
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + next_path)


@pytest.fixture
def site(live_server, transactional_db, demo_snapshot):
    """The live server with the demo content loaded; its base URL. Transactional (the server
    runs in another thread), so the database is emptied after each test and loaded again here."""
    demo_snapshot.load()
    return live_server.url


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def crawled_demo_pages():
    """Filled by `site_pages` at its first use: the demo content, so its pages, are the same in
    every test."""
    return []


@pytest.fixture
def site_pages(site, client, crawled_demo_pages):
    """Every HTML page of the demo site, found by the crawl (tests/crawl.py), without query
    variants: the same pages the crawl tests check, so new apps' pages are covered once linked.
    Crawled once per test process."""
    from tests import crawl

    if not crawled_demo_pages:
        result = crawl.crawl(client.get)
        crawled_demo_pages.extend(path for path in result.pages if "?" not in path)
    return list(crawled_demo_pages)


@pytest.fixture
def site_template_pages(site_pages):
    """The first of `site_pages` for each URL pattern, so each page template once: /about/jason-lee/
    for every practitioner, the first service for every service, the first topic for every topic."""
    from django.urls import resolve

    chosen = {}
    for path in site_pages:
        match = resolve(path)
        chosen.setdefault((match.route, match.view_name), path)
    return list(chosen.values())


def pytest_terminal_summary(terminalreporter):
    screenshots = ARTIFACTS / "screenshots"
    if screenshots.is_dir() and any(screenshots.iterdir()):
        terminalreporter.write_line(f"Screenshots of every page template: {screenshots}")
