from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from blog.models import Post
        from clinic import attribution, page_cache

        attribution.register(
            "article", label="Article", model="blog.Post", public=Post.objects.published
        )

        # A scheduled post appears without a save, so stored pages must expire by its time.
        page_cache.register_next_change(lambda: Post.objects.next_publish_time())
        # Drafts show nowhere; published posts (scheduled ones too: they set that lifetime) do.
        page_cache.register_public_rows(
            Post, lambda: Post.objects.filter(status=Post.Status.PUBLISHED)
        )
