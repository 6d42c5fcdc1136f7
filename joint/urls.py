from __future__ import annotations

from django.urls import path

from joint import views

urlpatterns = [
    path("", views.report_new, name="joint-new"),
    path("reports/", views.report_list, name="joint-list"),
    path("reports/<int:report_id>/", views.report_detail, name="joint-detail"),
    path(
        "reports/<int:report_id>/owner-phone/",
        views.owner_phone_reveal,
        name="joint-owner-phone",
    ),
    path("reports/<int:report_id>/drive-away/", views.drive_away, name="joint-drive-away"),
    path("reports/<int:report_id>/claim-reject/", views.claim_reject, name="joint-claim-reject"),
    path("reports/<int:report_id>/review/", views.review, name="joint-review"),
    path("reports/<int:report_id>/resubmit/", views.resubmit, name="joint-resubmit"),
    path("reports/<int:report_id>/withdraw/", views.withdraw, name="joint-withdraw"),
    path("reports/<int:report_id>/posted/", views.posted, name="joint-posted"),
    path("reports/<int:report_id>/upload-retry/", views.upload_retry, name="joint-upload-retry"),
    path("reports/<int:report_id>/notice/print/", views.notice_print, name="joint-notice-print"),
    path("photos/<int:photo_id>/", views.photo, name="joint-photo"),
    path("review/", views.review_queue, name="joint-review-queue"),
    path("review/batch/", views.review_batch, name="joint-review-batch"),
    path("dashboard/", views.dashboard, name="joint-dashboard"),
    path("c/<str:token>/", views.owner_confirm, name="joint-owner-confirm"),
]
