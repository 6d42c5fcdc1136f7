from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from supervision import views

app_name = "supervision"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.drill, name="drill"),
    path("stats/", views.stats, name="stats"),
    path("reports/new/", views.report_new, name="report-new"),
    path("items/", views.items, name="items"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/<str:action>/", views.item_act, name="item-act"),
    path("scan/", views.scan, name="scan"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:review_id>/", views.review_detail, name="review"),
    path("rules/", views.rules_page, name="rules"),
]
