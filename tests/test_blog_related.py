"""Related articles under an article and "More from <author>" on a practitioner's page: what
they show, in which order, and in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from tests import blog_helpers as h

pytestmark = pytest.mark.usefixtures("clinic")


def titles(response, key):
    return [post.title for post in response.context[key]]


def test_most_shared_topics_come_first_then_the_newest(client):
    running, knees, shoes = h.topic(), h.topic("Knees", "knees"), h.topic("Shoes", "shoes")
    main = h.post("Main", topics=[running, knees, shoes], days_ago=5)
    h.post("Two topics older", topics=[running, knees], days_ago=30)
    h.post("One topic", topics=[shoes], days_ago=3)
    h.post("No topic newest", days_ago=1)
    h.post("No topic oldest", days_ago=90)
    h.post("A draft", topics=[running, knees, shoes], status=Post.Status.DRAFT, days_ago=0)

    response = client.get(main.get_absolute_url())

    assert titles(response, "related_posts") == [
        "Two topics older",
        "One topic",
        "No topic newest",
    ]
    assert 'id="related-heading">Related articles</h2>' in response.text


def test_an_article_without_topics_gets_the_newest_others(client):
    main = h.post("Main", days_ago=2)
    h.post("Newer", days_ago=1)
    h.post("Older", days_ago=9)

    response = client.get(main.get_absolute_url())

    assert titles(response, "related_posts") == ["Newer", "Older"]


def test_practitioner_page_shows_more_from_them(client):
    author = h.practitioner()
    other = h.practitioner("sam-wu", "Sam Wu")
    h.post("By Joey older", author=author, days_ago=9)
    h.post("By Joey newer", author=author, days_ago=1)
    h.post("By Sam", author=other)
    h.post("Joey draft", author=author, status=Post.Status.DRAFT, days_ago=0)

    response = client.get(author.get_absolute_url())

    assert titles(response, "author_posts") == ["By Joey newer", "By Joey older"]
    assert "More from Joey Lee</h2>" in response.text
    assert "More from Sam Wu" not in client.get("/about/no-such-person/").text


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_related_items(client, django_assert_num_queries):
    running, knees = h.topic(), h.topic("Knees", "knees")
    main = h.post("Main", topics=[running, knees])
    author = main.author
    h.post("One", topics=[running])
    few_article = count_queries(client, main.get_absolute_url())
    few_author = count_queries(client, author.get_absolute_url())

    for n in range(12):
        h.post(f"More {n}", topics=[running, knees], days_ago=n + 2)

    with django_assert_num_queries(few_article):
        client.get(main.get_absolute_url())
    with django_assert_num_queries(few_author):
        client.get(author.get_absolute_url())
