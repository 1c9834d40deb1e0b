"""Running the importers on the export files in tests/fixtures/import (plain functions)."""

import io
from pathlib import Path

from django.core.management import call_command

from blog.models import Post
from clinic.models import ImportedItem, Redirect
from testimonials.models import Decision, Testimonial
from tests.blog_helpers import image_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def export_file(name, tmp_path, image_server=None):
    """A copy of a fixture with {image_server} replaced by the local image server's address."""
    content = (FIXTURES / name).read_bytes()
    if image_server is not None:
        content = content.replace(b"{image_server}", image_server.url.encode())
        for image in ("hero.png", "foam-roller.png", "ice.png"):
            (image_server.folder / image).write_bytes(image_bytes(1200, 800))
    copy = tmp_path / name
    copy.write_bytes(content)
    return copy


def run(command, *args, **options):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def snapshot():
    """Everything an import writes, to show a second run changes nothing."""
    return (
        list(Post.objects.order_by("pk").values()),
        list(Post.topics.through.objects.order_by("pk").values()),
        list(Redirect.objects.order_by("pk").values()),
        list(Testimonial.objects.order_by("pk").values()),
        list(Decision.objects.order_by("pk").values()),
        list(ImportedItem.objects.order_by("pk").values("source", "item_id", "digest")),
    )
