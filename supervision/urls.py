from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from supervision import matter_views, review_views, views

app_name = "supervision"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.drill, name="drill"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.stats_export, name="stats-export"),
    path("stats/exports/<int:run_id>/", views.stats_export_run, name="stats-export-run"),
    path("stats/exports/<int:run_id>/file", views.stats_export_file, name="stats-export-file"),
    path("reports/new/", views.report_new, name="report-new"),
    path("items/", views.items, name="items"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/<str:action>/", views.item_act, name="item-act"),
    path("scan/", views.scan, name="scan"),
    path("scan/<int:run_id>/", views.scan_run, name="scan-run"),
    path("reviews/", review_views.reviews, name="reviews"),
    path("reviews/standard/", review_views.standard_page, name="review-standard"),
    path("reviews/<int:review_id>/", review_views.review_detail, name="review"),
    path("reviews/<int:review_id>/publish/", review_views.review_publish, name="review-publish"),
    path(
        "reviews/<int:review_id>/files/<int:entry_id>/score/",
        review_views.review_score,
        name="review-score",
    ),
    path(
        "reviews/<int:review_id>/files/<int:entry_id>/item/",
        review_views.review_item,
        name="review-item",
    ),
    path("rules/", views.rules_page, name="rules"),
    path("publicity/", views.publicity, name="publicity"),
    path("matters/", matter_views.matter_list, name="matters"),
    path("matters/new/", matter_views.matter_new, name="matter-new"),
    path("matters/<int:matter_id>/", matter_views.matter_detail, name="matter"),
    path("matters/<int:matter_id>/evidence/", matter_views.matter_evidence, name="matter-evidence"),
    path(
        "matters/<int:matter_id>/documents/<str:kind>/",
        matter_views.matter_document,
        name="matter-document",
    ),
    path("matters/<int:matter_id>/<str:action>/", matter_views.matter_act, name="matter-act"),
]
