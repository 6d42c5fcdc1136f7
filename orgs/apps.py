from __future__ import annotations

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "组织机构与人员"
