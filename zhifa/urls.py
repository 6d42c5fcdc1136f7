from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from api.api import api

urlpatterns = [
    path("", RedirectView.as_view(url="/api/docs", permanent=False)),
    path("api/", api.urls),
]
