"""The officers' 双随机 pages (mounted under `random/`)."""

from __future__ import annotations

from django.urls import path

from inspections import views

app_name = "random"

urlpatterns = [
    path("", views.index, name="index"),
    path("targets/", views.targets, name="targets"),
    path("targets/imports/<int:run_id>/", views.targets_import_run, name="targets_import_run"),
    path("matters/", views.matters, name="matters"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path(
        "plans/<int:plan_id>/<str:action>/",
        views.plan_act,
        name="plan_act",
    ),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
]
