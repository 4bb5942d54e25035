"""The demo's report up the chain (issue 16): Sở KH&CN's Quý I report, approved by its leader,
issued, signed with the demo's test certificate, sent, and received by Sở Nội vụ."""

from datetime import date

from partrack.documents.report_docx import (
    consolidated_report_docx,
    consolidated_report_xlsx,
    tasks_csv,
)
from partrack.plans.demo import aware
from partrack.reporting import approval, consolidation, dispatch, retention
from partrack.reporting.assembly import report_data
from partrack.reporting.models import ReportFile

SYMBOL = "45/BC-SKHCN"
ISSUED_ON = date(2026, 4, 8)


def load_chain_demo(*, plan, people):
    # Imported here: signing needs pyHanko and the demo's certificate, made on first use.
    from partrack.signatures_demo import demo_pdf, demo_sign_pdf

    office, leader = people["vanphong"], people["lanhdao"]
    q1 = plan.periods.get(kind="q1")
    q1.agency_due = date(2026, 4, 15)  # set by the office for Sở Nội vụ's date
    q1.save(update_fields=["agency_due"])
    report = consolidation.start_consolidated_report(period=q1, by=office, today=date(2026, 4, 6))
    approval.submit_for_approval(
        report=report,
        by=office,
        approvers=[leader],
        comment="Kính trình Phó Giám đốc xem xét, duyệt.",
        now=aware(date(2026, 4, 6)),
    )
    approval.approve(report=report, by=leader, comment="Đồng ý.", now=aware(date(2026, 4, 7)))
    approval.issue(
        report=report, by=office, symbol=SYMBOL, issued_on=ISSUED_ON, now=aware(ISSUED_ON)
    )
    # The issued version's files, without LibreOffice's PDF (seconds the demo need not spend).
    data = report_data(report, today=ISSUED_ON)
    files = consolidation.store_report_files(
        report=report,
        by=office,
        contents={
            ReportFile.Kind.DOCX: consolidated_report_docx(data),
            ReportFile.Kind.XLSX: consolidated_report_xlsx(data),
            ReportFile.Kind.CSV: tasks_csv(data).encode("utf-8"),
        },
        now=aware(ISSUED_ON),
    )
    retention.mark_issued(report=report, version=files[0].version, issued=True)
    signed = demo_sign_pdf(
        demo_pdf(
            [
                data.agency,
                f"So: {SYMBOL} - ngay {ISSUED_ON:%d/%m/%Y}",
                f"Bao cao ket qua cong tac cai cach hanh chinh {data.period_name}",
                "(Ban minh hoa cua PARtrack, ky bang chung thu thu nghiem)",
            ]
        )
    )
    approval.upload_signed(
        report=report, by=office, data=signed, name="bao-cao-quy-1.pdf", now=aware(ISSUED_ON)
    )
    addresses = {
        recipient.line: "vanthu@example.invalid"
        for recipient in dispatch.recipients_of(report)
        if recipient.by_email
    }
    deliveries = dispatch.send_report(
        report=report, by=office, addresses=addresses, now=aware(ISSUED_ON)
    )
    for delivery in deliveries:
        if delivery.agency_id == plan.agency.parent_id:
            dispatch.mark_received(
                delivery=delivery, by=people["sonoivu"], now=aware(date(2026, 4, 9))
            )
            break
