"""The editors' article rows on the staff front page (clinic.dashboard)."""

from blog.models import Post
from clinic import dashboard

dashboard.register(
    "Scheduled articles",
    permission="blog.view_post",
    count=lambda: Post.objects.scheduled().count(),
    changelist="admin:blog_post_changelist",
    query={"state": "scheduled"},
)
dashboard.register(
    "Articles due for clinical review",
    permission="blog.view_post",
    count=lambda: Post.objects.due_for_review().count(),
    changelist="admin:blog_post_changelist",
    query={"review": "due"},
)
