from __future__ import annotations

from django.urls import path

from disclosure import ledger_views, responses, views

app_name = "disclosure"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/<str:code>/", views.agency, name="agency"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:publication_id>/", views.decision, name="decision"),
    path("feed.json", views.feed, name="feed"),
    path("shenbian/", responses.response, name="response"),
    path("ledger/", ledger_views.checkpoints, name="ledger_checkpoints"),
    path("ledger/checkpoints.json", ledger_views.checkpoints_feed, name="ledger_checkpoints_feed"),
]
