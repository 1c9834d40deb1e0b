"""The booking and story forms served from the page cache: every visitor still gets their own
CSRF token and a fresh form timestamp, and what they send is stored."""

import re
import time
from unittest import mock

import pytest
from django.test import Client

from booking.models import Enquiry
from testimonials.models import Testimonial as Story

pytestmark = pytest.mark.usefixtures("demo")


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("url", ["/book/", "/stories/share/"])
def test_each_visitor_gets_their_own_token_and_timestamp(page_cache_on, url):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    one = first.get(url)
    two = second.get(url)

    assert one["X-Page-Cache"] == "miss"
    assert two["X-Page-Cache"] == "hit"
    html_one, html_two = one.content.decode(), two.content.decode()
    assert hidden(html_one, "csrfmiddlewaretoken") != hidden(html_two, "csrfmiddlewaretoken")
    assert hidden(html_one, "form_started") != hidden(html_two, "form_started")
    assert "pagecachefresh" not in html_two
    assert "csrftoken" in two.cookies
    assert "no-store" in two["Cache-Control"]


def test_an_enquiry_sent_from_a_cached_page_is_stored(page_cache_on):
    Client().get("/book/")  # someone else fills the cache
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/book/").content.decode()

    with mock.patch("clinic.spam.time.time", return_value=time.time() + 30):
        response = visitor.post(
            "/book/",
            {
                "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
                "form_started": hidden(html, "form_started"),
                "name": "Priya Example",
                "email": "priya@example.com",
                "phone": "0412 345 678",
                "contact_method": "phone",
                "patient_type": "new",
                "service": "running-assessment",
                "consent": "on",
            },
        )

    assert response.status_code == 302
    assert Enquiry.objects.get().status == Enquiry.Status.NEW


def test_a_post_straight_after_the_cached_page_is_still_too_fast(page_cache_on):
    # The page was stored a minute ago; a timestamp kept from then would let a bot through.
    with mock.patch("clinic.spam.time.time", return_value=time.time() - 60):
        Client().get("/stories/share/")
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/stories/share/").content.decode()

    visitor.post(
        "/stories/share/",
        {
            "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
            "form_started": hidden(html, "form_started"),
            "name": "Quick Bot",
            "text": "Friendly staff and easy parking.",
            "consent": "on",
        },
    )

    story = Story.objects.get(author_name="Quick Bot")
    assert story.is_spam
    assert story.spam_reason == "too_fast"
