from __future__ import annotations

import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from pydantic import ValidationError

from api import schemas
from cases import selectors
from cases.payloads import STEP_SCHEMAS, LeadIn
from cases.services import evidence as case_evidence
from cases.services import steps as case_steps
from orgs.models import User
from procedure.engine import Refused


def _load(raw: str) -> Any:
    """JSON given inline, as @FILE, or as - for standard input."""
    if raw == "-":
        return json.load(sys.stdin)
    if raw.startswith("@"):
        return json.loads(Path(raw[1:]).read_text(encoding="utf-8"))
    return json.loads(raw)


class Command(BaseCommand):
    help = "以指定用户的身份办理案件（与HTTP接口相同的校验、权限和全过程记录）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="办理人用户名")
        sub = parser.add_subparsers(dest="action", required=True)
        reg = sub.add_parser("register", help="案源登记，或开始简易程序案件")
        reg.add_argument("--data", required=True, help="JSON、@文件 或 -（标准输入）")
        act = sub.add_parser("act", help="办理当前环节")
        act.add_argument("case_id", type=int)
        act.add_argument("step", choices=sorted(STEP_SCHEMAS))
        act.add_argument("--data", default="{}", help="JSON、@文件 或 -，含 decision")
        show = sub.add_parser("show", help="案件详情")
        show.add_argument("case_id", type=int)
        rec = sub.add_parser("record", help="全过程记录")
        rec.add_argument("case_id", type=int)
        sub.add_parser("list", help="数据范围内的案件")
        enf = sub.add_parser("enforce", help="开始强制执行：催告或立即代履行")
        enf.add_argument("case_id", type=int)
        enf.add_argument("--data", required=True, help="JSON、@文件 或 -，含 party")
        enact = sub.add_parser("enforcement", help="办理强制执行的当前环节")
        enact.add_argument("record_id", type=int)
        enact.add_argument("--data", required=True, help="JSON、@文件 或 -，含 decision")
        enls = sub.add_parser("enforcements", help="案件的强制执行")
        enls.add_argument("case_id", type=int)
        ev = sub.add_parser("evidence", help="登记证据文件")
        ev.add_argument("case_id", type=int)
        ev.add_argument("--file", type=Path, required=True)
        ev.add_argument("--kind", required=True)
        ev.add_argument("--title", required=True)

    def _print(self, value: Any) -> None:
        self.stdout.write(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{opts['user']}”不存在或已停用")
        try:
            self._dispatch(user, opts)
        except Refused as exc:
            raise CommandError("操作被拒绝：\n" + "\n".join(f"- {e}" for e in exc.errors)) from exc
        except ValidationError as exc:
            lines = [f"- {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            raise CommandError("输入数据无效：\n" + "\n".join(lines)) from exc
        except Http404 as exc:
            raise CommandError("案件不存在") from exc

    def _dispatch(self, user: User, opts: dict[str, Any]) -> None:
        action = opts["action"]
        if action == "register":
            body = LeadIn.model_validate(_load(opts["data"]))
            case = case_steps.case_register(actor=user, **body.service_kwargs())
            self._print({"id": case.pk, "lead_no": case.lead_no, "step": case.step})
        elif action == "act":
            case = selectors.get_case_for_user(user, opts["case_id"])
            model = STEP_SCHEMAS[opts["step"]].model_validate(_load(opts["data"]))
            data = model.model_dump(mode="json")
            decision = data.pop("decision")
            case = case_steps.case_act(
                case_id=case.pk, actor=user, step=opts["step"], decision=decision, data=data
            )
            self._print(
                {"id": case.pk, "case_no": case.case_no, "step": case.step, "status": case.status}
            )
        elif action == "show":
            case = selectors.get_case_for_user(user, opts["case_id"])
            detail = selectors.case_detail(case, reader=None)
            detail["party_details"] = [
                schemas.PartyOut.from_orm(p).model_dump() for p in detail["party_details"]
            ]
            self._print(detail)
        elif action == "record":
            case = selectors.get_case_for_user(user, opts["case_id"])
            for e in selectors.case_record(case):
                self.stdout.write(
                    f"{e.seq:>3} {e.at:%Y-%m-%d %H:%M} {e.actor_name}（{e.role}）{e.action} "
                    f"{e.hash[:12]}"
                )
        elif action == "list":
            for c in selectors.cases_for_user(user).select_related("unit").order_by("-id")[:200]:
                self.stdout.write(
                    f"{c.pk:>6} {c.case_no or c.lead_no} {selectors.step_name(c)} {c.unit.name}"
                )
        elif action in ("enforce", "enforcement", "enforcements"):
            self._enforcement(user, action, opts)
        elif action == "evidence":
            case = selectors.get_case_for_user(user, opts["case_id"])
            path: Path = opts["file"]
            with path.open("rb") as handle:
                ev = case_evidence.evidence_add(
                    case_id=case.pk,
                    actor=user,
                    kind=opts["kind"],
                    title=opts["title"],
                    content=File(handle, name=path.name),
                    filename=path.name,
                    content_type=mimetypes.guess_type(path.name)[0] or "",
                )
            self._print({"id": ev.pk, "sha256": ev.sha256, "sm3": ev.sm3, "size": ev.size})

    def _enforcement(self, user: User, action: str, opts: dict[str, Any]) -> None:
        """强制执行 with the API's schemas, services and access function."""
        from enforcement import api as enforcement_api
        from enforcement import selectors as enforcement_selectors
        from enforcement import services as enforcement_services

        if action == "enforcements":
            case = selectors.get_case_for_user(user, opts["case_id"])
            self._print(enforcement_selectors.case_enforcements(case))
            return
        if action == "enforce":
            case = selectors.get_case_for_user(user, opts["case_id"])
            body = enforcement_api.OpenIn.model_validate(_load(opts["data"]))
            record = enforcement_services.enforcement_open(
                case_id=case.pk,
                actor=user,
                party=body.party,
                decision=body.decision,
                data=enforcement_api.act_data(body),
            )
        else:
            record = enforcement_selectors.enforcement_for_user(user, opts["record_id"])
            act = enforcement_api.ActIn.model_validate(_load(opts["data"]))
            enforcement_services.enforcement_act(
                record_id=record.pk,
                actor=user,
                decision=act.decision,
                data=enforcement_api.act_data(act),
            )
        found = enforcement_selectors.enforcement_for_user(user, record.pk)
        self._print(enforcement_selectors.record_row(found))
