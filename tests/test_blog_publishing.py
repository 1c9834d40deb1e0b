"""Publishing a post the advertising check flags: refused by the form, the bulk "publish"
action and scheduling unless a reason is recorded; the reason is logged with who and when."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.utils import timezone

from blog.models import Post, PublishDecision
from tests import blog_helpers as h

FLAGGED = "<p>Our adjustments cures asthma, guaranteed.</p>"


def form(**overrides):
    return h.post_form_data(
        **{
            "title": "Breathing and running",
            "slug": "breathing",
            "summary": "How to breathe on an easy run.",
            "body": FLAGGED,
        }
        | overrides
    )


def test_a_flagged_draft_saves_and_its_page_lists_the_flagged_words(editor_client):
    editor_client.post("/admin/blog/post/add/", form())
    post = Post.objects.get()

    page = editor_client.get(f"/admin/blog/post/{post.pk}/change/").text

    assert post.status == Post.Status.DRAFT
    assert post.advertising_terms == "cures, asthma, guaranteed"
    assert "<strong>cures</strong>: A claim to cure" in page
    assert "<strong>asthma</strong>: Asthma is outside the musculoskeletal scope" in page
    assert 'data-content-checks data-url="/admin/blog/post/checks/"' in page


@pytest.mark.parametrize(
    "when",
    [
        {"status": "published"},
        {"status": "published", "published_at_0": "2099-01-01", "published_at_1": "09:00"},
    ],
    ids=["now", "scheduled"],
)
def test_publishing_or_scheduling_a_flagged_post_needs_a_reason(editor_client, editor, when):
    response = editor_client.post("/admin/blog/post/add/", form(**when))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "The advertising check flagged: cures, asthma, guaranteed" in errors["publish_reason"][0]
    assert not Post.objects.exists()

    reason = "Quoting a study we disagree with, in context."
    response = editor_client.post("/admin/blog/post/add/", form(**when, publish_reason=reason))

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED
    decision = post.publish_decisions.get()
    assert (decision.decided_by, decision.reason, decision.flagged_terms) == (
        editor,
        reason,
        "cures, asthma, guaranteed",
    )
    assert decision.via == PublishDecision.Via.FORM
    change_page = editor_client.get(f"/admin/blog/post/{post.pk}/change/").text
    assert "Quoting a study we disagree with" in change_page


def test_saving_again_does_not_log_the_same_decision_twice(editor_client):
    reason = "Reviewed by the principal."
    editor_client.post("/admin/blog/post/add/", form(status="published", publish_reason=reason))
    post = Post.objects.get()
    editor_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        form(
            status="published",
            publish_reason=reason,
            published_at_0="2026-01-01",
            published_at_1="09:00",
        ),
    )

    assert post.publish_decisions.count() == 1


def test_the_bulk_publish_action_refuses_flagged_posts_without_a_reason(editor_client, editor):
    flagged = h.post("Flagged", body=FLAGGED, status=Post.Status.DRAFT, days_ago=0)
    clean = h.post("Clean", status=Post.Status.DRAFT, days_ago=0)

    response = editor_client.post(
        "/admin/blog/post/",
        {"action": "publish", "_selected_action": [flagged.pk, clean.pk]},
        follow=True,
    )

    text = response.text
    assert "Not published: “Flagged”. The advertising check flagged: cures" in text
    assert "1 post(s) published." in text
    assert Post.objects.get(pk=flagged.pk).status == Post.Status.DRAFT
    assert Post.objects.get(pk=clean.pk).is_public

    Post.objects.filter(pk=flagged.pk).update(publish_reason="Approved by the owner.")
    editor_client.post("/admin/blog/post/", {"action": "publish", "_selected_action": [flagged.pk]})

    flagged.refresh_from_db()
    assert flagged.is_public
    decision = flagged.publish_decisions.get()
    assert (decision.via, decision.decided_by) == (PublishDecision.Via.BULK, editor)


def test_a_bulk_published_post_appears_on_cached_pages_at_once(
    editor_client, client, page_cache_on, django_capture_on_commit_callbacks
):
    from django.test import Client

    visitor = Client()
    post = h.post("Fresh news", status=Post.Status.DRAFT, days_ago=0)
    assert "Fresh news" not in visitor.get("/blog/").text  # now stored

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/blog/post/", {"action": "publish", "_selected_action": [post.pk]}
        )

    assert "Fresh news" in visitor.get("/blog/").text


def test_the_database_refuses_a_flagged_published_post_without_a_reason(db):
    with pytest.raises(IntegrityError):
        h.post("Sneaky", body=FLAGGED, published_at=timezone.now() - timedelta(days=1))


def test_the_checks_endpoint_answers_the_checklist_for_the_text_as_typed(editor_client):
    response = editor_client.post(
        "/admin/blog/post/checks/",
        {"title": "Cures", "summary": "", "body": "<p>Best chiropractor in town</p>"},
    )

    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Cures</strong>" in html and "<strong>Best chiropractor</strong>" in html
    assert response.json()["flagged"] is True


def test_the_checks_endpoint_is_for_editors_only(client, db, django_user_model):
    assert client.post("/admin/blog/post/checks/", {"title": "x"}).status_code == 302  # login
    desk = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    desk.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(desk)
    assert client.post("/admin/blog/post/checks/", {"title": "x"}).status_code == 403
    assert client.get("/admin/blog/post/checks/").status_code in {403, 405}


@pytest.mark.parametrize(
    "data",
    [
        {"object_id": "9" * 40, "title": "x"},
        {"object_id": "²", "body": "<p>" * 5000},
        {"object_id": "-1", "last_reviewed_0": "not a date", "reviewed_by": "x"},
        {},
    ],
)
def test_the_checks_endpoint_survives_any_input(editor_client, data):
    response = editor_client.post("/admin/blog/post/checks/", data)

    assert response.status_code == 200
    assert "Advertising rules" in response.json()["html"]


def test_the_bulk_actions_leave_a_version_in_each_posts_history(editor_client):
    from reversion.models import Version

    post = h.post("Clean", status=Post.Status.DRAFT, days_ago=0)

    editor_client.post("/admin/blog/post/", {"action": "publish", "_selected_action": [post.pk]})
    editor_client.post("/admin/blog/post/", {"action": "unpublish", "_selected_action": [post.pk]})

    versions = list(Version.objects.get_for_object(post))
    assert [v.field_dict["status"] for v in versions] == ["draft", "published"]
    assert "Unpublish" in versions[0].revision.get_comment()
    assert versions[0].revision.user.username == "ed"
