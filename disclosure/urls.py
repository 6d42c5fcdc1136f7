from __future__ import annotations

from django.urls import path

from disclosure import ledger_views, views

app_name = "disclosure"

urlpatterns = [
    path("", views.home, name="home"),
    path("ledger/", ledger_views.checkpoints, name="ledger_checkpoints"),
    path("ledger/checkpoints.json", ledger_views.checkpoints_feed, name="ledger_checkpoints_feed"),
]
