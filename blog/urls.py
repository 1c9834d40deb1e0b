from django.urls import path

from blog import feeds, views

app_name = "blog"
urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    path("feed/rss/", feeds.LatestPostsFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed_atom"),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    # robots.txt already keeps crawlers out of /blog/preview/.
    path("preview/<int:pk>/", views.PostPreviewView.as_view(), name="post_preview"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post_detail"),
]
