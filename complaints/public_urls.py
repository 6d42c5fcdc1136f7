from __future__ import annotations

from django.urls import path

from complaints import views

app_name = "complaints-public"

urlpatterns = [
    path("", views.public_new, name="new"),
    path("chaxun/", views.public_status, name="status"),
]
