from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "办案工作台"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from web.middleware import start_session

        user_logged_in.connect(start_session, dispatch_uid="web.start_session")
