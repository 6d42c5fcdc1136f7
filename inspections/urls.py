"""The public site's 双随机抽查 pages (mounted under `<PUBLIC_SITE_PREFIX>choucha/`)."""

from __future__ import annotations

from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.public_plans, name="public_plans"),
    path("<int:plan_id>/", views.public_plan, name="public_plan"),
    path("<int:plan_id>/data.json", views.public_plan_json, name="public_plan_json"),
    path("<int:plan_id>/verify/", views.public_verify, name="public_verify"),
    path("<int:plan_id>/verify.json", views.public_verify_json, name="public_verify_json"),
]
