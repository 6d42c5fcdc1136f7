from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "执法公示"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from cases.hooks import register_step_effect
        from cases.models import Review
        from disclosure import services
        from disclosure.portal import register_section
        from ledger.labels import register_actions

        register_section("disclosure:home", "首页", order=0)
        register_section("disclosure:agencies", "执法主体与人员", order=10)
        register_section("disclosure:decisions", "行政处罚决定公示", order=20)
        register_section("disclosure:ledger_checkpoints", "全过程记录校验", order=90)
        register_actions(services.ACTIONS)
        # 作出处罚决定 starts each published decision's publication limit.
        register_step_effect("decision_issue", services.publication_limits_start)

        # A 复议/诉讼 result that undoes a published decision starts its withdrawal limit, in the
        # transaction that records the result (cases.services.reviews.review_conclude).
        def review_saved(sender: Any, instance: Review, **kwargs: Any) -> None:
            services.withdrawal_limit_start(instance)

        post_save.connect(review_saved, sender=Review, weak=False, dispatch_uid="disclosure_review")
