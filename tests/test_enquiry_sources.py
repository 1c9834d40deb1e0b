"""Which page an enquiry was started from: carried in "Book now" links as `?from=`, validated,
stored on the enquiry, shown in the admin and counted per page per month in a report."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client

from blog.models import Post
from booking.models import Enquiry
from tests import blog_helpers as h
from tests.form_support import enquiry_data

pytestmark = pytest.mark.usefixtures("clinic")


def hidden_from(html):
    return re.search(r'name="started_from"(?: value="([^"]*)")?', html).group(1)


@pytest.fixture
def article(db):
    return h.post(
        "Shin splints", slug="shin-splints", published_at=datetime(2025, 1, 1, tzinfo=UTC)
    )


@pytest.fixture
def desk_client(client, django_user_model):
    user = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(user)
    return client


def test_book_now_links_carry_the_page(client, article, service, practitioner):
    assert "from=article:shin-splints" in client.get(article.get_absolute_url()).text
    assert "from=service:running-assessment" in client.get(service.get_absolute_url()).text
    assert "from=practitioner:jason-lee" in client.get(practitioner.get_absolute_url()).text


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("article:shin-splints", "article:shin-splints"),
        ("article:no-such-article", None),
        ("invoice:shin-splints", None),
        ("article:<script>", None),
        ("article:shin\x00splints", None),
        ("x" * 5000, None),
    ],
)
def test_the_form_keeps_only_a_real_public_page(client, article, value, kept):
    response = client.get("/book/", {"from": value})

    assert response.status_code == 200
    assert hidden_from(response.text) == kept
    assert not response.cookies.get("sessionid")


def test_an_enquiry_records_the_article_it_started_from(client, article, service):
    client.post("/book/", enquiry_data(service, started_from="article:shin-splints"))

    assert Enquiry.objects.get().source_page == article


@pytest.mark.parametrize("value", ["article:gone", "nonsense", "service:" + "a" * 300])
def test_an_unknown_page_is_ignored_and_the_enquiry_kept(client, service, value):
    response = client.post("/book/", enquiry_data(service, started_from=value))

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.source_page is None and enquiry.source_type_id is None


def test_a_draft_article_does_not_count(client, service):
    h.post("Draft", slug="draft", status=Post.Status.DRAFT)

    client.post("/book/", enquiry_data(service, started_from="article:draft"))

    assert Enquiry.objects.get().source_page is None


def test_the_cached_form_page_keeps_each_pages_token(page_cache_on, article, service):
    Client().get("/book/?from=article:shin-splints")
    visitor = Client()

    cached = visitor.get("/book/?from=article:shin-splints")
    plain = visitor.get("/book/")

    assert cached["X-Page-Cache"] == "hit"
    assert hidden_from(cached.text) == "article:shin-splints"
    assert hidden_from(plain.text) is None


def test_the_enquiry_page_in_the_admin_names_the_article(client, desk_client, article, service):
    Client().post("/book/", enquiry_data(service, started_from="article:shin-splints"))
    enquiry = Enquiry.objects.get()

    page = desk_client.get(f"/admin/booking/enquiry/{enquiry.pk}/change/").text

    assert 'Article: <a href="/blog/shin-splints/">Shin splints</a>' in page


def send_at(moment, service, source):
    with time_machine.travel(moment, tick=False):
        Client().post("/book/", enquiry_data(service, started_from=source))


def test_the_monthly_report_counts_enquiries_per_page(desk_client, article, service):
    send_at(datetime(2026, 3, 10, 2, tzinfo=UTC), service, "article:shin-splints")
    send_at(datetime(2026, 3, 20, 2, tzinfo=UTC), service, "article:shin-splints")
    send_at(datetime(2026, 3, 21, 2, tzinfo=UTC), service, "service:running-assessment")
    # 31 March 14:00 UTC is 1 April in Sydney: counted in April.
    send_at(datetime(2026, 3, 31, 14, tzinfo=UTC), service, "article:shin-splints")
    send_at(datetime(2026, 4, 2, 2, tzinfo=UTC), service, "")
    Enquiry.objects.create(status="spam", source_page=article, name="bot")

    page = desk_client.get("/admin/booking/enquiry/sources/").text
    rows = re.findall(
        r"<tr>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>.*?>([^<]+)</a></td>\s*<td>(\d+)</td>",
        page,
    )
    assert rows == [
        ("April 2026", "Article", "Shin splints", "1"),
        ("March 2026", "Article", "Shin splints", "2"),
        ("March 2026", "Service", "Running assessment", "1"),
    ]

    csv = desk_client.get("/admin/booking/enquiry/sources/", {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv).decode().lstrip("\ufeff").splitlines()
    assert lines[0] == "Month,Kind of page,Page,Address,Enquiries"
    assert lines[1:] == [
        "2026-04,Article,Shin splints,/blog/shin-splints/,1",
        "2026-03,Article,Shin splints,/blog/shin-splints/,2",
        "2026-03,Service,Running assessment,/services/running-assessment/,1",
    ]


def test_the_report_takes_the_same_queries_for_many_pages(
    desk_client, service, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    posts = h.many_posts(30)
    for post in posts[:2]:
        Enquiry.objects.create(name="A", consent=True, source_page=post)
    with CaptureQueriesContext(connection) as few:
        desk_client.get("/admin/booking/enquiry/sources/")
    for post in posts[2:]:
        Enquiry.objects.create(name="A", consent=True, source_page=post)

    with django_assert_max_num_queries(len(few)):
        desk_client.get("/admin/booking/enquiry/sources/")


def test_editors_do_not_see_the_enquiry_report(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)

    assert client.get("/admin/booking/enquiry/sources/").status_code == 403
