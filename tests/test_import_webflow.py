"""manage.py import_webflow on Webflow CMS "Export CSV" files (tests/fixtures/import)."""

import pytest
from django.core.management.base import CommandError

from blog.models import Post
from clinic.models import Redirect
from testimonials.models import Status
from testimonials.models import Testimonial as Story
from tests.import_support import export_file, run, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts_csv(tmp_path, image_server):
    return export_file("webflow-posts.csv", tmp_path, image_server)


@pytest.fixture
def stories_csv(tmp_path):
    return export_file("webflow-stories.csv", tmp_path)


@pytest.fixture
def imported(posts_csv, stories_csv, practitioner):
    return run(
        "import_webflow",
        posts=str(posts_csv),
        stories=str(stories_csv),
        author="jason-lee",
    )


def test_the_article_renders_with_its_date_headings_and_video(imported, client):
    response = client.get("/blog/warming-up-half-marathon/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Warming up for a half marathon" in page
    assert '<h2 id="why-warm-up">Why warm up</h2>' in page
    assert '<h3 id="on-race-morning">On race morning</h3>' in page
    assert "<li>Easy jog</li>" in page
    assert 'data-video-id="dQw4w9WgXcQ"' in page and "youtube.com/embed" not in page
    assert "10 March 2026" in page  # Webflow's Published On, in Sydney time
    post = Post.objects.get(slug="warming-up-half-marathon")
    assert post.summary == "How to warm up before a half marathon."
    assert post.author.slug == "jason-lee"


def test_nothing_executable_survives(imported):
    for post in Post.objects.all():
        for html in (post.body, post.body_html):
            assert "<script" not in html and "stolen" not in html
            assert "onerror" not in html and "onclick" not in html
            assert "javascript:" not in html
            assert "<iframe" not in html and "<img" not in html
    assert "this trick" in Post.objects.get(slug="warming-up-half-marathon").body


def test_the_main_image_is_fetched_and_stored_as_an_upload(imported, client):
    post = Post.objects.get(slug="warming-up-half-marathon")

    assert post.hero_image and post.hero_image.name.startswith("blog/")
    assert post.hero_image_alt == post.title
    assert post.hero_renditions["webp"]
    assert client.get(post.hero_image.url).status_code == 200
    assert "Images: 1 created, 0 updated, 0 unchanged, 1 skipped" in imported


def test_an_image_that_cannot_be_fetched_is_reported_and_the_post_kept(imported):
    post = Post.objects.get(slug="desk-posture-for-runners")

    assert not post.hero_image
    assert post.is_public
    assert "missing.png could not be fetched" in imported
    # The editor holds no images: the inline one is reported with its alt text, its caption kept.
    assert "desk.jpg (alt “A runner at a standing desk”)" in imported
    assert "Stand up every hour." in post.body
    assert post.summary.startswith("Sitting well")


def test_drafts_and_archived_items_are_never_public(imported, client):
    draft = Post.objects.get(slug="hamstring-notes")
    archived = Post.objects.get(slug="christmas-hours-2025")

    assert draft.status == archived.status == Post.Status.DRAFT
    assert client.get("/blog/hamstring-notes/").status_code == 404
    assert client.get("/blog/christmas-hours-2025/").status_code == 404
    assert "Hamstring notes" not in client.get("/blog/").content.decode()
    assert not Redirect.objects.filter(old_path__in=["/post/hamstring-notes"]).exists()


def test_each_old_address_answers_301_to_the_article(imported, client):
    response = client.get("/post/warming-up-half-marathon")

    assert response.status_code == 301
    assert response["Location"] == "/blog/warming-up-half-marathon/"
    assert client.get("/post/desk-posture-for-runners/")["Location"] == (
        "/blog/desk-posture-for-runners/"
    )
    assert "Redirects: 2 created" in imported


def test_stories_arrive_pending_screened_and_duplicates_flagged(imported, admin_client):
    stories = Story.objects.order_by("received_on")

    assert stories.count() == 3
    assert {s.status for s in stories} == {Status.PENDING}
    assert not any(s.consent_to_publish for s in stories)
    assert stories.get(author_name="Tom Baker").is_flagged  # "chronic back pain … fixed"
    assert "the same text as another story" in imported
    copy = stories.get(author_name="P. Natarajan")
    page = admin_client.get(f"/admin/testimonials/testimonial/{copy.pk}/change/").content.decode()
    assert "Priya N. (Pending)" in page  # "Same text as", as for any duplicate


def test_a_second_run_changes_nothing(imported, posts_csv, stories_csv):
    before = snapshot()

    output = run(
        "import_webflow", posts=str(posts_csv), stories=str(stories_csv), author="jason-lee"
    )

    assert snapshot() == before
    assert "Posts: 0 created, 0 updated, 4 unchanged" in output
    assert "Stories: 0 created, 0 updated, 3 unchanged" in output


def test_a_changed_item_is_updated_in_place(imported, posts_csv, stories_csv):
    posts_csv.write_text(posts_csv.read_text().replace("Desk posture for runners", "Desk posture"))

    output = run(
        "import_webflow", posts=str(posts_csv), stories=str(stories_csv), author="jason-lee"
    )

    assert "Posts: 0 created, 1 updated, 3 unchanged" in output
    assert Post.objects.filter(title="Desk posture").count() == 1
    assert Post.objects.count() == 4


def test_a_dry_run_changes_nothing(posts_csv, stories_csv, practitioner):
    output = run(
        "import_webflow",
        posts=str(posts_csv),
        stories=str(stories_csv),
        author="jason-lee",
        dry_run=True,
    )

    assert "Posts: 4 created" in output and "Dry run: nothing was changed." in output
    assert (
        "created: post “Warming up for a half marathon” at /blog/warming-up-half-marathon/ "
        "(published)" in output
    )
    assert "created: post “Hamstring notes (draft)” at /blog/hamstring-notes/ (draft)" in output
    assert not Post.objects.exists() and not Story.objects.exists()
    assert not Redirect.objects.exists()


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("webflow-missing-column.csv", "no column 'Post Body'"),
        ("webflow-broken-row.csv", "webflow-broken-row.csv, line 3"),
        ("webflow-broken-date.csv", "webflow-broken-date.csv, line 3: 'the tenth of March'"),
        ("webflow-latin1.csv", "webflow-latin1.csv: not UTF-8 text"),
        ("wordpress.xml", "no column 'Item ID', 'Name', 'Slug'"),
    ],
)
def test_a_broken_file_imports_nothing(fixture, message, tmp_path, image_server, practitioner):
    path = export_file(fixture, tmp_path, image_server)

    with pytest.raises(CommandError, match="Nothing was imported") as error:
        run("import_webflow", posts=str(path), author="jason-lee")

    assert message in str(error.value)
    assert not Post.objects.exists() and not Redirect.objects.exists()


