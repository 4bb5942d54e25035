"""The full demo's report up the chain (issue 16): Sở KH&CN's Quý I report approved, issued,
signed with the demo's test certificate, sent, and received by Sở Nội vụ."""

import time_machine

from partrack.reporting.models import ConsolidatedReport
from partrack.signatures import verify_pdf
from tests.conftest import client_as


@time_machine.travel("2026-04-20 10:00 +07:00", tick=False)
def test_the_demo_report_is_signed_sent_received_and_counted_on_time(db):
    from partrack.plans.demo import load_demo

    load_demo(extensions=True)
    report = ConsolidatedReport.objects.get(period__plan__agency__short_name="SKHCN")
    assert report.status == ConsolidatedReport.Status.SENT
    assert (report.symbol, f"{report.issued_on:%d/%m/%Y}") == ("45/BC-SKHCN", "08/04/2026")
    signed = report.signed_files.get()
    check = verify_pdf(signed.file.read())
    assert check.ok, check.summary  # the demo's root is trusted while the demo's CA exists
    delivery = report.deliveries.get(agency__short_name="UBND")
    assert delivery.received_by.username == "sonoivu"
    assert f"{delivery.received_at:%d/%m/%Y}" == "09/04/2026"
    assert report.files.filter(issued=True).exists()

    # Sở Nội vụ reads it in its inbox and sees Sở KH&CN's Quý I as reported on time.
    html = client_as_sonoivu().get("/van-ban-den/").content.decode()
    assert "45/BC-SKHCN" in html
    html = client_as_sonoivu().get("/tong-quan-tinh/?nam=2026&ky=q1").content.decode()
    assert 'data-agency="SKHCN"' in html
    row = html.split('data-agency="SKHCN"', 1)[1].split("</tr>", 1)[0]
    assert 'data-report="on_time"' in row


def client_as_sonoivu():
    from django.contrib.auth import get_user_model

    return client_as(get_user_model().objects.get(username="sonoivu"))
