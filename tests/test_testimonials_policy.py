"""The publication rule on the public pages: the stories page and the home page's section."""

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from testimonials.models import Classification, Source, Status
from testimonials.models import Testimonial as Story
from tests.testimonials_support import (
    CLINICAL_TEXT,
    SERVICE_TEXT,
    assert_no_inline_code,
    make_story,
)

STORIES = reverse("testimonials:story_list")
HOME = reverse("clinic:home")
PUBLIC_PAGES = [STORIES, HOME]


@pytest.fixture
def clinical(clinic):
    return make_story(
        display_name="Lyle T.",
        text=CLINICAL_TEXT,
        classification=Classification.CLINICAL,
        is_featured=True,
    )


@pytest.fixture
def service(clinic):
    return make_story(display_name="Ralph", text=SERVICE_TEXT, is_featured=True)


def shown(client, story):
    """On which public pages the story's text appears."""
    return [url for url in PUBLIC_PAGES if story.text in client.get(url).content.decode()]


def test_ahpra_is_the_default_policy(settings):
    assert settings.TESTIMONIALS_POLICY == "ahpra"


def test_under_ahpra_an_approved_clinical_story_never_appears(client, clinical, service):
    assert clinical.status == Status.APPROVED and clinical.consent_to_publish

    assert shown(client, clinical) == []
    assert shown(client, service) == PUBLIC_PAGES
    assert "90%" not in client.get(STORIES).content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.WITHDRAWN},
        {"status": Status.PENDING},
        {"status": Status.REJECTED},
        {"consent_to_publish": False, "consent_date": None},
        {"is_spam": True},
    ],
    ids=["withdrawn", "pending", "rejected", "unconsented", "spam"],
)
@pytest.mark.parametrize("policy", ["ahpra", "standard"])
def test_unpublishable_stories_never_appear(client, settings, clinic, fields, policy):
    settings.TESTIMONIALS_POLICY = policy
    story = make_story(text=SERVICE_TEXT, is_featured=True, **fields)

    assert shown(client, story) == []


@pytest.mark.parametrize("classification", [Classification.UNCLASSIFIED, Classification.CLINICAL])
def test_under_ahpra_only_non_clinical_stories_appear(client, clinic, classification):
    story = make_story(text=SERVICE_TEXT, is_featured=True, classification=classification)

    assert shown(client, story) == []


def test_withdrawing_a_published_story_takes_it_off_the_site(client, service):
    assert shown(client, service) == PUBLIC_PAGES

    service.status = Status.WITHDRAWN
    service.save()

    assert shown(client, service) == []


def test_under_standard_the_clinical_approved_story_appears(client, settings, clinical, service):
    settings.TESTIMONIALS_POLICY = "standard"

    assert shown(client, clinical) == PUBLIC_PAGES
    assert shown(client, service) == PUBLIC_PAGES


def test_publishable_is_a_queryset_method_following_the_setting(settings, clinical, service):
    assert list(Story.objects.publishable()) == [service]

    settings.TESTIMONIALS_POLICY = "standard"

    assert set(Story.objects.publishable()) == {clinical, service}


def test_an_unknown_policy_fails_the_system_check(db, settings):
    settings.TESTIMONIALS_POLICY = "lenient"

    with pytest.raises(SystemCheckError, match="testimonials.E001.*TESTIMONIALS_POLICY"):
        call_command("check")


def test_an_unknown_policy_never_shows_a_clinical_story(settings, clinical, service):
    settings.TESTIMONIALS_POLICY = "lenient"

    assert list(Story.objects.publishable()) == [service]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TESTIMONIALS_POLICY", "lenient"), ("TESTIMONIALS_RATE_LIMIT", "lots")],
)
def test_the_site_refuses_to_start_with_a_bad_setting(variable, value, tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, variable: value, "DJANGO_SETTINGS_MODULE": "clinic.settings"}
    env["DATA_DIR"] = str(tmp_path)  # a folder of its own: var/ may not exist
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "SystemCheckError" in result.stderr
    assert variable in result.stderr


