"""The editor staff use, in a real browser: history and restore, content checks as they type,
publishing a flagged article, where enquiries come from, and the front page per role."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Post
from booking.models import Enquiry
from tests import blog_helpers as h
from tests.browser.conftest import sign_in

ARTICLE = "/blog/what-runners-need-for-perfect-spine-alignment/"
TITLE = "What Runners Need For Perfect Spine Alignment?"
FLAGGED_TEXT = "Our care cures asthma, guaranteed."

# The staff groups as their data migrations make them (a live-server test's flush drops them).
GROUPS = {
    "Editors": {
        "blog": ["add_post", "change_post", "delete_post", "view_post", "view_topic"],
        "clinic": [
            "change_clinic",
            "view_clinic",
            "change_service",
            "view_service",
            "change_practitioner",
            "view_practitioner",
        ],
        "testimonials": ["view_testimonial", "change_testimonial"],
    },
    "Front desk": {
        "booking": ["view_enquiry", "change_enquiry", "export_enquiry", "view_notification"],
    },
}


@pytest.fixture(autouse=True)
def staff_groups(site):
    from django.contrib.auth.models import Permission

    for name, apps in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in apps.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def csp_errors(page):
    return [error for error in page.console_errors if "Content Security Policy" in error]


def log_in(page, site, group, next_url="/admin/"):
    username = group.lower().replace(" ", "-")
    user = get_user_model().objects.create_user(username, password="pw-12345678", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    sign_in(page, site, username, "pw-12345678", next_url)
    return user


def type_in_editor(page, text):
    editor = page.locator("div.tiptap[contenteditable=true]")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)


def test_an_editor_compares_two_earlier_versions_and_restores_the_first(site, page_factory):
    call_command("createinitialrevisions", verbosity=0)
    post = Post.objects.get()
    page = page_factory()
    log_in(page, site, "Editors", f"/admin/blog/post/{post.pk}/change/")

    for title in ["Spine alignment for runners", "Running tall: your spine"]:
        page.fill("#id_title", title)
        # The second time, the page being left has the same message: wait for the new one.
        with page.expect_navigation():
            page.click("input[name=_continue]")
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("link", name="History").click()

    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("editors")
    page.get_by_label(re.compile("^Compare from")).nth(2).check()
    page.get_by_label(re.compile("^Compare to")).nth(1).check()
    page.get_by_role("button", name="Compare the chosen versions").click()

    title_diff = page.locator("section", has=page.get_by_role("heading", name="Title"))
    expect(title_diff.locator("del")).to_contain_text(TITLE)
    expect(title_diff.locator("ins")).to_contain_text("Spine alignment for runners")
    page.get_by_role("link", name="Restore the older version").click()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Post.objects.get().title == TITLE
    page.goto(f"{site}/admin/blog/post/{post.pk}/history/")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Reverted to previous version")
    assert csp_errors(page) == []


def test_flagged_words_appear_in_the_checklist_as_they_are_typed(site, page_factory):
    post = Post.objects.get()
    page = page_factory()
    log_in(page, site, "Editors", f"/admin/blog/post/{post.pk}/change/")
    checklist = page.locator("[data-content-checks]")
    expect(checklist).to_contain_text("Nothing flagged")

    type_in_editor(page, FLAGGED_TEXT)

    expect(checklist.locator(".check-flag")).to_have_count(3)
    expect(checklist).to_contain_text("cures: A claim to cure creates an unreasonable expectation")
    expect(checklist).to_contain_text("asthma: Asthma is outside the musculoskeletal scope")
    assert csp_errors(page) == [] and page.console_errors == []


def test_a_flagged_draft_is_published_only_with_a_reason(site, page_factory):
    page = page_factory()
    log_in(page, site, "Editors", "/admin/blog/post/add/")
    page.fill("#id_title", "Breathing on the run")
    page.fill("#id_summary", "How to breathe on an easy run.")
    type_in_editor(page, FLAGGED_TEXT)
    page.locator(".field-author .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Joey")
    page.locator(".select2-results__option", has_text="Joey Lee").click()
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    post = Post.objects.get(slug="breathing-on-the-run")

    # The form: publishing now, then scheduling, each refused without a reason.
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    expect(page.locator(".field-publish_reason .errorlist")).to_contain_text(
        "The advertising check flagged: cures, asthma, guaranteed"
    )
    later = timezone.localtime() + timedelta(days=7)
    page.fill("#id_published_at_0", later.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", "09:00:00")
    # The page being left shows the same error: wait for the answer to this save.
    with page.expect_navigation():
        page.click("input[name=_continue]")
    expect(page.locator(".field-publish_reason .errorlist")).to_contain_text(
        "The advertising check flagged: cures, asthma, guaranteed"
    )
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT

    # The list's bulk action.
    page.goto(site + "/admin/blog/post/")
    page.locator(f"input[name=_selected_action][value='{post.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .error")).to_contain_text(
        "Not published: “Breathing on the run”"
    )
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT

    # With a reason, scheduling it works and who, when and why are on the record.
    page.goto(f"{site}/admin/blog/post/{post.pk}/change/")
    page.select_option("#id_status", "published")
    page.fill("#id_published_at_0", later.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", "09:00:00")
    page.fill("#id_publish_reason", "Quotes a claim in order to correct it; approved by Jason.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".field-publication_log")).to_contain_text("approved by Jason")
    expect(page.locator(".field-publication_log")).to_contain_text("editors")
    assert Post.objects.get(pk=post.pk).state == "Scheduled"
    assert csp_errors(page) == []


def test_an_enquiry_from_an_articles_book_now_shows_that_article(site, page_factory, settings):
    settings.FORM_MIN_SECONDS_TO_FILL = 0
    visitor = page_factory()
    visitor.goto(site + ARTICLE)
    visitor.locator(".cta").get_by_role("link", name="Book now").click()
    visitor.get_by_role("textbox", name="Your name").fill("Robin Tester")
    visitor.get_by_role("textbox", name="Email").fill("robin@example.com")
    visitor.get_by_role("textbox", name="Phone").fill("0412 345 678")
    visitor.get_by_label("By phone").check()
    visitor.get_by_label("New patient").check()
    visitor.get_by_label("Service").select_option(label="Running assessment")
    visitor.get_by_label("I agree to the clinic").check()
    visitor.get_by_role("button", name="Send enquiry").click()
    visitor.get_by_role("status").wait_for()
    assert visitor.context.cookies(site) == [] or all(
        cookie["name"] == "csrftoken" for cookie in visitor.context.cookies(site)
    )
    enquiry = Enquiry.objects.get()

    desk = page_factory()
    log_in(desk, site, "Front desk", f"/admin/booking/enquiry/{enquiry.pk}/change/")
    expect(desk.locator(".field-started_from")).to_contain_text(f"Article: {TITLE}")
    desk.goto(site + "/admin/booking/enquiry/")
    desk.get_by_role("link", name="Which pages bring enquiries").click()
    row = desk.locator("#source-report tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(TITLE)
    expect(row.locator("td").last).to_have_text("1")


@pytest.mark.parametrize(
    ("group", "shown", "hidden"),
    [
        ("Front desk", {"New enquiries": "1"}, "Scheduled articles"),
        ("Editors", {"Scheduled articles": "1"}, "New enquiries"),
    ],
)
def test_the_front_page_shows_each_role_its_counts(site, page_factory, group, shown, hidden):
    Enquiry.objects.create(name="Alex", consent=True)
    h.post("Coming soon", published_at=timezone.now() + timedelta(days=2))
    page = page_factory()
    log_in(page, site, group)

    table = page.locator("#attention")
    for label, count in shown.items():
        row = table.locator("tr", has=page.get_by_role("link", name=label))
        expect(row.locator("td.count")).to_have_text(count)
    expect(table.get_by_role("link", name=hidden)).to_have_count(0)
    table.get_by_role("link", name=next(iter(shown))).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
