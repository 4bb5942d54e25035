"""The demo fills every page of the registers and figures, with one unit late each period."""

import pytest
import time_machine

from partrack.plans.models import ReportingPeriod
from tests.conftest import demo_client

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-07-01 10:00 +07:00")
def test_no_page_of_the_demo_is_empty_and_one_unit_is_late_with_its_figures(demo):
    office = demo_client("vanphong")
    for word, at_least in [("tuyen-truyen", 19), ("sang-kien", 2), ("van-ban", 6)]:
        response = office.get(f"/ke-hoach/{demo.pk}/{word}/")
        assert response.context["total"] >= at_least, word
    history = office.get(f"/ke-hoach/{demo.pk}/so-theo-doi/lich-su/")
    assert history.context["page"].paginator.count > 27
    late = {}
    for kind in ("q1", "h1"):
        period = ReportingPeriod.objects.get(plan=demo, kind=kind)
        page = office.get(f"/ky-bao-cao/{period.pk}/so-lieu/")
        assert all(line["figure"] for line in page.context["lines"])
        late[kind] = [u.short_name for u, s, _r in page.context["standings"] if s.code == "late"]
    assert late == {"q1": ["BPMC"], "h1": ["KHTC"]}
    todo = demo_client("phongkhtc").get("/can-lam/").content.decode()
    assert "Nhập số liệu chỉ tiêu kỳ Quý III 2026" in todo
