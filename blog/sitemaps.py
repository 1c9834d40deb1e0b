from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from blog.models import Post, Topic


class PostSitemap(Sitemap):
    def items(self):
        return Post.objects.published().newest_first()

    def lastmod(self, item):
        return item.updated_at


class TopicSitemap(Sitemap):
    def items(self):
        return (
            Topic.objects.filter(posts__in=Post.objects.published())
            .annotate(last_post_update=Max("posts__updated_at"))
            .order_by("name")
        )

    def lastmod(self, item):
        return item.last_post_update