def test_the_policy_is_read_from_the_environment():
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "TESTIMONIALS_POLICY": "Standard",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }
    code = "from django.conf import settings; print(settings.TESTIMONIALS_POLICY)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "standard"


def test_each_story_shows_name_source_and_date(client, clinic):
    make_story(
        display_name="Gordon H.",
        source=Source.GOOGLE,
        source_url="https://maps.example.com/review/1",
        received_on=date(2026, 2, 17),
    )

    response = client.get(STORIES)

    assertContains(response, "Gordon H.")
    assertContains(
        response,
        '<a href="https://maps.example.com/review/1" rel="nofollow noopener">Google review</a>',
        html=True,
    )
    assertContains(response, '<time datetime="2026-02-17">17 February 2026</time>', html=True)


def test_html_in_a_story_is_shown_as_text(client, clinic):
    make_story(
        text='Lovely staff <script>alert("x")</script> <b>bold</b> <a href="https://spam.example">x</a>',
        is_featured=True,
    )

    for url in PUBLIC_PAGES:
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "&lt;b&gt;bold&lt;/b&gt;" in html
        assert '<a href="https://spam.example">' not in html
        assert_no_inline_code(html)


def test_no_review_stars_in_structured_data(client, clinic):
    make_story(rating=5, is_featured=True)

    for url in PUBLIC_PAGES:
        html = client.get(url).content.decode()
        assert "AggregateRating" not in html
        assert "ratingValue" not in html
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert '"Review"' not in json.dumps(json.loads(block))


def test_stories_page_sets_no_cookie_and_links_to_the_form(client, service):
    response = client.get(STORIES)

    assert response.status_code == 200
    assert response.cookies == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "<form" not in response.content.decode()
    assert reverse("testimonials:story_share") in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_the_page_explains_the_rule_under_ahpra_only(client, settings, service):
    assert "only what patients say about our service" in client.get(STORIES).content.decode()

    settings.TESTIMONIALS_POLICY = "standard"

    assert "only what patients say about our service" not in client.get(STORIES).content.decode()


def test_featured_stories_only_on_the_home_page(client, clinic):
    featured = make_story(text="Welcoming and punctual, every single time.", is_featured=True)
    plain = make_story(text="Parking was easy and the rooms are spotless.")

    home = client.get(HOME).content.decode()
    stories = client.get(STORIES).content.decode()

    assert featured.text in home and plain.text not in home
    assert featured.text in stories and plain.text in stories


def published_stories(count):
    now = timezone.now()
    Story.objects.bulk_create(
        Story(
            author_name=f"Patient {number}",
            display_name=f"Patient {number}",
            text=f"Story number {number}: a warm welcome and clear explanations.",
            normalised_hash=f"{number:064d}",
            received_on=date(2026, 1, 1) - timedelta(days=number),
            consent_to_publish=True,
            consent_date=date(2026, 1, 1),
            status=Status.APPROVED,
            classification=Classification.NON_CLINICAL,
            is_featured=True,
            published_at=now,
        )
        for number in range(count)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_query_count_is_constant_in_the_number_of_stories(client, clinic, url):
    published_stories(1)
    few = count_queries(client, url)
    published_stories(199)
    many = count_queries(client, url)

    assert few == many
    assert many <= 8


def test_stories_are_paginated_and_bad_pages_are_not_found(client, clinic):
    published_stories(25)

    first = client.get(STORIES).content.decode()
    second = client.get(STORIES, {"page": 2}).content.decode()

    assert first.count('class="card story"') == 10
    assert "Page 1 of 3" in first and 'href="?page=2" rel="next"' in first
    assert "Page 2 of 3" in second
    assert f'<link rel="canonical" href="http://testserver{STORIES}?page=2">' in second
    for page in ["0", "4", "abc", "-1", "9" * 30]:
        assert client.get(STORIES, {"page": page}).status_code == 404
    assert client.get(STORIES, {"page": "last"}).status_code == 200


def test_empty_stories_page_invites_a_story(client, clinic):
    html = client.get(STORIES).content.decode()

    assert "No stories are published yet" in html
