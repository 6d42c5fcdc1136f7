from __future__ import annotations

from django.conf import settings
from django.db import models

from catalog.models import Matter
from law.penalties import PENALTY_LABELS
from orgs.models import Unit
from procedure.vocab import CaseOutcome, DecisionOutcome
from zhifa.fields import BlindIndexField, EncryptedCharField


class Case(models.Model):
    """The current state of a case: a projection of its ledger stream, updated in the same
    transaction as every ledger entry."""

    class Procedure(models.TextChoices):
        GENERAL = "general", "一般程序"
        SIMPLE = "simple", "简易程序"

    class Source(models.TextChoices):
        PATROL = "patrol", "巡查发现"
        COMPLAINT = "complaint", "投诉举报"
        ASSIGNED = "assigned", "上级交办"
        REFERRED = "referred", "部门移送"
        MONITORING = "monitoring", "监测发现"
        RANDOM_INSPECTION = "random_inspection", "双随机抽查"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        LEAD = "lead", "案源"
        OPEN = "open", "办理中"
        CLOSED = "closed", "已结案"

    class Outcome(models.TextChoices):  # the list of procedure.vocab.CaseOutcome
        PENALTY = CaseOutcome.PENALTY.value, CaseOutcome.PENALTY.label
        NO_PENALTY = CaseOutcome.NO_PENALTY.value, CaseOutcome.NO_PENALTY.label
        TRANSFER = CaseOutcome.TRANSFER.value, CaseOutcome.TRANSFER.label
        REVOKED = CaseOutcome.REVOKED.value, CaseOutcome.REVOKED.label
        NOT_FILED = CaseOutcome.NOT_FILED.value, CaseOutcome.NOT_FILED.label
        REFERRED = CaseOutcome.REFERRED.value, CaseOutcome.REFERRED.label

    # Indexed by the composites below, which all start with it.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", db_index=False)
    procedure = models.CharField("程序", max_length=10, choices=Procedure.choices)
    lead_no = models.CharField("案源编号", max_length=60, blank=True)
    case_no = models.CharField("立案编号", max_length=60, blank=True)
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT)
    source = models.CharField("案件来源", max_length=20, choices=Source.choices)
    clue = models.TextField("案源线索")
    place = models.CharField("发生地点", max_length=200, blank=True)
    discovered_on = models.DateField("发现日期")
    act_on = models.DateField("违法行为发生日期", null=True, blank=True)
    act_ended_on = models.DateField("违法行为终了日期", null=True, blank=True)
    # 行政处罚法第三十六条: the five-year bar needs an act on 公民生命健康安全 or 金融安全
    # (the matter's time_bar_years) *with harmful consequences*, a fact of this case (立案).
    harmful_consequences = models.BooleanField("有危害后果", default=False)
    facts = models.TextField("违法事实", blank=True)
    step = models.CharField("当前环节", max_length=30)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.LEAD)
    outcome = models.CharField("处理结果", max_length=12, choices=Outcome.choices, blank=True)
    handler = models.ForeignKey(  # indexed by (handler, status, step)
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handled_cases",
        db_index=False,
    )
    co_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_handled_cases",
    )
    complex = models.BooleanField("重大复杂案件", default=False)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    transferred_on = models.DateField("移送司法机关日期", null=True, blank=True)
    previous_step = models.CharField(max_length=30, blank=True)
    imported = models.BooleanField("导入的历史案件", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "案件"
        indexes = [
            models.Index(fields=("unit", "status", "step")),
            models.Index(fields=("unit", "filed_on")),
            models.Index(fields=("unit", "closed_on")),
            # The 待办 of a handler: its own cases at its steps.
            models.Index(fields=("handler", "status", "step")),
            models.Index(fields=("lead_no",)),  # the search by a whole lead number
            models.Index(fields=("case_no",)),  # a case by its whole number; the import's key
            models.Index(fields=("step",)),
        ]

    def __str__(self) -> str:
        return self.case_no or self.lead_no

    @property
    def stream(self) -> str:
        return f"case:{self.pk}"


class Party(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "公民"
        ORGANISATION = "organisation", "法人"
        OTHER = "other", "其他组织"

    # Indexed by uniq_party_index (case, index).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties", db_index=False)
    index = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    name = models.CharField("姓名或名称", max_length=200)
    # Stored SM4-encrypted (zhifa.fields); a whole number is found through its keyed index.
    id_number = EncryptedCharField(
        "证件号码", plain_length=18, blank=True, index_field="id_number_index"
    )
    id_number_index = BlindIndexField(source="id_number")
    address = models.CharField("住址", max_length=200, blank=True)
    phone = EncryptedCharField("联系电话", plain_length=20, blank=True)
    legal_rep = models.CharField("法定代表人", max_length=50, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    proposal = models.JSONField("拟处理意见", null=True, blank=True)
    notified = models.JSONField("告知的处罚", null=True, blank=True)
    hearing_right = models.BooleanField("享有听证权利", default=False)
    response = models.JSONField("陈述申辩/听证", null=True, blank=True)

    class Meta:
        ordering = ("index",)
        constraints = [models.UniqueConstraint(fields=("case", "index"), name="uniq_party_index")]
        # Equality only (the search by a whole ID number, through its keyed index).
        indexes = [models.Index(fields=("id_number_index",), name="cases_party_id_index")]
        verbose_name = "当事人"

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """One decision (决定书) per party; the unit counted by the statistics."""

    class Outcome(models.TextChoices):  # the list of procedure.vocab.DecisionOutcome
        PENALTY = DecisionOutcome.PENALTY.value, DecisionOutcome.PENALTY.label
        NO_PENALTY = DecisionOutcome.NO_PENALTY.value, DecisionOutcome.NO_PENALTY.label

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="decision")
    number = models.CharField("决定书文号", max_length=60)
    outcome = models.CharField("决定类型", max_length=12, choices=Outcome.choices)
    decided_on = models.DateField("决定日期", db_index=True)
    facts = models.TextField("违法事实和证据", blank=True)
    basis = models.TextField("处罚依据", blank=True)
    performance = models.TextField("履行方式和期限", blank=True)
    reason = models.TextField("理由", blank=True)
    heaviest = models.CharField("最重处罚种类", max_length=24, blank=True)
    total_amount = models.DecimalField("罚没金额", max_digits=16, decimal_places=2, default=0)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=12, blank=True)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    executed_on = models.DateField("执行日期", null=True, blank=True)
    execution = models.JSONField("执行情况", null=True, blank=True)

    class Meta:
        verbose_name = "处罚决定"
        indexes = [
            models.Index(fields=("number",)),
            # The decisions served and not yet carried out: the few among millions held that
            # the supervisor's 执行 figures read (supervision.selectors.enforcement_sets).
            models.Index(
                fields=("id",),
                condition=models.Q(delivered_on__isnull=False, executed_on__isnull=True),
                name="decision_outstanding",
            ),
        ]


class Review(models.Model):
    """行政复议 or 行政诉讼 against a decision and its result (被复议/纠错, 被诉/败诉)."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION = "litigation", "行政诉讼"

    class Result(models.TextChoices):
        UPHELD = "upheld", "维持"
        CORRECTED = "corrected", "纠错（撤销、变更、确认违法、责令履行）/败诉"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    filed_on = models.DateField("申请（起诉）日期", db_index=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, blank=True)
    decided_on = models.DateField("结果日期", null=True, blank=True)
    # Recorded on the platform (cases.services.reviews: review_file / review_conclude); imported
    # rows keep the defaults. `ending` is the kind of result (law.reviews.ENDINGS): a withdrawal or
    # a refusal to accept sets `decided_on` and leaves `result` empty.
    organ = models.CharField("复议机关（人民法院）", max_length=100, blank=True)
    organ_case_no = models.CharField("复议（诉讼）案号", max_length=60, blank=True)
    ending = models.CharField("结果详情", max_length=16, blank=True)
    filing_due = models.DateField("申请（起诉）期限届满日", null=True, blank=True)
    late = models.BooleanField("超过申请（起诉）期限", default=False)
    warnings = models.TextField("提示", blank=True)

    class Meta:
        verbose_name = "复议诉讼"
        constraints = [
            models.UniqueConstraint(fields=("decision", "kind"), name="uniq_review_kind")
        ]


class PenaltyItem(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    type = models.CharField(
        "处罚种类", max_length=24, choices=[(t.value, label) for t, label in PENALTY_LABELS.items()]
    )
    amount = models.DecimalField("金额", max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "处罚种类"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        DOCUMENT = "document", "书证"
        AUDIO = "audio", "录音"
        VIDEO = "video", "视频"
        RECORD = "record", "笔录"
        OTHER = "other", "其他"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    collected_at = models.DateTimeField()

    class Meta:
        verbose_name = "证据"


class NumberSequence(models.Model):
    """Per-unit, per-year counters for 文号 (案源, 立案, 决定)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("unit", "kind", "year"), name="uniq_number_seq")
        ]


