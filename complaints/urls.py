from __future__ import annotations

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:complaint_id>/", views.detail, name="detail"),
    path("<int:complaint_id>/phone/", views.phone_reveal, name="phone-reveal"),
    path("<int:complaint_id>/accept/", views.accept, name="accept"),
    path("<int:complaint_id>/reject/", views.reject, name="reject"),
    path("<int:complaint_id>/transfer/", views.transfer, name="transfer"),
    path("<int:complaint_id>/file/", views.file, name="file"),
    path("<int:complaint_id>/conclude/", views.conclude, name="conclude"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
]
