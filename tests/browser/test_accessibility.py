"""axe-core (pinned by axe-playwright-python) in Debian's Chromium on every crawled page and on
the admin pages staff use most: WCAG 2.0–2.2 A and AA and axe's best practices."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.apps import apps
from django.urls import reverse

from tests.browser.conftest import DESKTOP, PHONE

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
# The admin pages staff use most: clinic details, practitioners, redirects, posts, stories,
# enquiries and the record of who opened them.
STAFF_MODELS = [
    "clinic.Clinic",
    "clinic.Practitioner",
    "clinic.Redirect",
    "blog.Post",
    "testimonials.Testimonial",
    "booking.Enquiry",
    "booking.AccessRecord",
]
# Django's own admin markup that our overrides (clinic/admin_a11y.py, templates/admin/,
# static/css/admin.css) cannot fix without copying a whole Django template or patching its
# vendored JavaScript, which would then miss Django's own fixes. Tolerated on /admin/ pages only,
# for the rule and the element whose markup (or axe's selector for it) starts as given; anything
# else fails.
DJANGO_ADMIN_KNOWN = [
    # The tabular inline's first column heading, over the rows' object names, and its last when
    # rows cannot be deleted (admin/edit_inline/tabular.html); minor, a best practice.
    ("empty-table-header", '<th class="original"'),
    ("empty-table-header", "<th></th>"),
    # autocomplete_fields: the select2 widget Django ships builds its own markup in JavaScript.
    # Its search box has no label of its own, and its list of chosen items holds elements
    # other than <li>.
    ("label", '<input class="select2-search__field"'),
    ("list", '<ul class="select2-selection__rendered"'),
    # Links inside the rich-text editor's document (django-prose-editor) are the article's text
    # being edited, not controls of the admin: their size is the article's typography.
    ("target-size", ".tiptap "),
]


def violations(page, path, known=None):
    """axe's violations on the page, one line per rule and element, naming the page."""
    page.evaluate(AXE_SCRIPT)
    # Only the violations come back: axe's whole result (every rule that passed or did not
    # apply, described) costs a quarter of the run to send over and decode.
    found = []
    for violation in page.evaluate(
        "options => axe.run(options).then(results => results.violations)", AXE_OPTIONS
    ):
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if any(
                violation["id"] == rule
                and (node["html"].startswith(where) or target.startswith(where))
                for rule, where in known or []
            ):
                continue
            found.append(
                f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"at {target}: {node['html'][:120]}"
            )
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_public_pages_have_no_accessibility_violations_or_console_errors(
    site, site_pages, page_factory, viewport
):
    page = page_factory(viewport=viewport)
    found = []
    for path in site_pages:
        page.goto(site + path)
        found += violations(page, path)
    assert not found, "\n" + "\n".join(found)
    assert page.console_errors == []


def test_mobile_menu_open_has_no_accessibility_violations(site, page_factory):
    page = page_factory(viewport=PHONE)
    page.goto(site + "/")
    page.click("summary.nav-toggle")
    found = violations(page, "/ (menu open)")
    assert not found, "\n" + "\n".join(found)


def test_error_page_has_no_accessibility_violations(site, page_factory):
    page = page_factory()
    response = page.goto(site + "/no-such-page/")
    assert response.status == 404
    found = violations(page, "/no-such-page/ (404)")
    assert not found, "\n" + "\n".join(found)


def staff_admin_paths():
    """Change list and edit (or add) page of each staff model."""
    paths = []
    for label in STAFF_MODELS:
        model = apps.get_model(label)
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        else:
            paths.append(reverse("admin:{}_{}_add".format(*info)))
    return paths


def history_and_report_paths():
    """A post's history, a comparison of two versions and a restore form; the enquiry report."""
    import reversion
    from django.core.management import call_command
    from reversion.models import Version

    from blog.models import Post

    call_command("createinitialrevisions", "blog.Post", verbosity=0)
    post = Post.objects.order_by("pk").first()
    with reversion.create_revision():
        post.summary += " Updated."
        post.save()
    newer, older = Version.objects.get_for_object(post)[:2]
    return [
        reverse("admin:blog_post_history", args=[post.pk]),
        reverse("admin:blog_post_compare", args=[post.pk]) + f"?older={older.pk}&newer={newer.pk}",
        reverse("admin:blog_post_revision", args=[post.pk, older.pk]),
        reverse("admin:booking_enquiry_sources"),
    ]


def test_admin_login_has_no_accessibility_violations(site, page_factory):
    page = page_factory()
    page.goto(site + reverse("admin:login"))
    found = violations(page, reverse("admin:login"))
    assert not found, "\n" + "\n".join(found)


def test_staff_admin_pages_have_no_accessibility_violations(site, page_factory, admin_user, client):
    client.force_login(admin_user)
    page = page_factory()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )
    paths = [reverse("admin:index"), *staff_admin_paths(), *history_and_report_paths()]
    found, checked = [], set()
    for path in paths:
        response = page.goto(site + path)
        if response.status == 403 and path.endswith("/add/"):
            continue  # staff never add this model by hand (enquiries come from the form)
        assert response.status == 200, f"{path}: answers {response.status}"
        assert "login" not in page.url, f"{path}: not signed in"
        if page.url in checked:  # the clinic's list redirects to its one record
            continue
        checked.add(page.url)
        found += violations(page, path, known=DJANGO_ADMIN_KNOWN)
    assert not found, "\n" + "\n".join(found)
