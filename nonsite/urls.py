from __future__ import annotations

from django.urls import path

from nonsite import views

urlpatterns = [
    path("", views.station_list, name="nonsite-stations"),
    path("stations/<int:station_id>/", views.station_detail, name="nonsite-station"),
    path("queue/", views.queue, name="nonsite-queue"),
    path("queue/batch/", views.queue_batch, name="nonsite-queue-batch"),
    path("records/<int:record_id>/", views.record_detail, name="nonsite-record"),
    path("records/<int:record_id>/photos/<int:index>/", views.record_photo, name="nonsite-photo"),
    path("records/<int:record_id>/review/", views.record_review, name="nonsite-record-review"),
    path("devices/<int:device_id>/review/", views.device_review, name="nonsite-device-review"),
    path("q/<str:token>/", views.party, name="nonsite-party"),
    path("q/<str:token>/photos/<int:index>/", views.party_photo, name="nonsite-party-photo"),
]
