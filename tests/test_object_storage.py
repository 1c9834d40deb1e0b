"""Uploads in an S3-compatible object store (clinic/object_storage.py), against moto's S3 server."""

import io
import re
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from clinic.models import Practitioner
from clinic.object_storage import PUBLIC_CACHE_CONTROL, public_read_policy, s3_storages
from tests import blog_helpers
from tests.admin_pages import form_data
from tests.test_settings import run_manage

BUCKET = "clinic-media"
REGION = "ap-southeast-2"
KEYS = {"access_key": "test-key", "secret_key": "test-secret"}


@pytest.fixture
def bucket(settings):
    """A bucket on a local moto server, and the site's uploads pointed at it: (client, endpoint)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    client.put_bucket_policy(Bucket=BUCKET, Policy=public_read_policy(BUCKET))
    object_storages, _origin = s3_storages(
        bucket=BUCKET, endpoint_url=endpoint, region=REGION, **KEYS
    )
    settings.STORAGES = {**settings.STORAGES, "default": object_storages["default"]}
    yield client, endpoint
    # moto keeps its buckets per process, not per server: empty them for the next test.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    server.stop()


def test_a_photo_uploaded_in_the_admin_is_stored_in_the_bucket_and_linked_from_it(
    demo, admin_client, bucket
):
    client, endpoint = bucket
    practitioner = Practitioner.objects.order_by("pk").first()
    url = f"/admin/clinic/practitioner/{practitioner.pk}/change/"
    photo = blog_helpers.image_bytes(300, 300)
    data = form_data(admin_client.get(url).text, "practitioner_form")
    data["photo"] = SimpleUploadedFile("new-photo.png", photo, content_type="image/png")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content[:3000]
    practitioner.refresh_from_db()
    key = f"media/{practitioner.photo.name}"
    stored = client.get_object(Bucket=BUCKET, Key=key)
    assert Image.open(io.BytesIO(stored["Body"].read())).size == (300, 300)
    assert stored["CacheControl"] == PUBLIC_CACHE_CONTROL
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert key in keys and all(key.startswith("media/") for key in keys)
    # The public page links the objects themselves, unsigned, and the store serves them.
    page = admin_client.get(practitioner.get_absolute_url()).text
    links = re.findall(rf"{re.escape(endpoint)}/{BUCKET}/media/practitioners/[^\"\s,]+", page)
    assert links and not any("Signature" in link for link in links)
    for link in set(links):
        with urllib.request.urlopen(link, timeout=10) as served:
            assert Image.open(io.BytesIO(served.read())).width > 0


def test_the_bucket_policy_lets_anyone_read_public_uploads_and_nothing_else(bucket):
    client, endpoint = bucket
    for key in ("media/blog/hero.webp", "private/originals/hero.png"):
        client.put_object(Bucket=BUCKET, Key=key, Body=b"image")

    with urllib.request.urlopen(f"{endpoint}/{BUCKET}/media/blog/hero.webp", timeout=10) as served:
        assert served.read() == b"image"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{BUCKET}/private/originals/hero.png", timeout=10)
    assert refused.value.code == 403


def test_a_cdn_media_url_links_uploads_through_the_cdn(settings):
    object_storages, origin = s3_storages(
        bucket=BUCKET, region=REGION, media_url="https://media.example.com/", **KEYS
    )
    settings.STORAGES = {**settings.STORAGES, "default": object_storages["default"]}
    from django.core.files.storage import default_storage

    assert default_storage.url("practitioners/a.webp") == (
        "https://media.example.com/media/practitioners/a.webp"
    )
    assert origin == "https://media.example.com"


def test_private_uploads_get_signed_short_lived_urls_under_their_own_prefix():
    object_storages, _origin = s3_storages(bucket=BUCKET, region=REGION, **KEYS)
    private = object_storages["private"]["OPTIONS"]
    assert private["location"] != object_storages["default"]["OPTIONS"]["location"]
    assert private["querystring_auth"] is True and private["querystring_expire"] <= 3600


S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_S3_REGION_NAME": REGION,
}
SHOW_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.STORAGES['default']['BACKEND'], settings.SERVE_MEDIA, "
    "settings.SECURE_CSP['img-src'])"
)


def test_settings_choose_the_bucket_when_one_is_named(tmp_path):
    result = run_manage("shell", "-c", SHOW_SETTINGS, env=S3_ENV, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "storages.backends.s3.S3Storage False" in result.stdout
    assert "http://127.0.0.1:9000" in result.stdout


def test_settings_keep_local_files_without_a_bucket(tmp_path):
    result = run_manage("shell", "-c", SHOW_SETTINGS, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "django.core.files.storage.FileSystemStorage True" in result.stdout


def test_a_media_url_that_is_not_a_url_is_refused_naming_it(tmp_path):
    env = {**S3_ENV, "MEDIA_URL": "media.example.com"}

    result = run_manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "MEDIA_URL must be an http(s) URL" in result.stderr