class Recusal(models.Model):
    """回避 (行政处罚法 Art. 43): an officer of the case declares it, or the party applies; the
    agency head decides, and an officer who withdraws is replaced on the case."""

    class Source(models.TextChoices):
        PARTY = "party", "当事人申请回避"
        SELF = "self", "执法人员自行回避"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recusals"
    )
    source = models.CharField("提出方式", max_length=8, choices=Source.choices)
    reason = models.TextField("理由")
    requested_on = models.DateField("提出日期")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted = models.BooleanField("决定回避", null=True)
    decision_reason = models.TextField("决定理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replacement = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "回避"
        ordering = ("pk",)


class Preservation(models.Model):
    """证据先行登记保存 (行政处罚法 Art. 56): where evidence may be lost or later hard to obtain,
    with the agency head's approval; a decision on it within 7 working days."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "待负责人批准"
        REFUSED = "refused", "不予批准"
        APPROVED = "approved", "已批准待实施"
        IN_FORCE = "in_force", "登记保存中"
        DECIDED = "decided", "已作出处理决定"

    class Disposition(models.TextChoices):
        RELEASE = "release", "解除先行登记保存，退还当事人"
        SEIZE = "seize", "依法采取查封、扣押措施"
        CONFISCATE = "confiscate", "依法没收（在行政处罚决定中作出）"
        TRANSFER = "transfer", "移送有关机关处理"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preservations")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    items = models.JSONField("物品清单")
    reason = models.TextField("证据可能灭失或者以后难以取得的情形")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField("申请日期")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_opinion = models.TextField("负责人意见", blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    carried_out_on = models.DateField("登记保存日期", null=True, blank=True)
    decision_due = models.DateField("处理决定期限", null=True, blank=True)
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disposition = models.CharField(
        "处理决定", max_length=12, choices=Disposition.choices, blank=True
    )
    disposition_note = models.TextField("处理说明", blank=True)
    decided_on = models.DateField("处理决定日期", null=True, blank=True)

    class Meta:
        verbose_name = "证据先行登记保存"
        ordering = ("pk",)


class Tally(models.Model):
    """The statistics summary (cases/counts.py): per unit × day × counted event (× the value the
    forms break it down by: penalty type, review kind, measure type…), how many and how many
    cents. Kept exact by one upsert per counted event in the transaction of the write that
    causes it; `manage.py stats_summary check` compares it with a recount of the raw rows."""

    # Indexed by uniq_tally (unit, day, event, value), which every form reads by.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    day = models.DateField()
    event = models.CharField(max_length=20)
    value = models.CharField(max_length=24, blank=True)
    n = models.BigIntegerField(default=0)
    cents = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "统计汇总"
        constraints = [
            models.UniqueConstraint(fields=("unit", "day", "event", "value"), name="uniq_tally")
        ]
        # What a form reads, by day first: a period's rows however many years are held, and
        # their counts without the table (an index-only scan).
        indexes = [
            models.Index(
                fields=("day", "event", "unit", "value", "n", "cents"), name="tally_by_day"
            )
        ]


class ResponseTry(models.Model):
    """A wrong ID-number tail given with a party's valid 告知书 code (cases.services.responses):
    RESPONSE_TRIES_PER_HOUR of them close the code for the hour. Kept as a security record, as
    the failed logins are; a right answer leaves none."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="+", db_index=False)
    party_index = models.PositiveSmallIntegerField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = "在线陈述申辩错误尝试"
        indexes = [models.Index(fields=("case", "party_index", "at"), name="response_try_by_code")]


class StepDraft(models.Model):
    """A half-written step form, kept for one officer at one step of one case (保存草稿): the
    form's fields as posted, loosely checked. Never a ledger entry: nothing was decided. Deleted
    when the step is taken."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = "办理草稿"
        constraints = [
            models.UniqueConstraint(fields=("case", "step", "user"), name="uniq_step_draft")
        ]
