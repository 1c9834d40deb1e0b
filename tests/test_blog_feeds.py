"""RSS, Atom and the sitemap: well-formed XML that lists published articles only."""

import xml.etree.ElementTree as ET

from blog.models import Post
from tests import blog_helpers as h

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def setup_posts():
    article = h.post("Spine and running", topics=[h.topic()])
    h.post("Secret draft", status=Post.Status.DRAFT, days_ago=0)
    return article


def test_rss_feed_parses_and_lists_the_article(client, clinic):
    article = setup_posts()

    response = client.get("/blog/feed/rss/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Spine and running"]
    assert items[0].findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert items[0].findtext("category") == "Running"


def test_atom_feed_parses_and_lists_the_article(client, clinic):
    article = setup_posts()

    response = client.get("/blog/feed/atom/")

    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Spine and running"]
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Joey Lee"
    assert entries[0].findtext(f"{ATOM}updated")
    assert entries[0].find(f"{ATOM}link").get("href").endswith(article.get_absolute_url())


def test_sitemap_lists_the_article_and_topic_with_last_modified(moment, client, clinic):
    article = setup_posts()

    response = client.get("/sitemap.xml")

    root = ET.fromstring(response.content)
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }
    article_url = f"http://testserver{article.get_absolute_url()}"
    assert entries[article_url] == moment.sydney_date.isoformat()
    assert entries["http://testserver/blog/topics/running/"] == moment.sydney_date.isoformat()
    assert not any("secret-draft" in url for url in entries)


def test_feeds_are_advertised_on_blog_pages(client, clinic):
    html = client.get("/blog/").text
    assert 'type="application/rss+xml"' in html and 'href="/blog/feed/atom/"' in html


def test_seed_article_is_in_feeds_and_sitemap(client, demo):
    slug = "what-runners-need-for-perfect-spine-alignment"
    assert slug in client.get("/blog/feed/rss/").text
    assert slug in client.get("/blog/feed/atom/").text
    assert slug in client.get("/sitemap.xml").text
