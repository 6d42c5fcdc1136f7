from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "办案工作台"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from web.middleware import start_session

        user_logged_in.connect(start_session, dispatch_uid="web.start_session")

        # The workbench's own endpoints (the 待办, the step drafts): the API does not import the
        # workbench, the workbench adds them to it.
        from api.api import api
        from web.api import drafts_router, todo_router

        api.add_router("/todo", todo_router)
        api.add_router("/cases", drafts_router)
