# ruff: noqa: E501 -- the templates' sentences read better unbroken
"""Build the DOCX templates (docxtpl/Jinja) an administrator may edit or replace.

Run: .venv/bin/python documents/docx/build_templates.py — it writes one <kind>.docx beside this
script. An administrator replaces a template by putting a file of the same name in the directory
named by DOCUMENT_TEMPLATE_DIR; the placeholders are those of documents/content.py.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

HERE = Path(__file__).resolve().parent

# (style, text). Styles: title, number, h (黑体 heading), p (indented body), flush (no indent),
# right (right-aligned), raw (a docxtpl paragraph tag such as {%p for … %}).
Spec = list[tuple[str, str]]

PARTY: Spec = [
    ("flush", "当事人：{{ party.name }}"),
    ("flush", "{{ party.id_label }}：{{ party.id_number }}"),
    ("raw", "{%p if not party.is_person %}"),
    ("flush", "法定代表人（负责人）：{{ party.legal_rep }}"),
    ("raw", "{%p endif %}"),
    ("flush", "{% if party.is_person %}住址{% else %}住所{% endif %}：{{ party.address }}"),
]
EVIDENCE: Spec = [
    ("p", "以上事实有下列证据证明："),
    ("raw", "{%p for e in evidence %}"),
    ("p", "{{ loop.index }}．{{ e }}"),
    ("raw", "{%p endfor %}"),
]
PROPOSALS: Spec = [
    ("raw", "{%p for x in proposals %}"),
    (
        "p",
        "{{ x.party }}：{{ x.outcome }}{% if x.penalties %}，{{ x.penalties }}{% endif %}"
        "{% if x.circumstance %}（{{ x.circumstance }}）{% endif %}。"
        "{% if x.reason %}裁量理由：{{ x.reason }}{% endif %}",
    ),
    ("raw", "{%p endfor %}"),
]
REMEDIES: Spec = [
    (
        "p",
        "如不服本决定，{{ reconsideration_route }}，复议机关为{{ reconsideration_body }}；"
        "也{{ litigation_route }}。",
    ),
]
ISSUER: Spec = [
    ("right", "（印章）"),
    ("right", "{{ unit_name }}"),
    ("right", "{{ issued_on }}"),
]
RECORD: Spec = [
    ("raw", "{%p for r in records %}"),
    ("row", "案由\t{{ matter_name }}（{{ case_no }}）"),
    ("row", "时间\t{{ r.held_at }}"),
    ("row", "地点\t{{ r.place }}"),
    (
        "row",
        "执法人员及执法证号\t{% for o in r.officers %}{{ o.name }}（{{ o.certificate }}）"
        "{% if not loop.last %}、{% endif %}{% endfor %}",
    ),
    ("row", "当事人\t{% for x in parties %}{{ x.name }}，{{ x.address }}；{% endfor %}"),
    ("p", "执法人员已出示执法证件，表明身份，告知当事人有申请执法人员回避的权利。"),
    ("p", "{{ r.content }}"),
    ("flush", "当事人（签名）：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿"),
    ("flush", "执法人员（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿"),
    ("raw", "{%p endfor %}"),
]

PARTIES: Spec = [
    ("raw", "{%p for party in parties %}"),
    *PARTY,
    ("raw", "{%p endfor %}"),
]
ITEMS: Spec = [
    ("raw", "{%p for i in items %}"),
    (
        "p",
        "{{ i.n }}．{% if is_freeze %}{{ i.bank }}，账号{{ i.account }}，冻结{{ i.amount_text }}"
        "{% else %}{{ i.name }}，{{ i.quantity }}{% if i.description %}，{{ i.description }}{% endif %}{% endif %}；",
    ),
    ("raw", "{%p endfor %}"),
]
OFFICERS = "{% for o in officers %}{{ o.name }}（执法证号：{{ o.certificate }}）{% if not loop.last %}、{% endif %}{% endfor %}"
PARTY_NAMES = "{% for p in parties %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
MEASURE_REMEDIES: Spec = [
    (
        "p",
        "如不服本决定，{{ reconsideration_route }}，复议机关为{{ reconsideration_body }}；"
        "也{{ litigation_route }}。{{ non_suspension }}。",
    ),
]

# 行政强制法: the documents of one coercive measure (documents/measure_content.py).
MEASURE_SPECS: dict[str, Spec] = {
    "measure_decision": [
        *PARTIES,
        (
            "p",
            "{% if emergency %}因情况紧急，本机关执法人员于{{ carried_out_at }}当场实施了{{ word }}，并已依法补办批准手续。{% endif %}经查，{{ reason }}。",
        ),
        (
            "p",
            "依据{{ basis }}和《中华人民共和国行政强制法》第九条、第十八条、第二十四条的规定，本机关决定对你（单位）的下列场所、设施或者财物予以{{ word }}（详见《{{ word }}清单》）：",
        ),
        *ITEMS,
        (
            "p",
            "{{ word }}期限为{{ period_days }}日，自{{ carried_out_on }}起至{{ due_on }}止（{{ period_citation }}）。情况复杂的，经本机关负责人批准，可以延长，但延长期限不得超过{{ extension_days_max }}日；延长的，本机关将书面告知你（单位）并说明理由。检测、检验、检疫或者技术鉴定的期间不计入{{ word }}期限（《中华人民共和国行政强制法》第二十五条）。",
        ),
        *MEASURE_REMEDIES,
        ("p", "执法人员：" + OFFICERS + "。"),
        *ISSUER,
    ],
    "measure_list": [
        (
            "flush",
            "本清单为《{{ word }}决定书》（{{ decision_number }}）的组成部分（《中华人民共和国行政强制法》第二十四条第一款）。",
        ),
        ("flush", "当事人：" + PARTY_NAMES),
        ("flush", "{{ word }}地点：{{ spot }}　{{ word }}时间：{{ carried_out_at }}"),
        *ITEMS,
        (
            "p",
            "以上{{ word }}的场所、设施或者财物共{{ items|length }}项，经当事人（见证人）核对无误。",
        ),
        ("flush", "当事人（签名或者盖章）：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿"),
        ("flush", "见证人（签名或者盖章）：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿"),
        ("flush", "执法人员（签名）：" + OFFICERS),
        *ISSUER,
    ],
    "measure_record": [
        ("row", "案由\t{{ cause }}（{{ case_no }}）"),
        (
            "row",
            "措施\t{{ word }}{% if emergency %}（情况紧急，当场实施：{{ emergency_reason }}）{% endif %}",
        ),
        ("row", "时间\t{{ carried_out_at }}"),
        ("row", "地点\t{{ spot }}"),
        ("row", "执法人员及执法证号\t" + OFFICERS),
        ("row", "当事人\t{% for x in parties %}{{ x.name }}，{{ x.address }}；{% endfor %}"),
        ("row", "见证人\t{{ witness }}"),
        (
            "flush",
            "依据《中华人民共和国行政强制法》第十八条的规定，本机关执法人员实施{{ word }}，现场情况如下：",
        ),
        ("raw", "{%p for line in on_site_lines %}"),
        ("p", "{{ loop.index }}．{{ line }}；"),
        ("raw", "{%p endfor %}"),
        ("p", "{{ word }}的理由：{{ reason }}。依据：{{ basis }}。"),
        *ITEMS,
        ("flush", "以上笔录已经当事人（见证人）核对，与现场情况一致。"),
        ("flush", "当事人（签名）：＿＿＿＿＿＿＿＿　见证人（签名）：＿＿＿＿＿＿＿＿"),
        ("flush", "执法人员（签名）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿"),
    ],
    "freeze_notice": [
        ("flush", "{{ banks }}："),
        (
            "p",
            "本机关在办理{% if matter_name %}{{ matter_name }}一案{% else %}案件{% endif %}（{{ case_no }}）中，{{ reason }}。依据{{ basis }}和《中华人民共和国行政强制法》第二十九条、第三十条的规定，请你单位协助冻结"
            + PARTY_NAMES
            + "在你单位开立的下列账户中的存款、汇款，共计{{ total }}：",
        ),
        *ITEMS,
        (
            "p",
            "冻结期限为{{ period_days }}日，自{{ carried_out_on }}起至{{ due_on }}止（{{ period_citation }}）。金融机构接到本通知书后，应当立即予以冻结，不得拖延，不得在冻结前向当事人泄露信息（《中华人民共和国行政强制法》第三十条第二款）。",
        ),
        ("p", "执法人员：" + OFFICERS + "。"),
        *ISSUER,
    ],
    "freeze_decision": [
        *PARTIES,
        ("p", "经查，{{ reason }}。"),
        (
            "p",
            "依据{{ basis }}和《中华人民共和国行政强制法》第二十九条、第三十条、第三十一条的规定，本机关决定冻结你（单位）的下列存款、汇款，共计{{ total }}：",
        ),
        *ITEMS,
        (
            "p",
            "冻结期限为{{ period_days }}日，自{{ carried_out_on }}起至{{ due_on }}止。情况复杂的，经本机关负责人批准，可以延长，但延长期限不得超过{{ extension_days_max }}日（{{ period_citation }}）。",
        ),
        *MEASURE_REMEDIES,
        *ISSUER,
    ],
    "measure_extension": [
        *PARTIES,
        (
            "p",
            "本机关于{{ carried_out_on }}{% if decision_number %}（{{ decision_number }}）{% endif %}对你（单位）采取了{{ word }}措施，期限至{{ extended_from }}届满。",
        ),
        (
            "p",
            "因{{ extension_reason }}，情况复杂，经本机关负责人批准，依据{{ extension_citation }}的规定，决定将{{ word }}期限延长{{ extension_days }}日，延长后的期限至{{ extended_until }}止。特此书面告知并说明理由。",
        ),
        (
            "p",
            "如不服本决定，{{ reconsideration_route }}，复议机关为{{ reconsideration_body }}；也{{ litigation_route }}。",
        ),
        *ISSUER,
    ],
    "measure_lift": [
        *PARTIES,
        (
            "p",
            "本机关于{{ carried_out_on }}{% if decision_number %}以《{{ word }}决定书》（{{ decision_number }}）{% endif %}对你（单位）的下列场所、设施或者财物采取了{{ word }}措施：",
        ),
        *ITEMS,
        (
            "p",
            "因{{ lift_ground }}（{{ lift_reason }}），依据《中华人民共和国行政强制法》第二十八条的规定，本机关决定自{{ lifted_on }}起解除{{ word }}，并立即退还财物（第二十八条第二款）。",
        ),
        *ISSUER,
    ],
    "unfreeze_notice": [
        ("flush", "{{ banks }}、" + PARTY_NAMES + "："),
        (
            "p",
            "本机关于{{ carried_out_on }}{% if decision_number %}以《冻结决定书》（{{ decision_number }}）{% endif %}冻结的下列存款、汇款，共计{{ total }}：",
        ),
        *ITEMS,
        (
            "p",
            "因{{ lift_ground }}（{{ lift_reason }}），依据《中华人民共和国行政强制法》第三十三条的规定，本机关决定自{{ lifted_on }}起解除冻结。金融机构接到本通知书后，应当立即解除冻结。",
        ),
        *ISSUER,
    ],
}

# 行政强制执行: the documents of one enforcement record (documents/enforcement_content.py).
DECISION_REF: Spec = [
    (
        "p",
        "本机关于{{ decided_on }}对你（单位）作出《行政处罚决定书》（{{ decision_number }}），决定{{ penalties }}{% if performance %}（{{ performance }}）{% endif %}，该决定书已于{{ delivered_on }}送达{% if payment_due %}，缴纳期限至{{ payment_due }}届满{% endif %}。你（单位）在决定的期限内未履行义务。",
    ),
]
ENFORCEMENT_SPECS: dict[str, Spec] = {
    "enforcement_notice": [
        *PARTIES,
        *DECISION_REF,
        (
            "p",
            "依据《中华人民共和国行政强制法》第三十四条、第三十五条的规定，现催告你（单位）履行下列{% if money %}金钱给付义务（罚款、加处罚款）{% else %}行为义务（{{ act }}）{% endif %}：",
        ),
        ("p", "一、履行期限：请于{{ term_ends }}前履行（第三十五条第一项）。"),
        ("p", "二、履行方式：{{ manner }}（第三十五条第二项）。"),
        (
            "p",
            "三、金钱给付：{% if money %}应缴纳{{ amount }}，给付方式：{{ manner }}{% if surcharge %}；其中截至本催告书作出之日，依据《中华人民共和国行政处罚法》第七十二条第一款第一项每日按罚款数额的百分之三加处罚款{{ surcharge }}（{{ surcharge_days }}日），加处罚款的数额不超过罚款数额（《中华人民共和国行政强制法》第四十五条）{% endif %}{% else %}本催告书催告履行行为义务，不涉及金钱给付{% if fine %}；处罚决定的罚款另行催告{% endif %}{% endif %}（第三十五条第三项）。",
        ),
        (
            "p",
            "四、你（单位）依法享有陈述权和申辩权，可以在收到本催告书后向本机关提出陈述、申辩；本机关将充分听取你（单位）的意见，对提出的事实、理由和证据进行记录、复核，理由成立的予以采纳（第三十五条第四项、第三十六条）。",
        ),
        (
            "p",
            "逾期仍不履行的，本机关将依法{% if power_basis %}强制执行（{{ power_basis }}）{% else %}申请人民法院强制执行（《中华人民共和国行政强制法》第五十三条、第五十四条）{% endif %}。",
        ),
        *ISSUER,
    ],
    "enforcement_decision": [
        *PARTIES,
        *DECISION_REF,
        (
            "p",
            "{% if immediate %}在催告期间，有证据证明你（单位）有转移或者隐匿财物迹象，依据《中华人民共和国行政强制法》第三十七条第三款，本机关决定立即强制执行。{% else %}本机关已于{{ notice_served_on }}向你（单位）送达《催告书》{% if notice_number %}（{{ notice_number }}）{% endif %}，催告期限至{{ notice_term_ends }}届满，你（单位）经催告仍未履行。{% endif %}",
        ),
        (
            "p",
            "强制执行的理由和依据：{{ reason }}；依据{% if power_basis %}{{ power_basis }}和{% endif %}《中华人民共和国行政强制法》第十三条、第三十七条的规定（第三十七条第二款第二项）。",
        ),
        (
            "p",
            "强制执行的方式和时间：本机关决定以{{ manner }}的方式，于{{ planned_on }}强制执行（第三十七条第二款第三项）{% if owed %}，执行标的为罚款及加处罚款共计{{ owed }}{% elif not money and act %}，执行标的为当事人经催告仍未履行的行为义务：{{ act }}{% endif %}。",
        ),
        (
            "p",
            "如不服本决定，{{ reconsideration_route }}，复议机关为{{ reconsideration_body }}；也{{ litigation_route }}（第三十七条第二款第四项）。",
        ),
        *ISSUER,
    ],
    "substitute_decision": [
        *PARTIES,
        *DECISION_REF,
        (
            "p",
            "代履行的理由和依据：{{ reason }}。你（单位）经催告仍不履行，其后果已经或者将危害交通安全、造成环境污染或者破坏自然资源，依据《中华人民共和国行政强制法》第五十条、第五十一条的规定，本机关决定代履行。",
        ),
        ("row", "代履行的标的\t{{ object }}"),
        ("row", "代履行的方式\t{{ manner }}"),
        ("row", "代履行的时间\t{{ planned_on }}"),
        ("row", "代履行人\t{{ performer }}"),
        ("row", "费用预算\t{{ budget }}"),
        (
            "p",
            "代履行三日前，本机关将催告你（单位）履行，你（单位）履行的，停止代履行（第五十一条第一款第二项）。代履行时，本机关派员到场监督；代履行完毕，执法人员、代履行人和当事人或者见证人应当在执行文书上签名或者盖章（第五十一条第一款第三项）。代履行的费用按照成本合理确定，由你（单位）承担（第五十一条第二款）。",
        ),
        *REMEDIES,
        *ISSUER,
    ],
    "substitute_notice": [
        *PARTIES,
        (
            "p",
            "本机关已作出《代履行决定书》（{{ substitute_number }}），决定于{{ planned_on }}对{{ object }}以{{ manner }}的方式代履行，代履行人为{{ performer }}，费用预算{{ budget }}。",
        ),
        (
            "p",
            "依据《中华人民共和国行政强制法》第五十一条第一款第二项的规定，现催告你（单位）在代履行前自行履行上述义务。本催告书应当于代履行三日前（不迟于{{ notice_by }}）送达（期间按工作日计算，第六十九条）。你（单位）在{{ planned_on }}前自行履行的，停止代履行；逾期不履行的，本机关将依法代履行，代履行的费用由你（单位）承担（第五十一条第二款）。",
        ),
        *ISSUER,
    ],
    "enforcement_agreement": [
        ("flush", "甲方（行政机关）：{{ unit_name }}"),
        ("raw", "{%p for party in parties %}"),
        (
            "flush",
            "乙方（当事人）：{{ party.name }}（{{ party.id_label }}：{{ party.id_number }}；{% if party.is_person %}住址{% else %}住所{% endif %}：{{ party.address }}）",
        ),
        ("raw", "{%p endfor %}"),
        *DECISION_REF,
        (
            "p",
            "在不损害公共利益和他人合法权益的情况下，依据《中华人民共和国行政强制法》第四十二条第一款的规定，甲乙双方达成执行协议如下：",
        ),
        (
            "p",
            "一、乙方按下列阶段分期履行{% if owed %}（罚款及截至本协议订立之日的加处罚款共计{{ owed }}）{% endif %}：",
        ),
        ("raw", "{%p for s in stages %}"),
        ("p", "第{{ s.n }}阶段：{{ s.due }}前履行{{ s.amount }}；"),
        ("raw", "{%p endfor %}"),
        (
            "p",
            "二、{% if waived %}乙方已采取补救措施，甲方减免加处的罚款{{ waived }}{% else %}加处的罚款不予减免{% endif %}（第四十二条第一款）。",
        ),
        ("p", "三、执行协议应当履行。乙方不履行执行协议的，甲方恢复强制执行（第四十二条第二款）。"),
        ("flush", "甲方（印章）：＿＿＿＿＿＿＿＿　　乙方（签名或者盖章）：＿＿＿＿＿＿＿＿"),
        *ISSUER,
    ],
    "suspension_decision": [
        *PARTIES,
        *DECISION_REF,
        (
            "p",
            "本机关在强制执行过程中，因{{ ground }}（{{ reason }}），依据《中华人民共和国行政强制法》第三十九条第一款的规定，决定自{{ on }}起中止执行。",
        ),
        (
            "p",
            "中止执行的情形消失后，本机关将恢复执行。对没有明显社会危害，当事人确无能力履行，中止执行满三年未恢复执行的，本机关不再执行（第三十九条第二款）{% if alarm_on %}；中止执行满三年之日为{{ alarm_on }}{% endif %}。",
        ),
        *ISSUER,
    ],
    "termination_decision": [
        *PARTIES,
        *DECISION_REF,
        (
            "p",
            "本机关在强制执行过程中，因{{ ground }}（{{ reason }}），依据《中华人民共和国行政强制法》第四十条的规定，决定自{{ on }}起终结执行。",
        ),
        *ISSUER,
    ],
    "immediate_substitute_notice": [
        *PARTIES,
        *DECISION_REF,
        (
            "p",
            "{{ substitute_decided_on }}，本机关发现{{ immediate_place }}上有你（单位）的{{ immediate_object }}{% if situation %}（{{ situation }}）{% endif %}，需要立即清除。{% if absent %}因你（单位）不在场{% else %}因你（单位）不能清除{% endif %}，依据《中华人民共和国行政强制法》第五十二条的规定，本机关决定立即实施代履行，并于{{ carried_on }}清除完毕。",
        ),
        (
            "p",
            "{% if absent %}依据该条规定，现将立即代履行的情况通知你（单位）。{% else %}现将立即代履行的情况告知你（单位）。{% endif %}代履行的费用按照成本合理确定，由你（单位）承担（第五十一条第二款）{% if cost %}，经核定为{{ cost }}，本机关将另行送达《代履行费用缴纳通知书》{% endif %}。",
        ),
        *REMEDIES,
        *ISSUER,
    ],
    "substitute_cost_notice": [
        *PARTIES,
        (
            "p",
            "{% if immediate %}本机关依据《中华人民共和国行政强制法》第五十二条，于{{ carried_on }}立即代履行清除了{{ object }}。{% else %}本机关依据《代履行决定书》{% if substitute_number %}（{{ substitute_number }}）{% endif %}，于{{ carried_on }}对{{ object }}以{{ manner }}的方式实施了代履行{% if performer %}，代履行人为{{ performer }}{% endif %}{% if budget %}，费用预算{{ budget }}{% endif %}。{% endif %}",
        ),
        (
            "p",
            "依据《中华人民共和国行政强制法》第五十一条第二款的规定，代履行的费用按照成本合理确定，由当事人承担。经核定，本次代履行的费用为{{ cost }}。请你（单位）于{{ cost_term_ends }}前到本机关指定的银行缴纳。",
        ),
        *REMEDIES,
        *ISSUER,
    ],
    "reversal_decision": [
        *PARTIES,
        (
            "p",
            "本机关于{{ decided_on }}对你（单位）作出《行政处罚决定书》（{{ decision_number }}），决定{{ penalties }}，并{% if completed_on %}于{{ completed_on }}{% endif %}以{{ route }}的方式执行完毕。",
        ),
        (
            "p",
            "因{{ cause }}（{{ reason }}），依据《中华人民共和国行政强制法》第四十一条的规定，本机关决定执行回转：{% if compensate %}已执行的财物无法恢复原状或者退还，依法给予赔偿{% else %}对已执行的部分{{ remedy }}{% endif %}。",
        ),
        *REMEDIES,
        *ISSUER,
    ],
    "court_application": [
        ("flush", "{{ court }}："),
        ("flush", "申请人：{{ unit_name }}"),
        ("flush", "行政机关负责人：{{ head_user }}"),
        ("raw", "{%p for party in parties %}"),
        ("flush", "被申请人：{{ party.name }}"),
        ("flush", "{{ party.id_label }}：{{ party.id_number }}"),
        ("flush", "{% if party.is_person %}住址{% else %}住所{% endif %}：{{ party.address }}"),
        ("raw", "{%p endfor %}"),
        ("h", "申请事项"),
        (
            "p",
            "请求人民法院依法强制执行《行政处罚决定书》（{{ decision_number }}）确定的义务：{{ penalties }}{% if owed %}，连同截至申请之日的加处罚款，共计{{ owed }}{% endif %}。",
        ),
        ("h", "事实和理由"),
        (
            "p",
            "一、行政决定及作出决定的事实、理由和依据：本机关于{{ decided_on }}作出《行政处罚决定书》（{{ decision_number }}）。经查，{{ facts }}。依据{{ decision_basis }}，决定{{ penalties }}。该决定书已于{{ delivered_on }}送达被申请人{% if payment_due %}，缴纳期限至{{ payment_due }}届满{% endif %}。被申请人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定（《中华人民共和国行政强制法》第五十三条）。",
        ),
        (
            "p",
            "二、当事人的意见及行政机关催告情况：本机关于{{ notice_issued_on }}作出《催告书》（{{ notice_number }}），于{{ notice_served_on }}送达被申请人，催告其于{{ notice_term_ends }}前履行。被申请人的陈述、申辩：{{ statement }}。{% if review_opinion %}本机关复核意见：{{ review_opinion }}。{% endif %}催告书送达十日后被申请人仍未履行（第五十四条）。",
        ),
        (
            "p",
            "三、申请强制执行标的情况：{% if owed %}罚款{{ fine }}{% if surcharge %}，加处罚款{{ surcharge }}（{{ surcharge_days }}日，每日按罚款数额的百分之三，不超过罚款数额），{% else %}，{% endif %}合计{{ owed }}{% else %}{{ penalties }}{% endif %}。",
        ),
        (
            "p",
            "依据《中华人民共和国行政强制法》第五十三条、第五十四条、第五十五条的规定，特申请人民法院强制执行。",
        ),
        ("h", "附：申请材料（第五十五条第一款）"),
        ("raw", "{%p for m in materials %}"),
        ("p", "{{ loop.index }}．{{ m }}；"),
        ("raw", "{%p endfor %}"),
        ("flush", "行政机关负责人（签名）：{{ head_user }}"),
        *ISSUER,
    ],
}

SPECS: dict[str, Spec] = {
    "filing_form": [
        ("row", "案件名称\t{{ matter_name }}"),
        ("row", "立案编号\t{{ case_no }}"),
        ("row", "案件来源\t{{ source }}（发现日期：{{ discovered_on }}）"),
        (
            "row",
            "当事人\t{% for x in parties %}{{ x.name }}（{{ x.kind }}，{{ x.id_label }}："
            "{{ x.id_number }}；{{ x.address }}）{% if not loop.last %}；{% endif %}{% endfor %}",
        ),
        ("row", "违法行为发生时间、地点\t{{ act_on }}　{{ place }}"),
        ("row", "案源线索\t{{ clue }}"),
        ("row", "立案依据及简要案情\t{{ summary }}（涉嫌违反：{{ matter_basis }}）"),
        ("row", "重大复杂案件\t{{ complex }}"),
        (
            "row",
            "承办人意见\t建议立案查处。承办人：{{ handler.name }}（{{ handler.certificate }}）　{{ co_handler.name }}（{{ co_handler.certificate }}）　{{ request.on }}",
        ),
        ("row", "审核意见\t{{ review.opinion }}　审核人：{{ review.actor }}　{{ review.on }}"),
        (
            "row",
            "审批意见\t{{ approval.opinion }}　审批人：{{ approval.actor }}　{{ approval.on }}",
        ),
        ("row", "立案日期\t{{ filed_on }}"),
    ],
    "inquiry_record": RECORD,
    "inspection_record": RECORD,
    "investigation_report": [
        ("flush", "案件名称：{{ matter_name }}　立案编号：{{ case_no }}"),
        ("h", "一、当事人基本情况"),
        ("raw", "{%p for x in parties %}"),
        ("p", "{{ x.name }}，{{ x.kind }}，{{ x.id_label }}：{{ x.id_number }}，{{ x.address }}。"),
        ("raw", "{%p endfor %}"),
        ("h", "二、调查认定的违法事实"),
        ("p", "{{ facts }}。"),
        ("h", "三、证据"),
        *EVIDENCE,
        ("h", "四、法律依据"),
        ("p", "{{ basis }}"),
        ("h", "五、处理意见"),
        *PROPOSALS,
        ("right", "承办人：{{ handler.name }}　{{ co_handler.name }}　{{ entry_on }}"),
    ],
    "legal_review_opinion": [
        ("flush", "案件名称：{{ matter_name }}　立案编号：{{ case_no }}"),
        (
            "p",
            "根据《中华人民共和国行政处罚法》第五十八条的规定，本机关对本案拟作出的行政处罚决定进行了法制审核，现提出审核意见如下：",
        ),
        ("h", "一、案件基本情况"),
        ("p", "{{ facts }}。"),
        ("h", "二、拟处理意见"),
        *PROPOSALS,
        ("p", "处罚依据：{{ basis }}"),
        ("h", "三、审核意见"),
        ("p", "审核结论：{{ conclusion }}。{{ opinion }}"),
        ("right", "法制审核人员：{{ reviewer }}　{{ entry_on }}"),
        *ISSUER,
    ],
    "penalty_notice": [
        ("flush", "{{ party.name }}："),
        ("p", "经调查，{{ facts }}。"),
        *EVIDENCE,
        ("p", "依据{{ basis }}的规定，本机关拟对你（单位）作出如下行政处罚：{{ penalties }}。"),
        (
            "p",
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利，"
            "可以在{{ window_end }}前向本机关提出陈述、申辩意见；逾期未提出的，视为放弃陈述、申辩权利。",
        ),
        ("raw", "{%p if hearing_right %}"),
        (
            "p",
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证。"
            "要求听证的，应当在本机关告知后{{ window_days }}日内（“{{ window_days }}日”为工作日，"
            "即于{{ window_end }}前）提出（{{ hearing_citation }}）；逾期未提出的，视为放弃听证权利。",
        ),
        ("raw", "{%p endif %}"),
        (
            "p",
            "你（单位）也可以于{{ window_end }}前（含当日）登录{{ response_url }}，凭查询码{{ response_code }}"
            "和你（单位）证件号码的后六位，在线提交{{ response_what }}。",
        ),
        ("p", "本告知书送达日期：{{ served_on }}。"),
        ("p", "联系人：{{ handler.name }}、{{ co_handler.name }}。"),
        *ISSUER,
    ],
    "hearing_notice": [
        ("flush", "{{ party.name }}："),
        (
            "p",
            "你（单位）于{{ requested_on }}对本机关拟作出的行政处罚（{{ penalties }}）提出听证要求。"
            "根据《中华人民共和国行政处罚法》第六十四条的规定，本机关决定于{{ held_on }}在{{ hearing_place }}"
            "举行听证，听证主持人为{{ chair }}。",
        ),
        ("p", "除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行。"),
        (
            "p",
            "你（单位）可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避。",
        ),
        ("p", "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。"),
        ("p", "本通知书送达日期：{{ notified_on }}。"),
        *ISSUER,
    ],
    "hearing_record": [
        ("row", "案由\t{{ matter_name }}（{{ case_no }}）"),
        ("row", "听证时间\t{{ held_on }}"),
        ("row", "听证地点\t{{ hearing_place }}"),
        ("row", "听证主持人\t{{ chair }}"),
        ("row", "案件调查人员\t{{ handler.name }}、{{ co_handler.name }}"),
        ("row", "当事人\t{{ party.name }}，{{ party.address }}"),
        ("row", "拟作出的处罚\t{{ penalties }}"),
        ("p", "{{ record }}"),
        (
            "flush",
            "当事人（签名）：＿＿＿＿＿＿　主持人（签名）：＿＿＿＿＿＿　记录人（签名）：＿＿＿＿＿＿",
        ),
    ],
    "decision": [
        *PARTY,
        ("p", "当事人{{ party.name }}{{ matter_name }}一案，本机关依法立案调查，现已调查终结。"),
        ("h", "一、违法事实和证据"),
        ("p", "{{ facts }}。"),
        *EVIDENCE,
        ("h", "二、行政处罚的种类和依据"),
        ("p", "依据{{ basis }}的规定，本机关决定对当事人作出如下行政处罚：{{ penalties }}。"),
        ("h", "三、行政处罚的履行方式和期限"),
        (
            "p",
            "{{ performance }}。当事人应当自收到本决定书之日起{{ payment_days }}日内缴纳罚款"
            "（{{ payment_citation }}）{% if payment_due %}，缴款期限至{{ payment_due }}{% endif %}。"
            "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款（《中华人民共和国行政处罚法》第七十二条）。",
        ),
        ("h", "四、申请行政复议或者提起行政诉讼的途径和期限"),
        *REMEDIES,
        ("p", "{{ non_suspension }}。"),
        *ISSUER,
    ],
    "no_penalty_decision": [
        *PARTY,
        ("p", "当事人{{ party.name }}{{ matter_name }}一案，本机关依法立案调查，现已调查终结。"),
        ("h", "一、查明的事实和证据"),
        ("p", "{{ facts }}。"),
        *EVIDENCE,
        ("h", "二、不予行政处罚的理由和依据"),
        ("p", "{{ reason }}"),
        ("p", "依据{{ basis }}的规定，本机关决定对当事人不予行政处罚。"),
        ("h", "三、申请行政复议或者提起行政诉讼的途径和期限"),
        *REMEDIES,
        *ISSUER,
    ],
    "delivery_receipt": [
        ("row", "送达文书名称及文号\t《{{ served_title }}》（{{ served_number }}）"),
        ("row", "受送达人\t{{ party.name }}"),
        ("row", "送达地点\t{{ delivery_place }}"),
        ("row", "送达方式\t{{ method }}"),
        ("row", "送达日期\t{{ delivered_on }}"),
        ("row", "收件人（签名）\t{{ receiver }}"),
        ("row", "见证人\t{{ witness }}"),
        (
            "row",
            "送达人\t{{ handler.name }}（执法证号：{{ handler.certificate }}）、{{ co_handler.name }}（执法证号：{{ co_handler.certificate }}）",
        ),
        ("row", "备注\t{% if witness %}受送达人拒绝签收，已在见证人见证下留置送达。{% endif %}"),
        *ISSUER,
    ],
    "closing_report": [
        ("row", "案件名称\t{{ matter_name }}"),
        ("row", "立案编号\t{{ case_no }}"),
        ("row", "立案日期\t{{ filed_on }}"),
        (
            "row",
            "当事人\t{% for x in parties %}{{ x.name }}（{{ x.id_label }}：{{ x.id_number }}）{% if not loop.last %}；{% endif %}{% endfor %}",
        ),
        ("row", "违法事实\t{{ facts }}"),
        ("row", "处理结果\t{{ outcome }}"),
        (
            "row",
            "决定及执行情况\t{% for d in decisions %}{{ d.party }}：《{{ d.title }}》{{ d.number }}，{{ d.penalties }}；送达日期{{ d.delivered_on }}；{{ d.execution }}{% if not loop.last %}；{% endif %}{% endfor %}",
        ),
        ("row", "承办人\t{{ handler.name }}、{{ co_handler.name }}"),
        ("row", "结案审批意见\t{{ opinion }}　审批人：{{ approver }}　{{ entry_on }}"),
        ("row", "结案日期\t{{ closed_on }}"),
    ],
    "on_spot_decision": [
        *PARTY,
        ("p", "违法行为：{{ facts }}。"),
        ("p", "时间：{{ decided_at }}；地点：{{ spot }}。"),
        (
            "p",
            "依据{{ basis }}的规定，根据《中华人民共和国行政处罚法》第五十一条、第五十二条的规定，当场作出如下行政处罚：{{ penalties }}。",
        ),
        ("p", "履行方式和期限：{{ performance }}（{{ payment_citation }}）。"),
        *REMEDIES,
        ("p", "{{ non_suspension }}。"),
        (
            "flush",
            "执法人员（签名）：{% for o in officers %}{{ o.name }}（执法证号：{{ o.certificate }}）"
            "{% if not loop.last %}、{% endif %}{% endfor %}",
        ),
        ("flush", "当事人（签名）：＿＿＿＿＿＿"),
        *ISSUER,
    ],
    **MEASURE_SPECS,
    **ENFORCEMENT_SPECS,
}


def _font(run: Run, east_asian: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def build(kind: str, spec: Spec) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    def para(
        text: str,
        east_asian: str,
        size: float,
        *,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = False,
    ) -> Paragraph:
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(28)
        if align is not None:
            p.alignment = align
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        _font(p.add_run(text), east_asian, size, bold)
        return p

    para("{{ unit_name }}", "宋体", 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("{{ title }}", "宋体", 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("{{ number }}", "仿宋", 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    table: Table | None = None
    for style, text in spec:
        if style == "row":
            label, value = text.split("\t", 1)
            if table is None:
                table = doc.add_table(rows=0, cols=2)
                table.style = "Table Grid"
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(38), Mm(118)
            for cell, content, font in ((cells[0], label, "黑体"), (cells[1], value, "仿宋")):
                cell_para = cell.paragraphs[0]
                cell_para.paragraph_format.line_spacing = Pt(20)
                _font(cell_para.add_run(content), font, 12)
            continue
        table = None
        if style == "raw":
            doc.add_paragraph(text)
        elif style == "h":
            para(text, "黑体", 16, indent=True)
        elif style == "p":
            para(text, "仿宋", 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        elif style == "right":
            para(text, "仿宋", 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
        else:
            para(text, "仿宋", 16)
    qr = para("{{ qr }}", "仿宋", 10.5)
    qr.paragraph_format.line_spacing = 1.0  # the image needs more than the fixed 28pt line
    para(
        "核验码：{{ code }}　扫描二维码或访问 {{ verify_url }} 核验本文书与办案记录是否一致。",
        "仿宋",
        10.5,
    )
    return doc


def main() -> None:
    for kind, spec in SPECS.items():
        build(kind, spec).save(str(HERE / f"{kind}.docx"))


if __name__ == "__main__":
    main()
