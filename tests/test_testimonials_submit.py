"""The public "share your experience" form: pending stories, spam defences, bad input."""

import re

import pytest
from django.urls import reverse

from testimonials.models import Decision, Source, Status
from testimonials.models import Testimonial as Story
from tests.form_support import started
from tests.testimonials_support import assert_no_inline_code, share_data

SHARE = reverse("testimonials:story_share")
THANKS = reverse("testimonials:story_thanks")
STORIES = reverse("testimonials:story_list")


@pytest.fixture(autouse=True)
def _clinic(clinic):
    return clinic


def test_the_form_page_has_csrf_the_honeypot_and_no_inline_code(client):
    response = client.get(SHARE)
    html = response.content.decode()

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    assert re.search(r'<div[^>]*class="hp-field"[^>]*aria-hidden="true"', html)
    assert 'name="website"' in html and 'name="form_started"' in html
    assert 'name="consent"' in html
    assert_no_inline_code(html)


def test_a_submitted_story_is_pending_and_not_shown(moment, client, practitioner):
    response = client.post(
        SHARE, share_data(name="Sam Citizen", practitioner=str(practitioner.pk)), follow=True
    )

    assert response.redirect_chain == [(THANKS, 302)]
    assert "We will review it before it appears on the site" in response.content.decode()
    story = Story.objects.get()
    assert story.status == Status.PENDING
    assert story.source == Source.WEBSITE
    assert story.author_name == "Sam Citizen"
    assert story.display_name == "Sam C."
    assert story.consent_to_publish and story.consent_date == moment.sydney_date
    assert story.received_on == moment.sydney_date
    assert list(story.practitioners.all()) == [practitioner]
    assert story.decisions.get().action == Decision.Action.SUBMITTED
    for url in [STORIES, reverse("clinic:home")]:
        assert story.text not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "", "text": ""}, "text", "Please write a few words about your experience."),
        ({"text": "   "}, "text", "Please write a few words about your experience."),
        ({"consent": None}, "consent", "Please tick the box to let us publish your story."),
        ({"text": "x" * 10_000}, "text", "Please keep your story to 3000 characters or fewer"),
    ],
    ids=["empty", "blank", "no-consent", "10000-characters"],
)
def test_bad_input_gets_a_clear_message_and_keeps_the_text(client, changes, field, message):
    data = share_data(**changes)

    response = client.post(SHARE, data)

    assert response.status_code == 200
    assert Story.objects.count() == 0
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert field in response.context["form"].errors
    if data.get("text", "").strip():
        assert data["text"] in html  # what was typed is still in the form


def test_html_in_a_story_is_stored_as_given_and_shown_as_text(client):
    text = 'Kind staff <img src=x onerror="alert(1)"> & <b>punctual</b>'
    client.post(SHARE, share_data(text=text))

    story = Story.objects.get()
    assert story.text == text
    story.status = Status.APPROVED
    story.classification = "non_clinical"
    story.save()
    html = client.get(STORIES).content.decode()
    assert (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;punctual&lt;/b&gt;" in html
    )
    assert "<b>punctual</b>" not in html


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"form_started": "just now"}, "too_fast"),
        ({"form_started": "forged"}, "bad_timestamp"),
        ({"website": "x", "text": "", "consent": None}, "honeypot"),
    ],
    ids=["honeypot", "too-fast", "bad-timestamp", "honeypot-and-invalid"],
)
def test_spam_is_stored_rejected_never_dropped(client, changes, reason):
    if changes.get("form_started") == "just now":
        # Signed here, not at collection time: the form was sent the moment it was shown.
        changes = {**changes, "form_started": started(seconds_ago=0)}
    data = share_data(**changes)

    response = client.post(SHARE, data)

    assert response.status_code == 302 and response.url == THANKS
    story = Story.objects.get()
    assert story.status == Status.REJECTED
    assert story.is_spam and story.spam_reason == reason
    assert story.text == data.get("text", "")
    assert story.decisions.get().action == Decision.Action.SPAM
    if story.text:
        assert story.text not in client.get(STORIES).content.decode()


def test_the_rate_limit_keeps_the_text_and_stores_nothing_more(client, settings):
    settings.TESTIMONIALS_RATE_LIMIT = "2/3600"
    for number in range(2):
        assert client.post(SHARE, share_data(text=f"Story {number}: kind.")).status_code == 302

    response = client.post(SHARE, share_data(text="A third story, too soon."))

    assert response.status_code == 429
    html = response.content.decode()
    assert "please try again later" in html
    assert "A third story, too soon." in html
    assert Story.objects.count() == 2


def test_rate_limit_is_per_client(client, settings):
    settings.TESTIMONIALS_RATE_LIMIT = "1/3600"
    assert client.post(SHARE, share_data(), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(SHARE, share_data(), REMOTE_ADDR="10.0.0.2").status_code == 302
    assert client.post(SHARE, share_data(), REMOTE_ADDR="10.0.0.1").status_code == 429


def test_a_form_with_errors_does_not_use_up_the_limit(client, settings):
    settings.TESTIMONIALS_RATE_LIMIT = "1/3600"
    assert client.post(SHARE, share_data(consent=None)).status_code == 200

    assert client.post(SHARE, share_data()).status_code == 302


def test_rate_limit_can_be_turned_off(client, settings):
    settings.TESTIMONIALS_RATE_LIMIT = "0"
    for _ in range(5):
        assert client.post(SHARE, share_data()).status_code == 302
    assert Story.objects.count() == 5


def test_an_inactive_practitioner_cannot_be_chosen(client, practitioner):
    practitioner.is_active = False
    practitioner.save()

    response = client.post(SHARE, share_data(practitioner=str(practitioner.pk)))

    assert response.status_code == 200
    assert "practitioner" in response.context["form"].errors
    assert Story.objects.count() == 0


def test_the_form_explains_the_rule_under_ahpra_only(client, settings):
    assert "does not let us publish comments about" in client.get(SHARE).content.decode()

    settings.TESTIMONIALS_POLICY = "standard"

    assert "does not let us publish comments about" not in client.get(SHARE).content.decode()


def test_without_csrf_the_post_is_refused(clinic):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SHARE, share_data())

    assert response.status_code == 403
    assert Story.objects.count() == 0
