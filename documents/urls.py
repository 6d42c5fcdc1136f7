from __future__ import annotations

from django.urls import path

from documents import dossier_views, views

app_name = "documents"

# Stable addresses the web workspace links to:
#   documents:list    /documents/<case_id>/
#   documents:issue   /documents/<case_id>/<kind>/issue/ (POST, party=<index> or measure=<id>
#                     in the form)
#   documents:pdf     /documents/<case_id>/<kind>.pdf[?party=<index>|?measure=<id>] (the issued
#                     file, read-only; one printing a person's whole ID number: GET answers the
#                     logged-download page, POST streams it with a pii:access entry)
#   documents:docx    /documents/<case_id>/<kind>.docx[?party=<index>|?measure=<id>] (idem)
#   documents:verify  /documents/verify/<code>/ (public, no login)
#   documents:dossier           /documents/<case_id>/dossier.pdf (the stored 卷宗, as documents:pdf)
#   documents:dossier-assemble  /documents/<case_id>/dossier/assemble/ (POST)
urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/proof.json", views.verify_proof, name="verify_proof"),
    path("<int:case_id>/", views.case_documents, name="list"),
    # Before <kind>.pdf, which would take "dossier" for a kind.
    path("<int:case_id>/dossier.pdf", dossier_views.download, name="dossier"),
    path("<int:case_id>/dossier/assemble/", dossier_views.assemble, name="dossier-assemble"),
    path("<int:case_id>/<slug:kind>/issue/", views.issue, name="issue"),
    path("<int:case_id>/<slug:kind>.pdf", views.download_pdf, name="pdf"),
    path("<int:case_id>/<slug:kind>.docx", views.download_docx, name="docx"),
]
