from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from blog.models import Post, Topic
from blog.queries import related_posts
from blog.structured_data import breadcrumb_jsonld, post_breadcrumbs, post_jsonld

PAGE_SIZE = 10
RELATED_COUNT = 3


class PaginatedPostsMixin:
    """Lists of published posts. A page number that is out of range or not a number shows the
    nearest valid page (Paginator.get_page), never an error."""

    paginate_by = PAGE_SIZE
    page_cache_query_parameters = ("page",)
    context_object_name = "posts"

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        if page.number > 1:
            context["canonical_url"] = self.request.build_absolute_uri(
                f"{self.request.path}?page={page.number}"
            )
        context["topics"] = Topic.objects.filter(posts__in=Post.objects.published()).distinct()
        return context


class PostListView(PaginatedPostsMixin, ListView):
    template_name = "blog/post_list.html"

    def get_queryset(self):
        return Post.objects.published().for_list().newest_first()


class TopicView(PaginatedPostsMixin, ListView):
    template_name = "blog/topic_detail.html"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return Post.objects.published().filter(topics=self.topic).for_list().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


class PostDetailView(DetailView):
    template_name = "blog/post_detail.html"
    page_cache_query_parameters = ()
    context_object_name = "post"

    def get_queryset(self):
        return Post.objects.published().for_detail()

    def get_context_data(self, **kwargs):
        post = self.object
        return super().get_context_data(
            related_posts=related_posts(post, RELATED_COUNT),
            canonical_url=self.request.build_absolute_uri(post.get_absolute_url()),
            # Absolute whether media is served here or from a storage service's own domain.
            og_image_url=(
                self.request.build_absolute_uri(post.share_image_url)
                if post.social_image or post.hero_image
                else ""
            ),
            post_jsonld=post_jsonld(post, self.request),
            breadcrumb_jsonld=breadcrumb_jsonld(self.request, post_breadcrumbs(post)),
            **kwargs,
        )


class PostPreviewView(PostDetailView):
    """Any post as it will look, for staff who may see posts; `noindex`. Everyone else: 404."""

    page_cache_query_parameters = None  # never stored

    def get_queryset(self):
        return Post.objects.for_detail()

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_staff and request.user.has_perm("blog.view_post")):
            raise Http404("No such article.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)
