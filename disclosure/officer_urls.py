from __future__ import annotations

from django.urls import path

from disclosure import officer

app_name = "publication"

urlpatterns = [
    path("", officer.queue, name="queue"),
    path("profile/", officer.profile, name="profile"),
    path("<int:decision_id>/", officer.publication, name="detail"),
    path("<int:decision_id>/<str:action>/", officer.publication_act, name="act"),
]
