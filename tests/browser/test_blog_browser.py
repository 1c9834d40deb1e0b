"""The blog in a real browser: the video facade, the admin editor and layout. (axe checks every
blog page at both widths in test_accessibility.py.)"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, sign_in

ARTICLE = "/blog/what-runners-need-for-perfect-spine-alignment/"
NOCOOKIE = "https://www.youtube-nocookie.com/embed/Trzq4y3rmHI"


def csp_errors(page):
    return [error for error in page.console_errors if "Content Security Policy" in error]


def outside_requests(urls, base):
    return [url for url in urls if not url.startswith(base) and not url.startswith("data:")]


def test_video_loads_nothing_from_youtube_until_play_is_pressed(site, page_factory):
    page = page_factory()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    # No test leaves 127.0.0.1: the player's address answers with a stub page.
    page.route(
        "https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="<p>player</p>")
    )

    page.goto(site + ARTICLE)
    page.wait_for_load_state("networkidle")
    play = page.get_by_role("button", name=re.compile(r"^Play video: What Runners Need"))
    expect(play).to_be_visible()
    assert outside_requests(requests, site) == []

    # The page has loaded already, so a load state would not wait for the player: wait for its request.
    with page.expect_request(lambda request: request.url.startswith(NOCOOKIE)):
        play.click()

    frame = page.locator("iframe.video-frame")
    expect(frame).to_have_attribute("src", re.compile(rf"^{re.escape(NOCOOKIE)}\?"))
    assert outside_requests(requests, site) and all(
        url.startswith("https://www.youtube-nocookie.com/")
        for url in outside_requests(requests, site)
    )
    assert page.console_errors == []


def test_video_plays_from_the_keyboard(site, page_factory):
    page = page_factory()
    page.route(
        "https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="<p>player</p>")
    )
    page.goto(site + ARTICLE)

    page.get_by_role("button", name=re.compile("^Play video")).focus()
    page.keyboard.press("Space")

    expect(page.locator("iframe.video-frame")).to_have_count(1)


def test_without_javascript_the_video_is_a_plain_link(site, page_factory):
    page = page_factory(javascript=False)
    page.goto(site + ARTICLE)

    link = page.get_by_role("link", name=re.compile("^Play video"))
    expect(link).to_have_attribute("href", "https://www.youtube.com/watch?v=Trzq4y3rmHI")
    expect(page.locator("iframe")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_blog_pages_read_well(site, page_factory, artifacts_dir, viewport):
    page = page_factory(viewport=viewport)
    for name, path in [("list", "/blog/"), ("article", ARTICLE)]:
        page.goto(site + path)
        page.screenshot(path=artifacts_dir / f"blog-{name}-{viewport['width']}.jpg", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    paragraph = page.locator(".article-body > p").first
    font_size = float(paragraph.evaluate("p => getComputedStyle(p).fontSize").rstrip("px"))
    assert font_size >= 16
    # Characters per line, measured on the first long paragraph: near 70 (never a wall of text).
    per_line = paragraph.evaluate(
        """p => p.textContent.length / Math.round(
            p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))"""
    )
    assert per_line <= 85
    assert page.console_errors == [] and page.failed_requests == []


def test_staff_write_a_post_in_the_editor_publish_it_and_find_it_on_the_site(site, page_factory):
    get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    page = page_factory()
    sign_in(page, site, "boss", "pw-boss-123", "/admin/blog/post/add/")
    expect(page.locator("div.tiptap[contenteditable=true]")).to_be_visible()

    page.fill("#id_title", "Hill running without back pain")
    page.fill("#id_summary", "Technique for hills that spares the lower back.")
    expect(page.locator("#id_slug")).to_have_value("hill-running-without-back-pain")
    editor = page.locator("div.tiptap[contenteditable=true]")
    editor.click()
    page.keyboard.type("## Lean from the ankles")  # the editor's heading shortcut
    page.keyboard.press("Enter")
    page.keyboard.type("Keep your chest tall on the climb.")
    page.keyboard.press("Enter")
    # Pasting from a document keeps the link and drops the rest. (A pasted style="" attribute
    # or on*= handler is also dropped, but Chromium logs its CSP block, so none is pasted here.)
    editor.evaluate(
        """(element) => {
            const data = new DataTransfer();
            data.setData("text/html", '<p class="MsoNormal">See the <span class="x">'
                + '<a href="https://example.com/hills">hill guide</a></span>.</p>');
            data.setData("text/plain", "See the hill guide.");
            const options = {clipboardData: data, bubbles: true, cancelable: true};
            element.dispatchEvent(new ClipboardEvent("paste", options));
        }"""
    )
    expect(editor.locator("h2")).to_have_text("Lean from the ankles")
    expect(editor.locator("a")).to_have_text("hill guide")

    page.locator(".field-author .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Joey")
    page.locator(".select2-results__option", has_text="Joey Lee").click()
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert csp_errors(page) == []

    page.goto(site + "/blog/")
    page.get_by_role("link", name="Hill running without back pain").click()
    expect(page.locator("h1")).to_have_text("Hill running without back pain")
    heading = page.locator(".article-body h2#lean-from-the-ankles")
    expect(heading).to_have_text("Lean from the ankles")
    link = page.locator(".article-body a", has_text="hill guide")
    expect(link).to_have_attribute("href", "https://example.com/hills")
    assert link.get_attribute("onclick") is None
    assert page.locator(".article-body [style]").count() == 0


def test_admin_post_pages_show_no_policy_errors(site, page_factory):
    get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    page = page_factory()
    sign_in(page, site, "boss", "pw-boss-123", "/admin/blog/post/")
    expect(page.locator("#result_list")).to_be_visible()
    page.get_by_role("link", name="What Runners Need For Perfect Spine Alignment?").click()
    expect(page.locator("div.tiptap[contenteditable=true] h2").first).to_be_visible()

    assert csp_errors(page) == []
    assert [e for e in page.console_errors if "favicon" not in e and "404" not in e] == []
