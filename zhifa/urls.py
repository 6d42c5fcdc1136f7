from __future__ import annotations

from django.urls import include, path

from api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("documents/", include("documents.urls")),
    path("supervision/", include("supervision.urls")),
    path("joint/", include("joint.urls")),
    path("nonsite/", include("nonsite.urls")),
    path("", include("web.urls")),
]
