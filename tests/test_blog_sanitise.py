"""Nothing unsafe is stored or shown, however a body arrives: the allow-list, and the rendering
derived from it (anchors, contents, reading time, video facade)."""

import pytest
from django.contrib.auth import get_user_model

from blog.models import Post
from blog.rendering import render_body
from blog.sanitise import sanitise_body
from tests import blog_helpers as h

HOSTILE_BODY = (
    '<h2 onclick="alert(\'h\')" style="color:red" class="x">Safe heading</h2>'
    "<p>Before<script>alert('script')</script> after</p>"
    '<p><img src="x" onerror="alert(\'img\')">Image gone</p>'
    "<p><a href=\"javascript:alert('js')\">js link</a></p>"
    '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a></p>'
    '<p><a href="JaVaScRiPt&#58;alert(1)">encoded js link</a></p>'
    '<iframe src="https://evil.example/"></iframe>'
    "<style>body{display:none}</style>"
    '<svg><a xlink:href="javascript:alert(2)">svg</a></svg>'
    '<p><a href="https://example.com/ok" onmouseover="alert(3)" target="_blank">good link</a></p>'
)
FORBIDDEN = [
    "<script",
    "alert(",
    "onerror",
    "onclick",
    "onmouseover",
    "javascript:",
    "data:",
    "style=",
    "<style",
    "<iframe",
    "<img",
    "<svg",
    "evil.example",
    "target=",
]


def admin_post_data(**overrides):
    author = h.practitioner()
    data = {
        "title": "Hostile",
        "slug": "hostile",
        "summary": "Trying things.",
        "body": HOSTILE_BODY,
        "hero_image_alt": "",
        "author": str(author.pk),
        "reviewed_by": "",
        "last_reviewed": "",
        "status": "published",
        "published_at_0": "01/02/2026",
        "published_at_1": "09:00",
        "references": "",
        "disclaimer": "General information.",
        "_save": "Save",
    }
    return data | overrides


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(user)
    return client


def test_hostile_body_posted_through_the_admin_is_stored_and_shown_clean(admin_client, clinic):
    response = admin_client.post("/admin/blog/post/add/", admin_post_data())
    assert response.status_code == 302, response.context["adminform"].form.errors

    post = Post.objects.get(slug="hostile")
    page = admin_client.get(post.get_absolute_url()).text
    body_section = page.split('class="prose article-body">', 1)[1].split("</article>", 1)[0]
    for text in (post.body, post.body_html, body_section):
        for forbidden in FORBIDDEN:
            assert forbidden not in text.lower(), forbidden
    assert '<h2 id="safe-heading">Safe heading</h2>' in post.body_html
    assert '<a href="https://example.com/ok">good link</a>' in post.body
    assert "Image gone" in post.body and "Before after" in post.body


def test_hostile_body_saved_through_the_orm_is_cleaned_too(clinic):
    post = h.post("Orm", body=HOSTILE_BODY)
    post.refresh_from_db()
    for forbidden in FORBIDDEN:
        assert forbidden not in post.body.lower()
        assert forbidden not in post.body_html.lower()


def test_allow_list_keeps_the_editors_structure():
    html = (
        "<h2>H2</h2><h3>H3</h3><h4>H4</h4><p><strong>b</strong> <em>i</em><br>line</p>"
        '<ul><li>one</li></ul><ol start="3"><li>three</li></ol><blockquote><p>q</p></blockquote>'
        '<hr><p><a href="mailto:a@example.com">mail</a> <a href="tel:+61255501234">call</a></p>'
    )
    assert sanitise_body(html) == html


def test_pasted_document_markup_keeps_structure_and_drops_the_rest():
    pasted = (
        '<h1 class="MsoTitle">Title</h1><p class="MsoNormal" style="margin:0"><span '
        'style="font-family:Calibri"><b>Bold</b> and <i>italic</i></span></p>'
        "<!-- comment --><table><tr><td>cell</td></tr></table>"
    )
    assert sanitise_body(pasted) == "Title<p>Bold and italic</p>cell"


@pytest.mark.parametrize("empty", ["", "   ", "<p></p>", "<script>x</script>"])
def test_empty_bodies_are_stored_empty(empty):
    assert sanitise_body(empty) == ""


def test_headings_get_unique_stable_anchors_and_a_contents_list():
    rendered = render_body("<h2>Warm up</h2><h3>Drills &amp; more</h3><h2>Warm up</h2><h2>!!</h2>")

    assert rendered.toc == [
        {"id": "warm-up", "text": "Warm up", "level": 2},
        {"id": "drills-more", "text": "Drills & more", "level": 3},
        {"id": "warm-up-2", "text": "Warm up", "level": 2},
        {"id": "section", "text": "!!", "level": 2},
    ]
    assert '<h2 id="warm-up-2">Warm up</h2>' in rendered.html


def test_reading_time_counts_words():
    assert render_body("<p>word</p>").reading_minutes == 1
    assert render_body("<p>" + "word " * 1000 + "</p>").reading_minutes == 5


@pytest.mark.parametrize(
    "paragraph",
    [
        '<p><a href="https://www.youtube.com/embed/Trzq4y3rmHI">https://www.youtube.com/embed/Trzq4y3rmHI</a></p>',
        '<p><a href="https://www.youtube.com/watch?v=Trzq4y3rmHI&amp;t=10">Watch</a></p>',
        "<p>https://youtu.be/Trzq4y3rmHI</p>",
        "<p> https://www.youtube.com/shorts/Trzq4y3rmHI </p>",
    ],
)
def test_a_youtube_link_alone_in_a_paragraph_becomes_the_facade(paragraph):
    html = render_body(paragraph, video_title="Spine video").html

    assert html.startswith('<figure class="video"><a class="video-facade"')
    assert 'href="https://www.youtube.com/watch?v=Trzq4y3rmHI"' in html
    assert "Play video" in html and "<iframe" not in html


@pytest.mark.parametrize(
    "paragraph",
    [
        '<p>See <a href="https://www.youtube.com/watch?v=Trzq4y3rmHI">this video</a> first.</p>',
        '<p><a href="https://vimeo.com/12345">https://vimeo.com/12345</a></p>',
        '<p><a href="https://www.youtube.com/watch?v=short">bad id</a></p>',
    ],
)
def test_other_links_stay_links(paragraph):
    assert render_body(paragraph).html == paragraph
