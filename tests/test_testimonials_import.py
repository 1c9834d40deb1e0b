"""The demo import of the seed page's reviews: one story per distinct text, idempotent."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from testimonials import demo, services
from testimonials.models import Classification, Decision, Source, Status
from testimonials.models import Testimonial as Story
from testimonials.screening import normalised_hash
from tests.testimonials_support import make_story

SHOULDER = "chronic shoulder pain"
SERVICE_ONLY = {"Ralph", "Gordon Holloway"}


def load():
    call_command("load_demo_content", stdout=open(os.devnull, "w"))


def snapshot():
    stories = list(Story.objects.order_by("pk").values())
    links = list(Story.practitioners.through.objects.order_by("pk").values())
    decisions = list(Decision.objects.order_by("pk").values())
    return stories, links, decisions


def test_every_distinct_seed_review_is_imported_once(demo):
    distinct = {normalised_hash(review.text) for review in demo_reviews()}

    assert len(demo_reviews()) == 22
    assert len(distinct) == 19
    assert Story.objects.count() == 19
    assert set(Story.objects.values_list("normalised_hash", flat=True)) == distinct


def demo_reviews():
    return demo.REVIEWS


def test_the_repeated_shoulder_review_exists_once(demo):
    repeated = Story.objects.filter(text__icontains=SHOULDER)

    assert repeated.count() == 1
    # The first on the page is kept: Sarah T., "personalised".
    assert repeated.get().display_name == "Sarah T."
    assert "personalised" in repeated.get().text


def test_running_the_import_twice_changes_nothing(demo):
    before = snapshot()

    load()

    assert snapshot() == before


def test_imported_stories_are_as_on_the_page(demo):
    for story in Story.objects.all():
        assert story.source == Source.GOOGLE
        assert story.display_name == story.author_name
        assert story.consent_to_publish and story.consent_date
        assert "Demo content" in story.consent_note
        assert story.status == Status.APPROVED
        assert story.classification != Classification.UNCLASSIFIED
        assert story.decisions.filter(action=Decision.Action.APPROVED).exists()
    names = set(Story.objects.values_list("display_name", flat=True))
    assert {"mike li", "N “Neens” A", "Country life “Dragon” In Sydney", "John"} <= names
    assert "John Lee" not in names


def test_most_are_clinical_and_only_service_stories_are_non_clinical(demo):
    non_clinical = Story.objects.filter(classification=Classification.NON_CLINICAL)

    assert set(non_clinical.values_list("display_name", flat=True)) == SERVICE_ONLY
    assert Story.objects.filter(classification=Classification.CLINICAL).count() == 17
    # The screening agrees with every classification made by hand.
    for story in Story.objects.all():
        assert story.screening().suggested_classification == story.classification


def test_practitioners_named_in_reviews_are_linked(demo):
    def linked(name):
        story = Story.objects.get(display_name=name)
        return set(story.practitioners.values_list("slug", flat=True))

    assert linked("N “Neens” A") == {"joey-lee"}
    assert linked("Oscar Marulanda") == {"jason-lee", "joey-lee"}
    assert linked("Lyle Tacadena") == {"jason-lee"}
    assert linked("Ralph") == set()


def test_public_pages_show_only_the_service_stories(client, demo):
    stories_page = client.get(reverse("testimonials:story_list")).content.decode()
    home = client.get(reverse("clinic:home")).content.decode()

    for story in Story.objects.all():
        expected = story.display_name in SERVICE_ONLY
        first_words = story.text[:40].replace("'", "&#x27;")
        assert (first_words in stories_page) is expected, story.display_name
        assert (first_words in home) is expected, story.display_name


def test_the_admin_shows_all_of_them(admin_client, demo):
    response = admin_client.get(reverse("admin:testimonials_testimonial_changelist"))

    assert response.status_code == 200
    assert "19 patient stories" in response.content.decode()


@pytest.mark.django_db
def test_import_skips_an_entry_matching_an_existing_story():
    make_story(text="Their personalised approach is lovely.")

    created, skipped = services.stories_import(
        [
            {"author_name": "A", "text": "their PERSONALIZED approach is lovely"},
            {"author_name": "B", "text": "A different story altogether."},
            {"author_name": "C", "text": "A different story, altogether!"},
        ],
        source=Source.EMAIL,
    )

    assert (created, skipped) == (1, 2)
    assert Story.objects.count() == 2
    assert Story.objects.get(author_name="B").status == Status.PENDING
