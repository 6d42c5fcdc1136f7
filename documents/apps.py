from __future__ import annotations

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "执法文书"

    def ready(self) -> None:
        from ledger.labels import register_actions

        register_actions({"document_issue": "出具文书", "dossier_assemble": "组卷（生成卷宗）"})
        from deadlines.services import register_periodic
        from documents.services import documents_sweep

        def sweep() -> str | None:
            swept = documents_sweep()
            return f"清理未提交的文书文件 {len(swept)} 个" if swept else None

        # Document files no issue committed, once an hour.
        register_periodic("documents_sweep", every=3600.0, job=sweep)
