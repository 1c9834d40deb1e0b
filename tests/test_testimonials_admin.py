"""Moderation in the admin: the queue, the rule on approval, locked text, decisions, duplicates."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from testimonials.models import Classification, Decision, Source, Status
from testimonials.models import Testimonial as Story
from tests.testimonials_support import (
    CLINICAL_TEXT,
    MODEL_BACKEND,
    SERVICE_TEXT,
    admin_form_data,
    make_story,
)

CHANGELIST = reverse("admin:testimonials_testimonial_changelist")
ADD = reverse("admin:testimonials_testimonial_add")
FLAGGED_SERVICE_TEXT = "Friendly team; Jason explained my treatment options clearly."


def change_url(story):
    return reverse("admin:testimonials_testimonial_change", args=[story.pk])


@pytest.fixture
def editor(staff_user):
    staff_user.groups.add(Group.objects.get(name="Editors"))
    return staff_user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor, backend=MODEL_BACKEND)
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def act(client, action, *stories, url=CHANGELIST):
    return client.post(
        url,
        {"action": action, "_selected_action": [story.pk for story in stories]},
        follow=True,
    )


def test_editors_group_can_view_and_change_stories(db):
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )

    assert {"view_testimonial", "change_testimonial", "view_decision"} <= codenames
    assert "delete_testimonial" not in codenames


def test_queue_lists_pending_first_with_screening_flags(editor_client):
    old = make_story(text="Spotless rooms and easy parking.")
    pending = make_story(text=CLINICAL_TEXT, status=Status.PENDING, classification="unclassified")

    response = editor_client.get(CHANGELIST)

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [pending, old]
    html = response.content.decode()
    assert "knee, pain, 90%, 10%" in html


@pytest.mark.parametrize(
    "query",
    [
        {"status__exact": "pending"},
        {"classification__exact": "clinical"},
        {"source__exact": "google"},
        {"practitioners__id__exact": "1"},
        {"is_flagged__exact": "1"},
        {"q": "knee"},
    ],
)
def test_filters_and_search(editor_client, practitioner, query):
    story = make_story(text=CLINICAL_TEXT, status=Status.PENDING, classification="clinical")
    story.practitioners.add(practitioner)
    make_story(text=SERVICE_TEXT, source=Source.EMAIL)
    query = {
        key: str(practitioner.pk) if key.startswith("practitioners") else value
        for key, value in query.items()
    }

    response = editor_client.get(CHANGELIST, query)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [story]


def test_bulk_approve_as_non_clinical_of_a_flagged_story_without_reason_is_refused(
    editor_client, editor
):
    flagged = make_story(
        text=FLAGGED_SERVICE_TEXT, status=Status.PENDING, classification="unclassified"
    )
    plain = make_story(text=SERVICE_TEXT, status=Status.PENDING, classification="unclassified")

    response = act(editor_client, "approve_non_clinical", flagged, plain)

    flagged.refresh_from_db()
    plain.refresh_from_db()
    assert flagged.status == Status.PENDING
    assert flagged.classification == Classification.UNCLASSIFIED
    assert plain.status == Status.APPROVED
    assert plain.classification == Classification.NON_CLINICAL
    shown = messages_of(response)
    assert any("Not changed" in m and "record why it is about service" in m for m in shown)
    assert "1 story approved as non-clinical." in shown
    decision = plain.decisions.get(action=Decision.Action.APPROVED)
    assert decision.decided_by == editor and decision.decided_at


def test_flagged_story_with_a_recorded_reason_can_be_approved_as_non_clinical(editor_client):
    flagged = make_story(
        text=FLAGGED_SERVICE_TEXT,
        status=Status.PENDING,
        classification="unclassified",
        classification_reason="It praises the explanation, not the treatment or a result.",
    )

    act(editor_client, "approve_non_clinical", flagged)

    flagged.refresh_from_db()
    assert flagged.status == Status.APPROVED
    assert flagged.classification == Classification.NON_CLINICAL


def test_change_form_refuses_non_clinical_for_a_flagged_story_without_reason(editor_client):
    story = make_story(text=CLINICAL_TEXT, status=Status.PENDING, classification="unclassified")
    data = admin_form_data(editor_client.get(change_url(story)))
    data.update(classification="non_clinical", status="approved", classification_reason="")

    response = editor_client.post(change_url(story), data)

    assert response.status_code == 200
    assert "record why this story is about service" in response.content.decode().lower()
    story.refresh_from_db()
    assert story.status == Status.PENDING


def test_change_form_records_who_classified_and_approved(editor_client, editor):
    story = make_story(
        text=FLAGGED_SERVICE_TEXT, status=Status.PENDING, classification="unclassified"
    )
    data = admin_form_data(editor_client.get(change_url(story)))
    data.update(
        classification="non_clinical",
        status="approved",
        classification_reason="About the explanations only; no result or symptom.",
    )

    response = editor_client.post(change_url(story), data)

    assert response.status_code == 302
    actions = {d.action: d for d in story.decisions.all()}
    assert actions[Decision.Action.CLASSIFIED].decided_by == editor
    assert "About the explanations" in actions[Decision.Action.CLASSIFIED].note
    assert actions[Decision.Action.APPROVED].decided_by == editor


def test_the_text_of_a_published_story_cannot_be_changed_through_the_admin(editor_client):
    story = make_story(text=SERVICE_TEXT)
    response = editor_client.get(change_url(story))
    assert "text" not in response.context["adminform"].form.fields
    assert SERVICE_TEXT in response.content.decode()
    data = admin_form_data(response)
    data["text"] = "Best clinic in Sydney, fixed my back in one visit!"

    editor_client.post(change_url(story), data)

    story.refresh_from_db()
    assert story.text == SERVICE_TEXT


def test_the_model_refuses_a_change_to_published_text(db):
    story = make_story(text=SERVICE_TEXT)
    story.text = "Rewritten to sound better."

    with pytest.raises(ValidationError, match="cannot be changed"):
        story.full_clean()
    with pytest.raises(ValidationError, match="cannot be changed"):
        story.save()
    story.refresh_from_db()
    assert story.text == SERVICE_TEXT


def test_pending_text_can_still_be_corrected(editor_client):
    story = make_story(text="Typo'd storyy", status=Status.PENDING, classification="unclassified")
    data = admin_form_data(editor_client.get(change_url(story)))
    data["text"] = "A fixed typo? No: a kind receptionist."

    assert editor_client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.text == "A fixed typo? No: a kind receptionist."


def test_withdraw_is_allowed_and_keeps_the_text(editor_client, editor):
    story = make_story(text=SERVICE_TEXT, is_featured=True)

    response = act(editor_client, "withdraw", story)

    story.refresh_from_db()
    assert story.status == Status.WITHDRAWN
    assert story.text == SERVICE_TEXT
    assert not story.is_featured
    assert "1 story withdrawn." in messages_of(response)
    assert story.decisions.get(action=Decision.Action.WITHDRAWN).decided_by == editor


def test_withdraw_from_the_change_form(editor_client):
    story = make_story(text=SERVICE_TEXT)

    response = editor_client.post(
        change_url(story),
        {"CHANGE_FORM-action": "withdraw", "_selected_action": [story.pk]},
        follow=True,
    )

    story.refresh_from_db()
    assert story.status == Status.WITHDRAWN
    assert "1 story withdrawn." in messages_of(response)


def test_a_withdrawn_story_cannot_be_approved_again(editor_client):
    story = make_story(text=SERVICE_TEXT, status=Status.WITHDRAWN)
    story.published_at = story.created_at
    story.save()

    response = act(editor_client, "approve_non_clinical", story)

    story.refresh_from_db()
    assert story.status == Status.WITHDRAWN
    assert any("stays withdrawn" in m for m in messages_of(response))


def test_withdrawing_an_unpublished_story_is_refused(editor_client):
    story = make_story(status=Status.PENDING, classification="unclassified")

    response = act(editor_client, "withdraw", story)

    story.refresh_from_db()
    assert story.status == Status.PENDING
    assert any("nothing to withdraw" in m for m in messages_of(response))


def test_reject_and_approve_as_clinical(editor_client):
    spam_like = make_story(
        text="Buy cheap watches", status=Status.PENDING, classification="unclassified"
    )
    clinical = make_story(text=CLINICAL_TEXT, status=Status.PENDING, classification="unclassified")

    act(editor_client, "reject", spam_like)
    act(editor_client, "approve_clinical", clinical)

    spam_like.refresh_from_db()
    clinical.refresh_from_db()
    assert spam_like.status == Status.REJECTED
    assert (clinical.status, clinical.classification) == (Status.APPROVED, Classification.CLINICAL)


def test_the_database_refuses_a_flagged_non_clinical_story_without_reason(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_story(text=CLINICAL_TEXT, classification=Classification.NON_CLINICAL)


def test_adding_a_duplicate_warns(admin_client):
    original = make_story(author_name="Sarah T.", text="Their personalised approach is great!")
    data = admin_form_data(admin_client.get(ADD))
    data.update(
        author_name="John Lee",
        text="their personalized approach is great",
        source="email",
        status="pending",
        classification="unclassified",
    )

    response = admin_client.post(ADD, data, follow=True)

    assert any("matches 1 other story" in m for m in messages_of(response))
    duplicate = Story.objects.get(author_name="John Lee")
    assert duplicate.normalised_hash == original.normalised_hash
    changelist = admin_client.get(CHANGELIST)
    row = {s.pk: s.has_duplicate for s in changelist.context["cl"].result_list}
    assert row == {original.pk: True, duplicate.pk: True}
    page = admin_client.get(change_url(original)).content.decode()
    assert "John L. (Pending)" in page  # first name and initial by default


def test_published_stories_cannot_be_deleted(admin_client):
    story = make_story()

    response = admin_client.post(
        reverse("admin:testimonials_testimonial_delete", args=[story.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Story.objects.filter(pk=story.pk).exists()


def test_changelist_query_count_does_not_grow_with_stories(
    admin_client, django_assert_max_num_queries
):
    for number in range(30):
        make_story(text=f"Story {number}: friendly and punctual.")

    with django_assert_max_num_queries(15):
        assert admin_client.get(CHANGELIST).status_code == 200
