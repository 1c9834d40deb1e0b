"""Uploads in an S3-compatible object store (AWS S3, Cloudflare R2, MinIO) through django-storages.

settings.py calls `s3_storages()` when AWS_STORAGE_BUCKET_NAME is set (README "Running several
servers"). Public uploads (images the pages show) live under `media/` in the bucket and are linked
without signatures, so a CDN can cache them; the bucket policy makes only that prefix readable.
A "private" storage, where there is one, lives under `private/`: never public, its URLs signed and
short-lived.
"""

import json
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
PUBLIC_PREFIX = "media"
PRIVATE_PREFIX = "private"
# New uploads never replace a file in place (file_overwrite off), so a name's content does not
# change and browsers and a CDN may keep it for a year.
PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"
SIGNED_URL_SECONDS = 300


def s3_storages(*, bucket, endpoint_url="", region="", access_key="", secret_key="", media_url=""):
    """STORAGES entries {"default": ..., "private": ...} and the origin images are served from.

    `media_url` is the CDN's URL for the bucket's keys (e.g. "https://media.example.com/"); empty
    means straight from the store.
    """
    connection = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "file_overwrite": False,
        # No ACLs: most buckets have them switched off (R2 has none); the bucket policy decides.
        "default_acl": None,
    }
    public = {
        **connection,
        "location": PUBLIC_PREFIX,
        "querystring_auth": False,
        "object_parameters": {"CacheControl": PUBLIC_CACHE_CONTROL},
    }
    if media_url:
        parts = urlsplit(media_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
            raise ImproperlyConfigured(
                f"MEDIA_URL must be an http(s) URL such as https://media.example.com/, "
                f"not {media_url!r}."
            )
        public["custom_domain"] = (parts.netloc + parts.path).rstrip("/")
        public["url_protocol"] = f"{parts.scheme}:"
    private = {
        **connection,
        "location": PRIVATE_PREFIX,
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
    }
    storages = {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
        "private": {"BACKEND": S3_BACKEND, "OPTIONS": private},
    }
    return storages, media_origin(bucket, endpoint_url, region, media_url)


def media_origin(bucket, endpoint_url, region, media_url):
    """Where the pages' images come from, for the Content-Security-Policy's img-src."""
    for url in (media_url, endpoint_url):
        if url:
            parts = urlsplit(url)
            return f"{parts.scheme}://{parts.netloc}"
    return f"https://{bucket}.s3.{region or 'us-east-1'}.amazonaws.com"


def public_read_policy(bucket):
    """The bucket policy (JSON) that lets anyone read public uploads and nothing else."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicUploads",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/{PUBLIC_PREFIX}/*",
                }
            ],
        }
    )
