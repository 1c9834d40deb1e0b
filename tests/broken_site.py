"""A throwaway URLconf: the real site plus pages broken on purpose, one fault each, in the site's
own layout. tests/test_site_checks_fail.py crawls it to prove that every check can fail."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from clinic import urls as site_urls

BROKEN = {
    "img-no-alt": '<h1>Image</h1><img src="/static/img/logo.svg" width="40" height="40">',
    "img-no-size": '<h1>Image</h1><img src="/static/img/logo.svg" alt="Logo">',
    "duplicate-id": '<h1>Twins</h1><p id="twin">One</p><p id="twin">Two</p>',
    "dead-link": '<h1>Links</h1><p><a href="/no-such-page/">Read more</a></p>',
    "missing-image": '<h1>Pic</h1><img src="/static/img/gone.png" alt="Gone" width="1" height="1">',
    "no-h1": "<h2>Only a subheading</h2>",
    "two-h1": "<h1>One</h1><h1>Two</h1>",
    "inline-style": '<h1 style="color: red">Styled</h1>',
    "inline-handler": '<h1>Click</h1><button type="button" onclick="go()">Go</button>',
    "inline-script": "<h1>Script</h1><script>alert(1)</script>",
    "bad-jsonld": '<h1>Data</h1><script type="application/ld+json">{"name": oops}</script>',
    "jsonld-no-type": (
        '<h1>Data</h1><script type="application/ld+json">'
        '{"@context": "https://schema.org", "name": "x"}</script>'
    ),
    "invalid-html": "<h1>Nesting</h1><p><div>block in a paragraph</p></div>",
    "same-title-a": "<h1>A</h1>",
    "same-title-b": "<h1>B</h1>",
}
TITLES = {"same-title-a": "Same title", "same-title-b": "Same title"}


def broken_page(request, name):
    title = TITLES.get(name, f"Broken {name}")
    source = (
        '{% extends "base.html" %}'
        f"{{% block title %}}{title}{{% endblock %}}"
        f"{{% block description %}}Broken on purpose: {name}.{{% endblock %}}"
        f"{{% block content %}}{BROKEN[name]}{{% endblock %}}"
    )
    template = engines["django"].from_string(source)
    return HttpResponse(template.render({}, request))


def index(request):
    links = "".join(f'<li><a href="/broken/{name}/">{name}</a></li>' for name in BROKEN)
    source = (
        '{% extends "base.html" %}{% block title %}Broken pages{% endblock %}'
        f"{{% block content %}}<h1>Broken pages</h1><ul>{links}</ul>{{% endblock %}}"
    )
    return HttpResponse(engines["django"].from_string(source).render({}, request))


urlpatterns = [
    path("broken/", index),
    path("broken/<slug:name>/", broken_page),
    path("", include(site_urls)),
]
