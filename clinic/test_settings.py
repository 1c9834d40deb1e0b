"""Fast settings for the test suite: everything else is clinic/settings.py unchanged."""

from clinic.settings import *  # noqa: F403
from clinic.settings import DATA_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic in tests: serve from the source folders, without the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "page_cache_version": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "page-cache-version",
    },
}
MEDIA_ROOT = DATA_DIR / "test-media"
# The page cache is off in tests: test transactions never commit, so its invalidation (on commit)
# would not run between a test's writes and reads. the page_cache_on fixture turns it on.
PAGE_CACHE_SECONDS = 0
