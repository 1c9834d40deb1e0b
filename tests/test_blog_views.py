"""The blog's public pages through HTTP: list, topics, detail, preview, bad input, query counts."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post
from tests import blog_helpers as h
from tests import crawl

SEED_SLUG = "what-runners-need-for-perfect-spine-alignment"
SEED_HEADINGS = [
    "Understanding Spine Alignment Fundamentals for Runners",
    "Core Stability and Its Role in Spinal Health",
    "Proper Running Form to Maintain Spinal Alignment",
    "Common Spinal Misalignment Issues in Weekend Athletes",
    "Chiropractic Techniques for Marathon Runner Spine Care",
    "Essential Exercises for Optimal Spinal Positioning While Running",
    "Conclusion",
]
MAX_QUERIES = 8


def titles(response):
    return [post.title for post in response.context["posts"]]


def jsonld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.fixture
def seed(demo):
    return Post.objects.get(slug=SEED_SLUG)


def test_list_shows_published_posts_newest_first_and_hides_drafts_and_future(client, clinic):
    h.post("Older", days_ago=3)
    h.post("Newer", days_ago=1)
    h.post("Draft", status=Post.Status.DRAFT)
    h.post("Scheduled", published_at=timezone.now() + timedelta(hours=2))

    response = client.get("/blog/")

    assert response.status_code == 200
    assert titles(response) == ["Newer", "Older"]
    assert "Draft" not in response.text and "Scheduled" not in response.text


def test_scheduled_post_appears_by_itself_when_its_time_comes(moment, client, clinic, monkeypatch):
    scheduled = h.post("Scheduled", published_at=timezone.now() + timedelta(hours=2))
    assert titles(client.get("/blog/")) == []
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert titles(client.get("/blog/")) == ["Scheduled"]
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_seed_article_shows_every_section_heading_as_h2_with_anchor_and_toc(client, seed):
    response = client.get(seed.get_absolute_url())

    assert response.status_code == 200
    for heading in SEED_HEADINGS:
        match = re.search(rf'<h2 id="([a-z0-9-]+)">{re.escape(heading)}</h2>', response.text)
        assert match, heading
        assert f'href="#{match[1]}"' in response.text  # the table of contents links to it


def test_seed_article_byline_dates_review_and_call_to_action(client, seed):
    response = client.get(seed.get_absolute_url())
    html = response.text

    assert "<h1>What Runners Need For Perfect Spine Alignment?</h1>" in html
    assert 'By <a href="/about/joey-lee/" rel="author">Joey Lee</a>, Chiropractor' in html
    assert '<time datetime="2026-02-17T09:00:00+1100">17 February 2026</time>' in html
    assert "Clinically reviewed by" in html and 'href="/about/jason-lee/"' in html
    assert "general information, not medical advice" in html
    assert "Book now" in html
    assert "min read" in html
    assert "Most runners focus intensely on pace and distance" in html
    assert "improved running efficiency." in html


def test_article_page_has_no_inline_script_style_or_handlers(client, seed):
    html = client.get(seed.get_absolute_url()).text

    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert all('type="application/ld+json"' in attrs or "src=" in attrs for attrs in scripts)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_video_is_a_link_with_a_named_play_button_and_nothing_from_youtube(client, seed):
    html = client.get(seed.get_absolute_url()).text

    assert 'href="https://www.youtube.com/watch?v=Trzq4y3rmHI" data-video-id="Trzq4y3rmHI"' in html
    assert 'aria-label="Play video: What Runners Need For Perfect Spine Alignment?"' in html
    assert "<iframe" not in html
    assert "ytimg" not in html and "youtube.com/embed" not in html
    assert "js/video.js" in html


def test_video_script_is_only_on_article_pages(client, seed):
    assert "js/video.js" not in client.get("/blog/").text
    assert "js/video.js" not in client.get("/").text


def test_article_structured_data_names_author_reviewer_and_dates(client, seed):
    blocks = jsonld_blocks(client.get(seed.get_absolute_url()).text)
    article = next(block for block in blocks if block["@type"] == "BlogPosting")
    breadcrumbs = next(block for block in blocks if block["@type"] == "BreadcrumbList")

    assert article["headline"] == seed.title
    assert article["author"]["name"] == "Joey Lee"
    assert article["author"]["url"].endswith("/about/joey-lee/")
    assert article["reviewedBy"]["name"] == "Jason Lee"
    assert article["datePublished"].startswith("2026-02-17T")
    assert article["dateModified"]
    assert article["lastReviewed"] == "2026-02-17"
    assert article["image"].startswith("http://testserver/media/blog/renditions/")
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Home",
        "Articles",
        seed.title,
    ]


def test_article_social_and_canonical_tags(client, seed):
    response = client.get(f"{seed.get_absolute_url()}?utm_source=x")

    canonical = f"http://testserver{seed.get_absolute_url()}"
    assertContains(response, f'<link rel="canonical" href="{canonical}">', html=True)
    assertContains(response, '<meta property="og:type" content="article">', html=True)
    assertContains(response, f'<meta property="og:title" content="{seed.title}">', html=True)
    assertContains(response, '<meta name="twitter:card" content="summary_large_image">', html=True)
    (og_image,) = crawl.Page.parse("", 200, response.text).meta(property="og:image")
    assert og_image.startswith("http://testserver/media/blog/renditions/")
    assertNotContains(response, "noindex")


def test_hero_image_is_responsive_with_dimensions(client, seed):
    page = crawl.Page.parse("", 200, client.get(seed.get_absolute_url()).text)

    assert any(
        source.attrs["srcset"].startswith("/media/blog/renditions/")
        for source in page.find("source", type="image/webp")
    )
    hero = next(img for img in page.find("img") if img.attrs.get("src", "").endswith("-1600w.jpg"))
    assert " 480w, " in hero.attrs["srcset"]
    assert (hero.attrs["width"], hero.attrs["height"]) == ("1600", "900")


def test_topic_page_lists_its_posts(client, clinic):
    running = h.topic()
    h.post("About running", topics=[running])
    h.post("About something else")

    response = client.get(running.get_absolute_url())

    assert response.status_code == 200
    assert titles(response) == ["About running"]
    assert "<h1>Running</h1>" in response.text


def test_related_articles_share_a_topic_first_then_the_newest(client, clinic):
    running = h.topic()
    main = h.post("Main", topics=[running])
    h.post("Sibling", topics=[running], days_ago=9)
    h.post("Unrelated")

    response = client.get(main.get_absolute_url())

    assert [post.title for post in response.context["related_posts"]] == ["Sibling", "Unrelated"]


def test_home_page_shows_latest_articles(client, clinic):
    h.post("Home article")

    html = client.get("/").text

    assert "Latest articles" in html and "Home article" in html


@pytest.mark.parametrize("path", ["/blog/no-such-post/", "/blog/topics/no-such-topic/"])
def test_unknown_slugs_are_404(client, clinic, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "2.5", "", "1" * 30])
def test_bad_page_numbers_show_a_valid_page(client, clinic, page):
    h.many_posts(12)

    response = client.get("/blog/", {"page": page})

    assert response.status_code == 200
    assert len(response.context["posts"]) in {10, 2}


def test_second_page_has_its_own_canonical_url(client, clinic):
    h.many_posts(12)

    response = client.get("/blog/?page=2")

    assertContains(
        response, '<link rel="canonical" href="http://testserver/blog/?page=2">', html=True
    )
    # Page 1 is linked by its own address, never as "?page=1".
    assertContains(
        response,
        '<a class="button button-secondary" href="/blog/" rel="prev">Newer articles</a>',
        html=True,
    )


def test_draft_is_404_for_visitors_and_previewable_by_staff(client, clinic, staff_user):
    draft = h.post("Draft", status=Post.Status.DRAFT, days_ago=0)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_preview_url()).status_code == 404

    client.force_login(staff_user)  # staff, but without the blog's permissions
    assert client.get(draft.get_preview_url()).status_code == 404

    staff_user.is_superuser = True
    staff_user.save()
    response = client.get(draft.get_preview_url())
    assert response.status_code == 200
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', html=True)
    assert "this post is <strong>draft</strong>" in response.text


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize(
    ("path", "queries"),
    [("/blog/", 6), ("/blog/?page=2", 6), ("/blog/topics/running/", 7), ("detail", 6), ("/", 6)],
)
def test_query_count_does_not_grow_with_posts(
    client, clinic, django_assert_num_queries, count, path, queries
):
    running = h.topic()
    h.many_posts(count, topics=[running])
    reviewer = h.practitioner("jason-lee", "Jason Lee")
    detail = h.post("Detail", topics=[running], reviewed_by=reviewer, last_reviewed="2026-02-17")
    url = detail.get_absolute_url() if path == "detail" else path
    assert queries <= MAX_QUERIES

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
