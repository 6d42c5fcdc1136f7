from __future__ import annotations

from django.conf import settings
from django.urls import include, path

from api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("documents/", include("documents.urls")),
    path("supervision/", include("supervision.urls")),
    path("joint/", include("joint.urls")),
    path("nonsite/", include("nonsite.urls")),
    # 事后公示 on the officers' side (the public pages are under PUBLIC_SITE_PREFIX).
    path("disclosure/", include("disclosure.officer_urls")),
    path("complaints/", include("complaints.urls")),
    # The public site (执法公示): no login, cached, only what is published.
    path(f"{settings.PUBLIC_SITE_PREFIX}tousu/", include("complaints.public_urls")),
    path(settings.PUBLIC_SITE_PREFIX + "choucha/", include("inspections.urls")),
    path(settings.PUBLIC_SITE_PREFIX, include("disclosure.urls")),
    path("random/", include("inspections.officer_urls")),
    path("", include("web.urls")),
]
