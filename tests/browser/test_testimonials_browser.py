"""Patient stories in a real browser: the stories shown and the share form. (Their pages' layout and
accessibility at both widths are checked with every page's, in test_screenshots.py and
test_accessibility.py.)"""

import re

import pytest
from playwright.sync_api import expect

from testimonials.models import Status
from testimonials.models import Testimonial as Story
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import violations


def test_demo_shows_only_service_stories(site, page_factory):
    page = page_factory(viewport=PHONE)
    page.goto(site + "/stories/")

    names = page.locator(".story-name").all_inner_texts()

    assert sorted(names) == ["Gordon Holloway", "Ralph"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_sharing_a_story_by_keyboard(site, page_factory, javascript, settings):
    settings.FORM_MIN_SECONDS_TO_FILL = 0  # the browser fills the form faster than a person
    page = page_factory(viewport=PHONE, javascript=javascript)
    page.goto(site + "/stories/share/")

    page.get_by_label("Your name").fill("Robin Example")
    page.get_by_label("Your experience").fill("Always a warm welcome at the front desk.")
    page.get_by_label("Westside Sports Chiro may publish my story").check()
    page.get_by_role("button", name="Send my story").press("Enter")

    page.wait_for_url("**/stories/share/thanks/")
    assert "We will review it" in page.get_by_role("status").inner_text()
    story = Story.objects.get(author_name="Robin Example")
    assert story.status == Status.PENDING and not story.is_spam


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_blank_story_is_sent_back_with_its_error_beside_it(
    site, page_factory, viewport, settings
):
    settings.FORM_MIN_SECONDS_TO_FILL = 0  # the browser fills the form faster than a person
    page = page_factory(viewport=viewport)
    page.goto(site + "/stories/share/")
    page.get_by_label("Your name").fill("Robin Example")
    # Spaces pass the browser's own "required" check; the server refuses them.
    page.get_by_label("Your experience").fill("   ")
    page.get_by_label("Westside Sports Chiro may publish my story").check()
    # The page with the error must have loaded before its layout and axe are checked.
    with page.expect_navigation():
        page.get_by_role("button", name="Send my story").click()

    page.get_by_role("alert").wait_for()
    # The browser's accessibility tree: the error is what a screen reader reads with the box.
    story = page.get_by_role("textbox", name="Your experience")
    expect(story).to_have_attribute("aria-invalid", "true")
    expect(story).to_have_accessible_description(
        re.compile("Please write a few words about your experience.$")
    )
    expect(page.get_by_label("Your name")).to_have_value("Robin Example")
    expect(page.get_by_label("Your name")).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Westside Sports Chiro may publish my story")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    found = violations(page, "/stories/share/ (with its error)")
    assert not found, "\n" + "\n".join(found)
    assert page.console_errors == []
