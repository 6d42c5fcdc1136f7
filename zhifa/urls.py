from __future__ import annotations

from django.urls import path

from api.api import api

urlpatterns = [
    path("api/", api.urls),
]