def test_columns_are_mapped_with_field_and_a_custom_old_prefix(tmp_path, practitioner):
    path = tmp_path / "articles.csv"
    path.write_text(
        "Name,Slug,Item ID,Archived,Draft,Created On,Published On,Content,Teaser\n"
        "Knee care,knee-care,i1,false,false,2026-01-02T00:00:00.000Z,2026-01-03T00:00:00.000Z,"
        "<p>Look after your knees.</p>,About knees.\n",
        encoding="utf-8",
    )

    run(
        "import_webflow",
        posts=str(path),
        field=["body=Content", "summary=Teaser"],
        old_prefix="articles",
        author="jason-lee",
    )

    post = Post.objects.get(slug="knee-care")
    assert post.summary == "About knees." and "Look after your knees." in post.body


def test_bad_options_get_a_clear_message(posts_csv, practitioner):
    with pytest.raises(CommandError, match="--field 'bodyContent'"):
        run("import_webflow", posts=str(posts_csv), field=["bodyContent"])
    with pytest.raises(CommandError, match="--author nobody: no such practitioner"):
        run("import_webflow", posts=str(posts_csv), author="nobody")
    with pytest.raises(CommandError, match="not a practitioner here"):
        run("import_webflow", posts=str(posts_csv))
    with pytest.raises(CommandError, match="cannot be read"):
        run("import_webflow", posts="/no/such/file.csv", author="jason-lee")


def test_a_new_main_image_on_the_old_site_replaces_the_imported_one(
    imported, posts_csv, image_server
):
    first = Post.objects.get(slug="warming-up-half-marathon").hero_image.name
    (image_server.folder / "hero-2026.png").write_bytes(
        (image_server.folder / "hero.png").read_bytes()
    )
    posts_csv.write_text(posts_csv.read_text().replace("/hero.png", "/hero-2026.png"))

    output = run("import_webflow", posts=str(posts_csv), author="jason-lee")

    assert "Images: 0 created, 1 updated" in output
    post = Post.objects.get(slug="warming-up-half-marathon")
    assert post.hero_image.name != first and post.hero_renditions["jpeg"]
