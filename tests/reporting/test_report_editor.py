"""Nothing typed in the consolidated report editor is lost on the way to its files."""

import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from partrack.documents import libreoffice
from partrack.plans.models import ReportingPeriod
from partrack.reporting.models import ConsolidatedReport
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db
DRAFTED_AT = "2026-03-18 10:00 +07:00"


@pytest.fixture
def q1(demo, monkeypatch):
    monkeypatch.setattr(libreoffice, "program", lambda: None)  # no PDF here
    return ReportingPeriod.objects.get(plan=demo, kind="q1")


def page(period, action=""):
    url = f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"
    return url + (f"{action}/" if action else "")


def form_data(client, period):
    form = client.get(page(period)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["issued_on"] = ""
    return {k: "" if v is None else v for k, v in data.items()}


@time_machine.travel(DRAFTED_AT)
def test_every_produce_button_belongs_to_the_form_with_the_edits(q1):
    html = demo_client("vanphong").get(page(q1)).content.decode()
    buttons = re.findall(r"<button[^>]*name=\"produce\"[^>]*>", html)
    assert len(buttons) == 2
    above = html.split('id="files-title"')[1].split('id="narrative-form"')[0]
    (button,) = re.findall(r"<button[^>]*>", above)
    # The button above the form submits the form itself, edits and all.
    assert 'form="narrative-form"' in button and 'name="produce"' in button
    assert "<form" not in above.rsplit("<form", 1)[0]


@time_machine.travel(DRAFTED_AT)
def test_producing_from_the_top_button_saves_the_open_edits_first(q1):
    office = demo_client("vanphong")
    data = dict(form_data(office, q1), produce="", text_causes="Nguyên nhân vừa gõ.")
    response = post_form(office, page(q1, "luu"), data)
    assert response.status_code == 302
    report = ConsolidatedReport.objects.get(period=q1)
    assert report.narrative["causes"] == "Nguyên nhân vừa gõ."
    assert report.files.filter(version=1).exists()


@time_machine.travel(DRAFTED_AT)
def test_an_old_page_posting_its_edits_to_produce_saves_them_first(q1):
    office = demo_client("vanphong")
    data = dict(form_data(office, q1), text_causes="Gõ trên trang cũ.")
    assert post_form(office, page(q1, "xuat-tep"), data).status_code == 302
    report = ConsolidatedReport.objects.get(period=q1)
    assert report.narrative["causes"] == "Gõ trên trang cũ."
    assert report.files.filter(version=1).exists()


@time_machine.travel(DRAFTED_AT)
def test_producing_over_someone_elses_save_is_refused_with_a_message_and_keeps_the_text(q1):
    office = demo_client("vanphong")
    mine = dict(form_data(office, q1), produce="", text_causes="Tôi vừa gõ.")
    theirs = dict(mine, text_causes="Người khác đã lưu.")
    theirs.pop("produce")
    assert post_form(demo_client("vanphong"), page(q1, "luu"), theirs).status_code == 302
    response = post_form(office, page(q1, "luu"), mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được người khác lưu" in html and "Tôi vừa gõ." in html
    assert not ConsolidatedReport.objects.get(period=q1).files.exists()


@time_machine.travel(DRAFTED_AT)
def test_the_editor_loads_the_leave_guard_and_readers_do_not(q1):
    html = demo_client("vanphong").get(page(q1)).content.decode()
    assert "partrack/unsaved-guard.js" in html
    assert "data-unsaved-guard" in html
    assert "<script>" not in html and " onclick=" not in html
    reader = demo_client("lanhdao").get(page(q1)).content.decode()
    assert "unsaved-guard.js" not in reader
    guard = Path(settings.BASE_DIR, "static/partrack/unsaved-guard.js").read_text()
    assert "beforeunload" in guard
