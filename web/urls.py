from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from web import (
    administration,
    auth,
    certificates,
    enforcement,
    evidence,
    exports,
    holidays,
    notices,
    registration,
    reveal,
    section_posts,
    views,
)

urlpatterns = [
    path("login/", auth.ZhifaLoginView.as_view(), name="login"),
    path("two-factor/", auth.two_factor, name="two-factor"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/login/"), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/password/done/"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("role/", views.role_switch, name="role-switch"),
    # 三员: the system, security and audit administrators (web/administration.py).
    path("sanyuan/system/", administration.system, name="admin-system"),
    path("sanyuan/system/units/new/", administration.unit_create, name="admin-unit-create"),
    path(
        "sanyuan/system/accounts/new/", administration.account_create, name="admin-account-create"
    ),
    path("sanyuan/system/matters/", administration.matters, name="admin-matters"),
    path(
        "sanyuan/system/matters/<int:matter_id>/units/",
        administration.matter_units,
        name="admin-matter-units",
    ),
    path(
        "sanyuan/system/matters/<int:matter_id>/power/",
        administration.matter_power,
        name="admin-matter-power",
    ),
    path("sanyuan/accounts/<int:user_id>/", administration.account, name="admin-account"),
    path(
        "sanyuan/accounts/<int:user_id>/<str:action>/",
        administration.account_action,
        name="admin-account-action",
    ),
    path("sanyuan/security/", administration.security, name="admin-security"),
    path("sanyuan/audit/", administration.audit, name="admin-audit"),
    path("sanyuan/audit/export/", administration.audit_export, name="admin-audit-export"),
    path("calendar/", holidays.calendar_admin, name="calendar-admin"),
    path("certificates/", certificates.certificate_list, name="certificate-list"),
    path("certificates/new/", certificates.certificate_new, name="certificate-new"),
    path(
        "certificates/oversight/",
        certificates.certificate_oversight,
        name="certificate-oversight",
    ),
    path(
        "certificates/<int:certificate_id>/",
        certificates.certificate_detail,
        name="certificate-detail",
    ),
    path(
        "certificates/<int:certificate_id>/<str:action>/",
        certificates.certificate_change,
        name="certificate-change",
    ),
    path("", views.home, name="home"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:notice_id>/read/", notices.notice_read, name="notice-read"),
    path("notices/read-all/", notices.notices_read_all, name="notices-read-all"),
    path("notices/settings/", notices.notice_settings, name="notice-settings"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/export.xlsx", exports.case_list_xlsx, name="case-list-xlsx"),
    path("matters/pick/", registration.matter_pick, name="matter-pick"),
    path("cases/new/", registration.case_new, name="case-new"),
    path(
        "cases/new/simple/", registration.case_new, {"procedure": "simple"}, name="case-new-simple"
    ),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/act/<str:step>/", views.case_act, name="case-act"),
    path("cases/<int:case_id>/draft/<str:step>/", views.step_draft, name="case-draft"),
    path(
        "cases/<int:case_id>/parties/<int:index>/reveal/", reveal.party_reveal, name="party-reveal"
    ),
    path("cases/<int:case_id>/evidence/", evidence.evidence_upload, name="evidence-upload"),
    path("cases/<int:case_id>/reviews/", section_posts.review_file, name="review-file"),
    path(
        "cases/<int:case_id>/reviews/conclude/",
        section_posts.review_conclude,
        name="review-conclude",
    ),
    path("cases/<int:case_id>/recusals/", section_posts.recusal_request, name="recusal-request"),
    path(
        "cases/<int:case_id>/preservations/", section_posts.preservation_post, name="preservation"
    ),
    path(
        "cases/<int:case_id>/preservations/<int:preservation_id>/<str:action>/",
        section_posts.preservation_post,
        name="preservation-act",
    ),
    path(
        "cases/<int:case_id>/recusals/<int:recusal_id>/decide/",
        section_posts.recusal_decide,
        name="recusal-decide",
    ),
    path(
        "cases/<int:case_id>/measures/<str:action>/", section_posts.measure_new, name="measure-new"
    ),
    path(
        "cases/<int:case_id>/measures/<int:measure_id>/<str:action>/",
        section_posts.measure_act,
        name="measure-act",
    ),
    path("cases/<int:case_id>/enforcement/", enforcement.enforcement_section, name="enforcement"),
    path(
        "cases/<int:case_id>/enforcement/open/",
        enforcement.enforcement_post,
        name="enforcement-open",
    ),
    path(
        "cases/<int:case_id>/enforcement/instalments/",
        enforcement.instalment_post,
        name="enforcement-instalment",
    ),
    path(
        "cases/<int:case_id>/enforcement/<int:record_id>/",
        enforcement.enforcement_post,
        name="enforcement-act",
    ),
    path(
        "cases/<int:case_id>/evidence/<int:evidence_id>/",
        evidence.evidence_file,
        name="evidence-file",
    ),
]
