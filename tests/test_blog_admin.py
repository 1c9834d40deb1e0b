"""The blog's admin: the Editors group, the post editor page, uploads, list, actions, preview."""

import io
import re
import struct
import zlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from blog.models import Post
from tests import blog_helpers as h


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(user)
    return client


def form_data(**overrides):
    return h.post_form_data(
        **{
            "body": "<h2>Part one</h2><p>Text with <a href='https://example.com'>a link</a>.</p>",
        }
        | overrides
    )


def bomb_png(width=10_000, height=10_000):
    """A valid PNG header declaring 100 megapixels, with a tiny compressed all-zero body."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def form_errors(response):
    return response.context["adminform"].form.errors


def test_editors_group_can_manage_posts_and_clinic_pages_but_not_enquiries(db):
    editors = Group.objects.get(name="Editors")
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in editors.permissions.all()}

    assert {"blog.add_post", "blog.change_post", "blog.delete_post", "blog.view_post"} <= perms
    assert {"blog.add_topic", "blog.change_topic"} <= perms
    assert {"clinic.change_practitioner", "clinic.view_service", "clinic.change_clinic"} <= perms
    assert not any(perm.startswith("booking.") for perm in perms)
    assert not any(perm.startswith("auth.") for perm in perms)


def test_an_editor_can_write_a_post(editor_client, clinic):
    assert editor_client.get("/admin/blog/post/").status_code == 200
    response = editor_client.post("/admin/blog/post/add/", form_data())

    assert response.status_code == 302
    post = Post.objects.get(slug="new-article")
    assert post.status == "draft" and post.published_at is None
    assert '<h2 id="part-one">Part one</h2>' in post.body_html


def test_editor_page_loads_the_editor_under_a_strict_policy(admin_client, clinic):
    response = admin_client.get("/admin/blog/post/add/")

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)[1]
    assert "unsafe-inline" not in policy
    assert f'<script type="importmap" nonce="{nonce}">' in response.text
    assert "django_prose_editor/editor.js" in response.text
    assert "data-django-prose-editor-configurable" in response.text
    assert "prepopulated_fields" in response.text or "prepopulate" in response.text


def test_public_pages_keep_the_plain_policy_and_no_editor_assets(client, clinic):
    h.post("Plain")
    for url in ["/blog/", "/blog/plain/"]:
        response = client.get(url)
        assert "nonce-" not in response["Content-Security-Policy"]
        assert "prose_editor" not in response.text


def test_publishing_without_a_date_publishes_now(admin_client, clinic):
    admin_client.post("/admin/blog/post/add/", form_data(status="published"))

    post = Post.objects.get(slug="new-article")
    assert post.is_public
    assert admin_client.get(post.get_absolute_url()).status_code == 200


def test_image_without_description_is_refused(admin_client, clinic):
    upload = SimpleUploadedFile("hero.png", h.image_bytes(), content_type="image/png")

    response = admin_client.post("/admin/blog/post/add/", form_data(hero_image=upload))

    assert "hero_image_alt" in form_errors(response)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_hundred_megapixel_png_of_a_few_kilobytes_is_refused_clearly(admin_client, clinic):
    data = bomb_png()
    assert len(data) < 20_000
    upload = SimpleUploadedFile("small.png", data, content_type="image/png")

    response = admin_client.post(
        "/admin/blog/post/add/", form_data(hero_image=upload, hero_image_alt="A picture")
    )

    assert response.status_code == 200
    message = " ".join(form_errors(response)["hero_image"])
    assert "megapixels" in message and "40" in message
    assert not Post.objects.exists()


def test_malformed_and_oversized_uploads_are_form_errors(admin_client, clinic):
    not_an_image = SimpleUploadedFile("fake.png", b"<?php echo 1; ?>", content_type="image/png")
    response = admin_client.post(
        "/admin/blog/post/add/", form_data(hero_image=not_an_image, hero_image_alt="x")
    )
    assert form_errors(response)["hero_image"]

    truncated = SimpleUploadedFile("cut.png", h.image_bytes()[:60], content_type="image/png")
    response = admin_client.post(
        "/admin/blog/post/add/", form_data(hero_image=truncated, hero_image_alt="x")
    )
    assert form_errors(response)["hero_image"]

    # Cut after the header: it opens, but its pixels end halfway.
    whole = h.image_bytes(400, 300, "JPEG")
    cut_jpeg = SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2], content_type="image/jpeg")
    response = admin_client.post(
        "/admin/blog/post/add/", form_data(hero_image=cut_jpeg, hero_image_alt="x")
    )
    assert response.status_code == 200
    assert form_errors(response)["hero_image"]

    big = io.BytesIO(h.image_bytes(image_format="JPEG") + b"\0" * (5 * 1024 * 1024 + 1))
    oversized = SimpleUploadedFile("big.jpg", big.getvalue(), content_type="image/jpeg")
    response = admin_client.post(
        "/admin/blog/post/add/", form_data(hero_image=oversized, hero_image_alt="x")
    )
    assert "largest allowed" in " ".join(form_errors(response)["hero_image"])
    assert not Post.objects.exists()


def test_uploaded_image_gets_renditions_and_a_list_thumbnail(admin_client, clinic):
    upload = SimpleUploadedFile("hero.jpg", h.image_bytes(1000, 500, "JPEG"), "image/jpeg")

    admin_client.post(
        "/admin/blog/post/add/", form_data(hero_image=upload, hero_image_alt="A track")
    )

    post = Post.objects.get()
    assert (post.hero_width, post.hero_height) == (1000, 500)
    assert [width for width, _ in post.hero_renditions["webp"]] == [480, 800, 1000]
    assert [width for width, _ in post.hero_renditions["jpeg"]] == [480, 800, 1000]
    listing = admin_client.get("/admin/blog/post/").text
    assert re.search(
        r'<img src="/media/blog/renditions/[0-9a-f]{32}(_\w{7})?-480w(_\w{7})?\.jpg" alt="A track"',
        listing,
    )


def test_change_list_search_filters_and_dates(admin_client, clinic):
    h.post("Published one")
    h.post("Draft one", status=Post.Status.DRAFT, days_ago=0)

    h.post("Scheduled one", published_at=timezone.now() + timedelta(days=2))

    def listed(query):
        return admin_client.get("/admin/blog/post/", query).context["cl"].result_list

    assert [p.title for p in listed({"state": "scheduled"})] == ["Scheduled one"]
    assert [p.title for p in listed({"state": "draft"})] == ["Draft one"]
    assert [p.title for p in listed({"q": "Published"})] == ["Published one"]
    page = admin_client.get("/admin/blog/post/").text
    assert "Scheduled" in page and "Draft" in page


def test_bulk_publish_and_unpublish(admin_client, clinic):
    draft = h.post("Draft", status=Post.Status.DRAFT, days_ago=0)
    live = h.post("Live")

    admin_client.post("/admin/blog/post/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_public

    admin_client.post("/admin/blog/post/", {"action": "unpublish", "_selected_action": [live.pk]})
    live.refresh_from_db()
    assert live.status == "draft"


def test_change_page_offers_preview_and_view_on_site(admin_client, clinic):
    draft = h.post("Draft", status=Post.Status.DRAFT, days_ago=0)

    html = admin_client.get(f"/admin/blog/post/{draft.pk}/change/").text

    assert f'href="{draft.get_preview_url()}"' in html
    assert "View on site" in html
    assert admin_client.get(draft.get_preview_url()).status_code == 200


def test_editor_cannot_see_users_or_groups(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403


def test_editor_permission_set_is_limited_to_expected_apps(db):
    labels = set(
        Permission.objects.filter(group__name="Editors").values_list(
            "content_type__app_label", flat=True
        )
    )
    assert labels <= {"blog", "clinic", "testimonials"}
