"""JSON-LD for articles, as plain dicts for clinic's `jsonld` template tag."""

from django.urls import reverse
from django.utils.timezone import localtime


def _person(practitioner, request):
    data = {
        "@type": "Person",
        "name": practitioner.name,
        "jobTitle": practitioner.role,
        "url": request.build_absolute_uri(practitioner.get_absolute_url()),
    }
    if practitioner.qualifications:
        data["hasCredential"] = practitioner.qualifications
    return data


def post_jsonld(post, request):
    url = request.build_absolute_uri(post.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "mainEntityOfPage": url,
        "url": url,
        "headline": post.title,
        "description": post.summary,
        "author": _person(post.author, request),
        "publisher": {"@id": f"{request.build_absolute_uri('/')}#clinic"},
        "datePublished": localtime(post.published_at).isoformat() if post.published_at else None,
        "dateModified": localtime(post.updated_at).isoformat() if post.updated_at else None,
        "timeRequired": f"PT{post.reading_minutes}M",
        "inLanguage": "en-AU",
        "keywords": [topic.name for topic in post.topics.all()],
    }
    if post.hero_image:
        data["image"] = request.build_absolute_uri(post.hero_fallback_url)
    if post.reviewed_by:
        data["reviewedBy"] = _person(post.reviewed_by, request)
    if post.last_reviewed:
        data["lastReviewed"] = post.last_reviewed.isoformat()
    if post.reference_list:
        data["citation"] = post.reference_list
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def breadcrumb_jsonld(request, trail):
    """`trail` is [(name, path), ...] from the home page to the current page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def post_breadcrumbs(post):
    return [
        ("Home", reverse("clinic:home")),
        ("Articles", reverse("blog:post_list")),
        (post.title, post.get_absolute_url()),
    ]
