"""History and restore in the admin (django-reversion): every admin save is a version, any two
versions can be compared as text, and a restore goes through the form and the model's save."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from reversion.models import Version

from blog.models import Post
from clinic.models import Clinic
from tests import blog_helpers as h


def post_form(**overrides):
    return h.post_form_data(
        **{
            "title": "Warming up before a run",
            "slug": "warming-up",
            "summary": "Five minutes that make the rest of the run easier on your legs.",
            "body": "<h2>Why</h2><p>Muscles work better warm.</p>",
        }
        | overrides
    )


def versions_of(obj):
    return list(Version.objects.get_for_object(obj))  # newest first


def test_each_admin_save_is_a_version_with_who_and_differences(editor_client):
    editor_client.post("/admin/blog/post/add/", post_form())
    post = Post.objects.get()
    editor_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        post_form(body="<h2>Why</h2><p>Muscles and tendons work better warm.</p>"),
    )
    editor_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        post_form(title="Warm up first", body="<h2>Why</h2><p>Warm muscles work better.</p>"),
    )

    newest, middle, first = versions_of(post)
    history = editor_client.get(f"/admin/blog/post/{post.pk}/history/").text
    assert history.count("Restore this version") == 3
    assert history.count("<td>ed</td>") == 3
    compare = editor_client.get(
        f"/admin/blog/post/{post.pk}/history/compare/",
        {"older": first.pk, "newer": newest.pk},
    ).text
    assert "<h2" in compare and ">Title</h2>" in compare
    assert '<del><span class="diff-mark">− </span>Warming up before a run</del>' in compare
    assert '<ins><span class="diff-mark">+ </span>Warm up first</ins>' in compare
    assert '<ins><span class="diff-mark">+ </span>Warm muscles work better.</ins>' in compare
    assert ">Summary</h2>" not in compare  # unchanged fields are left out


def test_restoring_a_version_saves_it_through_the_form_as_a_new_version(editor_client):
    editor_client.post("/admin/blog/post/add/", post_form())
    post = Post.objects.get()
    editor_client.post(f"/admin/blog/post/{post.pk}/change/", post_form(title="Second title"))
    first = versions_of(post)[-1]

    form_page = editor_client.get(f"/admin/blog/post/{post.pk}/history/{first.pk}/")
    assert 'value="Warming up before a run"' in form_page.text
    assert Post.objects.get().title == "Second title"  # showing the form changed nothing
    editor_client.post(f"/admin/blog/post/{post.pk}/history/{first.pk}/", post_form())

    post.refresh_from_db()
    assert post.title == "Warming up before a run"
    assert len(versions_of(post)) == 3
    assert "Reverted to previous version" in versions_of(post)[0].revision.get_comment()


def test_a_restored_body_is_sanitised_again(editor_client):
    editor_client.post("/admin/blog/post/add/", post_form())
    post = Post.objects.get()
    version = versions_of(post)[0]
    # A version kept from before a sanitiser rule existed.
    data = json.loads(version.serialized_data)
    data[0]["fields"]["body"] = '<p onclick="steal()">Old text</p><script>steal()</script>'
    version.serialized_data = json.dumps(data)
    version.save()

    page = editor_client.get(f"/admin/blog/post/{post.pk}/history/{version.pk}/").text
    body = re.search(r'name="body"[^>]*>([^<]*)<', page)
    editor_client.post(
        f"/admin/blog/post/{post.pk}/history/{version.pk}/",
        post_form(
            body=body.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        ),
    )

    post.refresh_from_db()
    assert post.body == "<p>Old text</p>"
    assert "script" not in post.body_html


@pytest.mark.parametrize(
    "query", [{}, {"older": "x", "newer": "1"}, {"older": "999999", "newer": "1"}]
)
def test_comparing_unknown_versions_is_a_message_not_an_error(editor_client, query):
    editor_client.post("/admin/blog/post/add/", post_form())
    post = Post.objects.get()

    response = editor_client.get(f"/admin/blog/post/{post.pk}/history/compare/", query, follow=True)

    assert response.status_code == 200
    assert "Choose two versions" in response.text


def test_the_privacy_policy_has_a_history_and_can_be_restored(admin_client, clinic):
    url = f"/admin/clinic/clinic/{clinic.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    admin_client.post(url, data | {"privacy_policy": "First policy."})
    admin_client.post(url, data | {"privacy_policy": "Second policy."})
    first = versions_of(clinic)[-1]

    compare = admin_client.get(
        f"/admin/clinic/clinic/{clinic.pk}/history/compare/",
        {"older": first.pk, "newer": versions_of(clinic)[0].pk},
    ).text
    assert "First policy." in compare and "Second policy." in compare
    admin_client.post(
        f"/admin/clinic/clinic/{clinic.pk}/history/{first.pk}/",
        data | {"privacy_policy": "First policy."},
    )

    assert Clinic.objects.get().privacy_policy == "First policy."
    assert len(versions_of(clinic)) == 3


def test_services_and_practitioners_are_versioned(admin_client, service, practitioner):
    admin_client.post(
        f"/admin/clinic/service/{service.pk}/change/",
        {
            "name": service.name,
            "slug": service.slug,
            "summary": "Changed.",
            "order": "0",
            "is_active": "on",
            "description": "",
            "duration_minutes": "",
            "booking_url": "",
        },
    )
    admin_client.post(
        f"/admin/clinic/practitioner/{practitioner.pk}/change/",
        {
            "name": practitioner.name,
            "slug": practitioner.slug,
            "role": "Chiropractor",
            "bio": "Changed.",
            "order": "0",
            "is_active": "on",
            "registration_number": "",
            "qualifications": "",
            "photo_alt": "",
        },
    )

    assert [v.field_dict["summary"] for v in versions_of(service)] == ["Changed."]
    assert [v.field_dict["bio"] for v in versions_of(practitioner)] == ["Changed."]


def test_front_desk_cannot_open_an_articles_history(client, db, django_user_model):
    user = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(user)
    post = h.post("Private draft", status=Post.Status.DRAFT)

    assert client.get(f"/admin/blog/post/{post.pk}/history/").status_code == 403
    assert client.get(f"/admin/blog/post/{post.pk}/history/compare/").status_code == 403


def test_the_demo_article_with_its_image_saves_unchanged_as_a_version(admin_client, demo):
    from tests.testimonials_support import admin_form_data

    post = Post.objects.get()
    url = f"/admin/blog/post/{post.pk}/change/"

    response = admin_client.post(url, admin_form_data(admin_client.get(url)) | {"_save": "Save"})

    assert response.status_code == 302
    saved = Post.objects.get()
    assert saved.hero_image.name == post.hero_image.name
    assert saved.body == post.body
    assert len(versions_of(saved)) == 1


@pytest.mark.parametrize("value", ["9" * 40, "²", "-1", "1.5"])
def test_comparing_with_odd_ids_is_a_message_not_an_error(editor_client, value):
    editor_client.post("/admin/blog/post/add/", post_form())
    post = Post.objects.get()
    url = f"/admin/blog/post/{post.pk}/history/compare/"

    response = editor_client.get(url, {"older": value, "newer": value}, follow=True)

    assert response.status_code == 200
    assert "Choose two versions" in response.text
