"""A unit records a communication activity from a task's page and sees it counted there; the
figures page draws its chart beside its table under the Content-Security-Policy."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partrack.plans.models import Plan, ReportingPeriod, Task

pytestmark = pytest.mark.browser


def web_posts(text):
    found = re.search(r"(\d+) bài đăng", text)
    return int(found[1]) if found else 0


def test_a_unit_records_an_activity_and_sees_it_counted(sign_in, demo_site):
    seed = Plan.objects.get(agency__short_name="SKHCN")
    task = Task.objects.get(plan=seed, number=19)
    member = sign_in("phongcds")
    member.goto(demo_site + task.get_absolute_url())
    before = web_posts(member.inner_text("#task-activities"))
    assert before > 0  # the demo's posts on this task

    member.get_by_role("link", name="Ghi hoạt động").click()
    member.fill("#id_date", timezone.localdate().strftime("%d/%m/%Y"))
    member.select_option("#id_form", "web_post")
    member.select_option("#id_topic", "procedures")
    member.fill("#id_title", "Hướng dẫn tra cứu kết quả giải quyết TTHC")
    member.fill("#id_url", "https://skhcn.phutho.gov.vn/bai-moi")
    expect(member.locator("#id_task")).to_have_value(str(task.pk))
    member.click("#save-record")

    expect(member.locator("main")).to_contain_text("Đã lưu.")
    expect(member.locator("#records")).to_contain_text("Hướng dẫn tra cứu kết quả giải quyết TTHC")
    member.goto(demo_site + task.get_absolute_url())
    assert web_posts(member.inner_text("#task-activities")) == before + 1


def test_the_figures_page_draws_its_chart_beside_its_table(sign_in, demo_site):
    period = ReportingPeriod.objects.get(plan__agency__short_name="SKHCN", kind="h1")
    leader = sign_in("lanhdao")
    leader.goto(f"{demo_site}/ky-bao-cao/{period.pk}/so-lieu/")

    expect(leader.locator("figure.chart-figure:visible")).to_have_count(1)
    assert leader.evaluate("Boolean(Chart.getChart('attainment-chart'))")
    expect(leader.locator("#figures tbody tr")).to_have_count(10)
    expect(leader.locator("#unit-standings")).to_contain_text("Đã gửi chậm")
