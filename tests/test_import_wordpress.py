"""manage.py import_wordpress on WordPress exports (WXR 1.2, tests/fixtures/import)."""

from pathlib import Path

import pytest
from django.core.management.base import CommandError

from blog.models import Post, Topic
from clinic.models import Redirect
from tests.import_support import export_file, run, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path, image_server):
    return export_file("wordpress.xml", tmp_path, image_server)


@pytest.fixture
def imported(export, practitioner):
    return run("import_wordpress", str(export), author="jason-lee")


def test_only_posts_are_imported_with_their_status(imported):
    assert set(Post.objects.values_list("title", "status")) == {
        ("Shin splints: what helps", "published"),
        ("Ice or heat?", "published"),
        ("Stretching myths", "draft"),
    }
    assert "Not imported (not posts): 1 attachment, 1 nav_menu_item, 1 page." in imported


def test_the_article_renders_with_its_date_headings_video_and_featured_image(imported, client):
    post = Post.objects.get(slug="shin-splints")
    page = client.get("/blog/shin-splints/").content.decode()

    assert '<h2 id="what-helps">What helps</h2>' in page
    assert "<li>Build up slowly</li>" in page
    assert 'data-video-id="aqz-KE-bpKQ"' in page
    assert "2 February 2026" in page
    assert post.summary == "Why shins hurt, and what to do about it."
    assert post.hero_image and post.hero_image_alt == "A foam roller under a runner's shin"
    assert post.author.name == "Jason Lee"  # the WordPress author's display name


def test_classic_content_gets_paragraphs_captions_and_the_bare_video_link(imported, client):
    post = Post.objects.get(slug="ice-or-heat")
    page = client.get("/blog/ice-or-heat/").content.decode()

    assert "<p>It depends on the injury.</p>" in post.body
    assert "<p>In the first two days, ice.<br>After that, heat can help.</p>" in post.body
    assert "An ice pack, wrapped in a towel" in post.body and "[caption" not in post.body
    assert 'data-video-id="M7lc1UVf-VE"' in page
    assert '<h3 id="when-to-see-us">When to see us</h3>' in page
    assert post.author.slug == "jason-lee"  # "Web Agency" is no practitioner: --author
    # No featured image: the first inline one (the editor holds none) becomes it, alt and all.
    assert post.hero_image and post.hero_image_alt == "An ice pack on a knee"
    assert "its first inline image became the main image" in imported


def test_nothing_executable_survives(imported):
    for post in Post.objects.all():
        for html in (post.body, post.body_html):
            assert "<script" not in html and "evil.example" not in html
            assert "javascript:" not in html and "onmouseover" not in html
            assert "<!--" not in html


def test_categories_become_topics_and_tags_do_not(imported):
    assert set(Topic.objects.values_list("name", flat=True)) == {"Running", "Injury care"}
    assert list(Post.objects.get(slug="shin-splints").topics.values_list("slug", flat=True)) == [
        "running"
    ]


def test_the_permalink_and_the_post_id_answer_301(imported, client):
    for old in ("/2026/02/shin-splints/", "/2026/02/shin-splints", "/?p=42"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/blog/shin-splints/"
    assert client.get("/?p=17")["Location"] == "/blog/ice-or-heat/"
    assert client.get("/?p=55").status_code == 200  # a draft: the home page, no redirect
    assert client.get("/blog/stretching-myths/").status_code == 404


def test_a_second_run_changes_nothing(imported, export):
    before = snapshot()

    output = run("import_wordpress", str(export), author="jason-lee")

    assert snapshot() == before
    assert "Posts: 0 created, 0 updated, 3 unchanged" in output
    assert "Redirects: 0 created, 0 updated, 4 unchanged" in output


def test_a_dry_run_changes_nothing(export, practitioner):
    output = run("import_wordpress", str(export), author="jason-lee", dry_run=True)

    assert "Posts: 3 created" in output and "Dry run: nothing was changed." in output
    assert not Post.objects.exists() and not Redirect.objects.exists()
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("wordpress-entities.xml", "refused, the file declares a DTD or entities"),
        ("wordpress-external-entity.xml", "refused, the file declares a DTD or entities"),
        ("wordpress-truncated.xml", "not well-formed XML"),
        ("webflow-posts.csv", "line 1, column 0: not well-formed XML"),
        ("plain-rss.xml", "not a WordPress export (no wp:wxr_version)"),
    ],
)
def test_a_broken_file_or_an_entity_attack_imports_nothing(
    fixture, message, tmp_path, practitioner
):
    path = export_file(fixture, tmp_path)

    with pytest.raises(CommandError, match="Nothing was imported") as error:
        run("import_wordpress", str(path), author="jason-lee")

    assert message in str(error.value) and fixture in str(error.value)
    assert not Post.objects.exists() and not Redirect.objects.exists()


def stored_files(settings):
    return sorted(str(path) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def test_an_author_who_is_no_practitioner_stops_the_import(export, practitioner, settings):
    before = stored_files(settings)

    with pytest.raises(CommandError) as error:
        run("import_wordpress", str(export))

    assert "“Web Agency” is not a practitioner here" in str(error.value)
    assert "post 17" in str(error.value)
    assert not Post.objects.exists()
    # The featured image of post 42, stored before post 17 stopped the import, is gone too.
    assert stored_files(settings) == before
