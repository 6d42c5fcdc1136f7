from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.demo import DEMO_PASSWORD, demo_load, demo_otp_code, demo_otp_key
from demo.history import DEFAULT_SIZE, history_load
from ledger.services import ledger_checkpoint
from orgs.identity import otpauth_uri, secret_to_base32
from zhifa import clock


class Command(BaseCommand):
    help = "载入演示数据（聊城市的执法主体、虚构人员、权责清单）；可重复执行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="只载入单位、人员和权责清单，不载入历史案件、在办案件、填报和监督事项",
        )
        parser.add_argument(
            "--history-size",
            type=int,
            default=DEFAULT_SIZE,
            help=f"上一年度的历史案件数（本年度按已过天数折算），缺省 {DEFAULT_SIZE}",
        )
        parser.add_argument(
            "--otp-code",
            action="store_true",
            help="只显示演示账号当前的动态口令（演示数据的验证器密钥），不载入数据",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["otp_code"]:
            try:
                self.stdout.write(demo_otp_code())
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            return
        s = demo_load(today=clock.today())
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：{s.units} 个单位，{s.users} 名用户，{s.matters} 项权责事项"
            )
        )
        if not opts["no_history"]:
            if opts["history_size"] < 1:
                raise CommandError("--history-size 应为正整数")
            self.stdout.write(history_load(size=opts["history_size"]).line())
        # A signed checkpoint over what the demo wrote: the public page (/gs/ledger/) and the
        # documents' verification pages show it (the worker makes the later ones).
        cp = ledger_checkpoint()
        if cp is not None:
            self.stdout.write(f"全过程记录检查点 {cp.pk} 已签名（公示：/gs/ledger/）")
        self.stdout.write(
            f"演示账号（密码均为 {DEMO_PASSWORD}）：\n"
            "  聊城市城市管理局  承办人 371500-cgj-handler1  协办人 371500-cgj-handler2\n"
            "                    业务科长 371500-cgj-chief  法制审核员 371500-cgj-legal"
            "  分管局长 371500-cgj-director\n"
            "  聊城市司法局      执法监督员 371500-sfj-supervisor"
            "  执法证管理员 371500-sfj-certadmin\n"
            "  聊城市城市管理局  执法证管理员 371500-cgj-certadmin\n"
            "  交巡警支队        交警审核员 371500-jxj-reviewer（城警联动违停审核）\n"
            "  交通运输局        371500-jtj-handler1 / 371581-jtj-handler1（治超非现场执法）\n"
            "  其他单位          <单位代码小写>-handler1 / -chief / -legal / -director\n"
            "治超称重站接口密钥（演示）：LC-WIM-01 demo-wim-key-LC-WIM-01，"
            "LC-WIM-02 demo-wim-key-LC-WIM-02"
        )
        answer = _online_response_example()
        if answer:
            self.stdout.write(answer)
        key = demo_otp_key()
        if key is not None:
            self.stdout.write(
                "两步验证：执法监督员、分管局长和三员"
                "（371500-sfj-sysadmin / -secadmin / -auditadmin）登录时须填写动态口令。\n"
                f"  演示账号共用一个验证器密钥（本机随机生成）：{secret_to_base32(key)}\n"
                f"  在验证器中添加：{otpauth_uri('演示账号', key)}\n"
                "  或随时执行 .venv/bin/python manage.py demo --otp-code 查看当前动态口令"
            )


def _online_response_example() -> str:
    """A demo case whose party can still answer its 告知书 online today: the address with its
    code and the last six characters the page asks for."""
    from cases.models import Case, Party
    from cases.services.responses import response_code
    from deadlines.models import Deadline

    window = (
        Deadline.objects.filter(
            code="hearing_request",
            party__isnull=True,
            due_on__gte=clock.today(),
            case__step="notice_response",
            case__status=Case.Status.OPEN,
        )
        .order_by("case_id")
        .first()
    )
    if window is None:
        return ""
    party = Party.objects.filter(case_id=window.case_id).order_by("index").first()
    if party is None or len(party.id_number) < 6:
        return ""
    code = response_code(window.case_id, party.index)
    return (
        f"当事人在线陈述申辩（演示）：/gs/shenbian/?code={code}"
        f"  证件号码后六位 {party.id_number[-6:]}（{party.name}，期限至{window.due_on}）"
    )
