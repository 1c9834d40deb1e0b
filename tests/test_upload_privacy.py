"""What an uploaded image reveals: nothing but its pixels, whichever way it arrived.

A photo named after a patient, with the GPS position it was taken at, goes in through the admin (or
the shell, or was stored before this rule): every image URL on the public page and in its JSON-LD
is a re-encoded copy without metadata under a hashed name, and the original is not served.
"""

import io
import json
import re
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import ExifTags, Image, ImageCms

from blog.models import Post
from clinic.models import Practitioner
from tests.admin_pages import form_data

ARTICLE_SLUG = "what-runners-need-for-perfect-spine-alignment"
UPLOAD_NAME = "patient-jane-doe-knee.jpg"
METADATA_KEYS = {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg_with_gps(width=600, height=400):
    """A landscape JPEG tagged "rotate 90°" (so upright it is portrait), with GPS, a camera
    comment, XMP and an ICC profile."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    image.paste((20, 20, 200), (0, 0, width // 2, height // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Jane's phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (33.0, 52.0, 10.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (151.0, 12.0, 30.0)
    buffer = io.BytesIO()
    image.save(
        buffer,
        "JPEG",
        exif=exif,
        comment=b"Jane Doe, left knee",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Jane Doe</x:xmpmeta>',
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return buffer.getvalue()


def test_the_test_image_really_carries_what_must_be_removed():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"exif", "icc_profile", "comment", "xmp"} <= set(image.info)


def upload(name=UPLOAD_NAME, data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data or jpeg_with_gps(), content_type=content_type)


def submit_change_form(client, url, form_id, **changes):
    data = form_data(client.get(url).text, form_id) | {"_continue": "Save and continue editing"}
    return client.post(url, data | changes, follow=True)


def media_urls(html):
    """Every /media/ URL a page gives a visitor: img/source src and srcset, meta content, JSON-LD."""
    urls = re.findall(r'(?:src|content|href)="([^"]*/media/[^"]*)"', html)
    for srcset in re.findall(r'srcset="([^"]*)"', html):
        urls += [candidate.split()[0] for candidate in unescape(srcset).split(",")]
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        urls += re.findall(r'"(https?://[^"]*/media/[^"]*)"', json.dumps(json.loads(block)))
    return {re.sub(r"^https?://[^/]+", "", unescape(url)) for url in urls if "/media/" in url}


def assert_nothing_revealed(client, page_url, expect_portrait="/media/practitioners/"):
    """`expect_portrait`: the URL prefix of the images uploaded upright-by-EXIF (a practitioner
    page also shows the heroes of their articles, which are not)."""
    html = client.get(page_url).text
    urls = media_urls(html)
    assert len(urls) >= 4, urls
    for url in urls:
        assert "jane" not in url.lower() and "knee" not in url.lower(), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=31536000, immutable", url
        data = b"".join(response.streaming_content)
        assert b"Jane" not in data, url
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), url
            assert not METADATA_KEYS & set(image.info), (url, set(image.info))
            if expect_portrait and url.startswith(expect_portrait):
                assert image.height > image.width, url  # the EXIF orientation was applied
    assert client.get(f"/media/practitioners/{UPLOAD_NAME}").status_code == 404
    assert client.get(f"/media/blog/{UPLOAD_NAME}").status_code == 404
    return urls


def stored_names(media_root):
    return [path.relative_to(media_root).as_posix() for path in media_root.rglob("*.*")]


def test_a_practitioner_photo_uploaded_in_the_admin_reveals_nothing(
    demo, admin_client, media_root, django_capture_on_commit_callbacks
):
    practitioner = Practitioner.objects.get(slug="joey-lee")
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_change_form(
            admin_client,
            f"/admin/clinic/practitioner/{practitioner.pk}/change/",
            "practitioner_form",
            photo=upload(),
        )
    assert "was changed successfully" in response.text

    urls = assert_nothing_revealed(Client(), practitioner.get_absolute_url())
    practitioner.refresh_from_db()
    assert re.fullmatch(r"practitioners/[0-9a-f]{32}\.jpg", practitioner.photo.name)
    assert {f"/media/{name}" for _w, name in practitioner.photo_renditions["webp"]} <= urls
    assert f"/media/{practitioner.photo_renditions['jpeg'][-1][1]}" in urls  # JSON-LD, largest
    assert not [name for name in stored_names(media_root) if "jane" in name]
    # The team page and the article byline use the same renditions.
    assert_nothing_revealed(Client(), "/about/", expect_portrait=False)


def test_a_post_hero_uploaded_in_the_admin_reveals_nothing(
    demo, admin_client, media_root, django_capture_on_commit_callbacks
):
    post = Post.objects.get(slug=ARTICLE_SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_change_form(
            admin_client,
            f"/admin/blog/post/{post.pk}/change/",
            "post_form",
            hero_image=upload(data=jpeg_with_gps(1800, 1200)),
        )
    assert "was changed successfully" in response.text
    post.refresh_from_db()
    assert (post.hero_width, post.hero_height) == (1200, 1800)

    urls = assert_nothing_revealed(Client(), post.get_absolute_url(), expect_portrait=False)
    assert {f"/media/{name}" for _w, name in post.hero_renditions["webp"]} <= urls
    assert not [name for name in stored_names(media_root) if "jane" in name]


def test_an_image_saved_from_the_shell_is_cleaned_too(demo, media_root):
    practitioner = Practitioner.objects.get(slug="jason-lee")
    practitioner.photo.save(UPLOAD_NAME, ContentFile(jpeg_with_gps()))

    practitioner.refresh_from_db()
    assert re.fullmatch(r"practitioners/[0-9a-f]{32}\.jpg", practitioner.photo.name)
    assert [width for width, _ in practitioner.photo_renditions["jpeg"]] == [160, 320, 400]
    assert_nothing_revealed(Client(), practitioner.get_absolute_url())


def test_transparency_is_kept_in_the_stored_copy_and_flattened_on_white_in_jpeg(demo):
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    practitioner = Practitioner.objects.get(slug="jason-lee")
    practitioner.photo.save("logo.png", ContentFile(buffer.getvalue()))

    assert practitioner.photo.name.endswith(".png")
    with default_storage.open(practitioner.photo_renditions["jpeg"][0][1]) as jpeg:
        assert Image.open(jpeg).convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_images_stored_before_the_rule_are_reprocessed_once(
    demo, media_root, django_capture_on_commit_callbacks
):
    practitioner = Practitioner.objects.get(slug="joey-lee")
    old_name = default_storage.save(f"practitioners/{UPLOAD_NAME}", ContentFile(jpeg_with_gps()))
    Practitioner.objects.filter(pk=practitioner.pk).update(photo=old_name, photo_renditions={})
    Practitioner.objects.exclude(pk=practitioner.pk).update(photo="")
    Post.objects.update(hero_image="", hero_renditions={}, hero_width=None, hero_height=None)
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reprocess_images", stdout=output)

    assert "1 image(s) re-encoded" in output.getvalue()
    practitioner.refresh_from_db()
    assert re.fullmatch(r"practitioners/[0-9a-f]{32}\.jpg", practitioner.photo.name)
    assert not default_storage.exists(old_name)
    assert_nothing_revealed(Client(), practitioner.get_absolute_url())
    call_command("reprocess_images", stdout=output)
    assert "0 image(s) re-encoded" in output.getvalue()


def test_a_missing_file_is_named_and_the_others_are_still_reprocessed(demo, media_root):
    joey, jason = (
        Practitioner.objects.get(slug="joey-lee"),
        Practitioner.objects.get(slug="jason-lee"),
    )
    stored = default_storage.save(f"practitioners/{UPLOAD_NAME}", ContentFile(jpeg_with_gps()))
    Practitioner.objects.filter(pk=joey.pk).update(photo="practitioners/gone.jpg")
    Practitioner.objects.filter(pk=jason.pk).update(photo=stored, photo_renditions={})
    errors = io.StringIO()

    with pytest.raises(CommandError, match="could not be re-encoded"):
        call_command("reprocess_images", stdout=io.StringIO(), stderr=errors)

    assert "gone.jpg" in errors.getvalue()
    jason.refresh_from_db()
    assert re.fullmatch(r"practitioners/[0-9a-f]{32}\.jpg", jason.photo.name)


@pytest.mark.parametrize(
    ("name", "image_format", "content_type", "holds"),
    [
        ("photo.pdf", "JPEG", "application/pdf", "JPEG"),
        ("photo.ico", "JPEG", "image/x-icon", "JPEG"),
        ("photo.png", "GIF", "image/png", "GIF"),
        ("photo.jpg", "PNG", "image/jpeg", "PNG"),
    ],
)
def test_an_upload_named_as_another_format_is_refused(
    demo, admin_client, media_root, name, image_format, content_type, holds
):
    practitioner = Practitioner.objects.get(slug="joey-lee")
    before = (practitioner.photo.name, sorted(stored_names(media_root)))
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (10, 120, 60)).save(buffer, image_format)

    response = submit_change_form(
        admin_client,
        f"/admin/clinic/practitioner/{practitioner.pk}/change/",
        "practitioner_form",
        photo=upload(name, buffer.getvalue(), content_type),
    )

    assert response.status_code == 200 and "Please correct the error" in response.text
    assert f"named “{name}” but holds a {holds} image" in unescape(response.text)
    practitioner.refresh_from_db()
    assert (practitioner.photo.name, sorted(stored_names(media_root))) == before


def test_a_file_not_named_after_its_content_is_not_cached_for_long(media_root, client):
    name = default_storage.save("practitioners/old-upload.jpg", ContentFile(jpeg_with_gps()))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")
