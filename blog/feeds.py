from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.models import Post

FEED_SIZE = 20


class LatestPostsFeed(Feed):
    page_cache_query_parameters = ()
    title = "Westside Sports Chiro: articles"
    description = (
        "Articles on running, posture and recovery from the chiropractors at Westside Sports Chiro."
    )

    def link(self):
        return reverse("blog:post_list")

    def items(self):
        return Post.objects.published().for_list().newest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.author.name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
    subtitle = LatestPostsFeed.description
