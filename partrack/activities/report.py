"""The consolidated report's sections on communication, initiatives, documents and figures.

Registered with reporting.sections from ActivitiesConfig.ready(). Each count covers the period's
data window up to the report's day (`data.as_of`): what was done from `starts_on` to then.
"""

from decimal import Decimal

from django.db.models import Count

from partrack.activities.models import (
    Form,
    Initiative,
    LegalDocument,
    Topic,
    activity_counts,
    figures_with_entries,
    form_summary,
)
from partrack.documents.report_data import ExtraSection

# How a level reads in a sentence: "2 sáng kiến được công nhận (1 cấp cơ sở, 1 cấp tỉnh)".
LEVEL_WORDS = {"agency": "cấp cơ sở", "province": "cấp tỉnh", "national": "cấp toàn quốc"}


def window(period, data):
    return period.starts_on, min(period.ends_on, data.as_of)


def number(value):
    """12 → "12"; 12.5 → "12,5" (Vietnamese decimal comma)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",")


def report_sections(period, data):
    first, last = window(period, data)
    plan_id = period.plan_id
    days = f"từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"
    return [
        communication_section(plan_id, first, last, days),
        initiatives_section(plan_id, first, last, days),
        documents_section(plan_id, first, last, days),
        figures_section(period),
    ]


def communication_section(plan_id, first, last, days):
    counts = activity_counts(plan_id, first, last)
    if counts["total"]:
        text = (
            f"Trong kỳ ({days}), các đơn vị đã tổ chức {counts['total']} hoạt động tuyên truyền "
            f"cải cách hành chính ({form_summary(counts['forms'])}), với "
            f"{counts['participants']} lượt người tham dự."
        )
    else:
        text = f"Trong kỳ ({days}), chưa ghi nhận hoạt động tuyên truyền nào."
    rows = [
        [n, str(label), counts["forms"][code]]
        for n, (code, label) in enumerate(Form.choices, start=1)
    ]
    rows += [
        [len(rows) + n, f"Nội dung: {label}", counts["topics"][code]]
        for n, (code, label) in enumerate(Topic.choices, start=1)
    ]
    rows.append(["", "Tổng số hoạt động", counts["total"]])
    rows.append(["", "Số lượt người tham dự", counts["participants"]])
    return ExtraSection(
        key="communication",
        heading="Kết quả công tác thông tin, tuyên truyền trong kỳ",
        part="direction",
        paragraphs=[text],
        headers=["STT", "Hình thức / nội dung", "Số lượng"],
        rows=rows,
        sheet="Tuyên truyền",
    )


def initiatives_section(plan_id, first, last, days):
    initiatives = list(
        Initiative.objects.filter(plan_id=plan_id)
        .within(first, last)
        .select_related("unit")
        .order_by("date", "pk")
    )
    levels = {code: str(label) for code, label in Initiative.Level.choices}
    by_level = {}
    for item in initiatives:
        by_level[item.level] = by_level.get(item.level, 0) + 1
    if initiatives:
        detail = ", ".join(f"{n} {LEVEL_WORDS[code]}" for code, n in by_level.items())
        text = f"Trong kỳ ({days}), có {len(initiatives)} sáng kiến được công nhận ({detail})."
    else:
        text = f"Trong kỳ ({days}), chưa có sáng kiến nào được công nhận."
    rows = [
        [
            n,
            item.title,
            item.authors,
            item.unit.name,
            f"{item.decision_number} ngày {item.date:%d/%m/%Y}",
            levels[item.level],
            item.applied_where,
        ]
        for n, item in enumerate(initiatives, start=1)
    ]
    return ExtraSection(
        key="initiatives",
        heading="Sáng kiến, giải pháp mới được công nhận trong kỳ",
        part="direction",
        paragraphs=[text],
        headers=[
            "STT",
            "Tên sáng kiến",
            "Tác giả",
            "Đơn vị",
            "Quyết định công nhận",
            "Cấp",
            "Phạm vi áp dụng",
        ]
        if rows
        else [],
        rows=rows,
        sheet="Sáng kiến",
    )


def documents_section(plan_id, first, last, days):
    documents = LegalDocument.objects.filter(plan_id=plan_id).within(first, last)
    counts = {
        (action, kind): n
        for action, kind, n in documents.order_by()
        .values_list("action", "kind")
        .annotate(n=Count("pk"))
    }
    total = sum(counts.values())
    rows = []
    for n, (action, label) in enumerate(LegalDocument.Action.choices, start=1):
        legal = counts.get((action, LegalDocument.Kind.LEGAL), 0)
        administrative = counts.get((action, LegalDocument.Kind.ADMINISTRATIVE), 0)
        rows.append([n, str(label), legal, administrative, legal + administrative])
    if total:
        done = "; ".join(
            f"{row[1].lower()} {row[4]} văn bản"
            + (f" ({row[2]} văn bản quy phạm pháp luật)" if row[2] else "")
            for row in rows
            if row[4]
        )
        text = f"Trong kỳ ({days}), công tác văn bản: {done}; tổng số {total} văn bản."
    else:
        text = f"Trong kỳ ({days}), chưa ghi nhận văn bản nào được rà soát, dự thảo, ban hành."
    rows.append(["", "Tổng số", *(sum(row[i] for row in rows) for i in (2, 3, 4))])
    return ExtraSection(
        key="documents",
        heading="Công tác xây dựng, rà soát, ban hành và phổ biến văn bản trong kỳ",
        part="direction",
        paragraphs=[text],
        headers=["STT", "Công việc", "Văn bản QPPL", "Văn bản hành chính", "Tổng số"],
        rows=rows,
        sheet="Văn bản",
    )


def attainment_text(indicator, value):
    percent, met = indicator.attainment(value)
    if met is None:
        return ""
    if percent is not None:
        return f"{number(percent)}% ({'đạt' if met else 'chưa đạt'})"
    return "Đạt" if met else "Chưa đạt"


def figures_section(period):
    entries = figures_with_entries(period.plan_id, period)
    rows = []
    for n, (indicator, figure) in enumerate(entries, start=1):
        value = None if figure is None else figure.value
        rows.append(
            [
                n,
                indicator.code,
                indicator.name,
                indicator.measure,
                number(indicator.target),
                "Chưa có số liệu" if value is None else number(value),
                attainment_text(indicator, value),
                indicator.unit.name,
            ]
        )
    entered = sum(1 for _i, figure in entries if figure is not None)
    text = (
        f"Số liệu {len(entries)} chỉ tiêu của kỳ ({entered} chỉ tiêu đã có số liệu):"
        if entries
        else "Kế hoạch chưa có chỉ tiêu số liệu."
    )
    return ExtraSection(
        key="figures",
        heading="Số liệu các chỉ tiêu cải cách hành chính",
        part="assessment",
        paragraphs=[text],
        headers=[
            "STT",
            "Mã",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Chỉ tiêu kế hoạch",
            "Kết quả kỳ",
            "Tỷ lệ đạt",
            "Đơn vị",
        ]
        if entries
        else [],
        rows=rows,
        sheet="Chỉ tiêu",
    )
