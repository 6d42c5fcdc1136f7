from __future__ import annotations

from django.urls import include, path

from api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("web.urls")),
]
