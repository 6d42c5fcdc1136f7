from __future__ import annotations

from django.apps import AppConfig


class BackupConfig(AppConfig):
    """数据备份恢复 (GB/T 22239-2019 8.1.4.11): `manage.py backup` and `manage.py restore`."""

    name = "backup"
    verbose_name = "备份恢复"
