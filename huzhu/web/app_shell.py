"""What makes Huzhu an app people keep on their home screen: the web manifest, the
service worker and the page it shows offline.

The worker is served from the site's root (its scope is the whole site) and rendered
from a template, so it names the hashed static files of this release; a new release is a
new worker, which drops the old caches. Pages are fetched from the network first (they
are personal and change); without a network the offline page answers. Nothing comes
from a CDN.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control


@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("Huzhu mutual aid"),
        "short_name": "互助",
        "description": _("Ask for what you need, offer what you can spare, nearby."),
        "start_url": "/?source=home-screen",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": settings.HUZHU_THEME_COLOUR,
        "icons": [
            {"src": static("web/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("web/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("web/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@cache_control(no_cache=True)  # browsers check for a new worker on every visit anyway
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [
        "/offline",
        static("web/css/huzhu.css"),
        static("web/vendor/htmx.min.js"),
        static("web/js/huzhu.js"),
        static("web/icon.svg"),
        static("web/icons/icon-192.png"),
    ]
    context = {"shell": json.dumps(shell), "version": json.dumps(static("web/css/huzhu.css"))}
    return render(request, "web/sw.js", context, content_type="text/javascript")


def offline(request: HttpRequest) -> HttpResponse:
    """The page the worker shows when there is no network."""
    return render(request, "web/offline.html")
