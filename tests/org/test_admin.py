"""The admin keeps the app's rules: it reads history but cannot rewrite it, and cannot place a
person in another agency's unit. Everything goes through the admin's pages as a superuser."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partrack.documents import libreoffice
from partrack.org.models import Agency, Membership, Role, Unit
from partrack.plans.models import Evidence, ProgressUpdate, Status, Task
from partrack.plans.services import record_progress
from tests.conftest import client_as, post_form

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri"


@pytest.fixture
def superuser(world):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "x-pass-123")


@pytest.fixture
def admin_client(superuser):
    return client_as(superuser)


@pytest.fixture
def update(world):
    return record_progress(
        task=world.task,
        by=world.lead_member,
        unit=world.lead_unit,
        status=Status.IN_PROGRESS,
        percent=40,
        narrative="Đã trình dự thảo",
        done_on=None,
        expected_version=world.task.version,
    )


def admin_form_data(response):
    """What the admin's change page would post back: every field's current value, inlines too."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [getattr(v, "pk", v) for v in value]
            data[form.add_prefix(name)] = value
    return data


# Branding and wording.


def test_the_admin_is_branded_and_worded_in_vietnamese(admin_client):
    page = admin_client.get(f"{ADMIN}/").content.decode()
    assert "PARtrack — Quản trị" in page
    assert "Quản trị hệ thống" in page
    for words in ("Tổ chức", "Kế hoạch", "Báo cáo", "cập nhật tiến độ", "minh chứng"):
        assert words.lower() in page.lower()
    # Django's own words too, where its Vietnamese catalog lacks them (org/locale).
    for english in ("Site administration", "Log out", "Skip to main content", "Toggle theme"):
        assert english not in page
    assert "Đến nội dung chính" in page


# History is read-only.


def test_a_progress_update_can_be_read_but_not_changed_added_or_deleted(
    world, admin_client, update
):
    url = f"{ADMIN}/plans/progressupdate/{update.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Đã trình dự thảo" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()

    response = post_form(admin_client, url, {"narrative": "Đã xong", "status": "done"})
    assert response.status_code == 403
    assert post_form(admin_client, f"{ADMIN}/plans/progressupdate/add/", {}).status_code == 403
    delete = post_form(admin_client, f"{ADMIN}/plans/progressupdate/{update.pk}/delete/", {})
    assert delete.status_code == 403
    update.refresh_from_db()
    assert (update.narrative, update.status) == ("Đã trình dự thảo", Status.IN_PROGRESS)


def test_evidence_and_report_versions_cannot_be_changed_in_the_admin(world, admin_client):
    evidence = Evidence.objects.create(
        task=world.task, added_by=world.lead_member, number_symbol="12/QĐ-SKHCN"
    )
    for url in (
        f"{ADMIN}/plans/evidence/{evidence.pk}/change/",
        f"{ADMIN}/plans/evidence/{evidence.pk}/delete/",
        f"{ADMIN}/plans/evidence/add/",
        f"{ADMIN}/reporting/reportfile/add/",
        f"{ADMIN}/reporting/consolidatedreport/add/",
        f"{ADMIN}/reporting/unitreport/add/",
    ):
        assert post_form(admin_client, url, {"number_symbol": "99/QĐ"}).status_code == 403, url
    evidence.refresh_from_db()
    assert evidence.number_symbol == "12/QĐ-SKHCN"


def test_a_tasks_status_dates_and_units_cannot_be_changed_in_the_admin_but_its_wording_can(
    world, admin_client, update
):
    url = f"{ADMIN}/plans/task/{world.task.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page)
    assert "status" not in data and "due_date" not in data and "lead_units" not in data
    data.update(
        content="Tham mưu dự thảo Nghị quyết về chuyển đổi số (sửa chính tả)",
        status=Status.DONE,
        percent="100",
        done_on="01/03/2026",
        due_date="31/12/2030",
        deadline_text="Năm 2030",
        lead_units=[world.bystander_unit.pk],
    )
    response = post_form(admin_client, url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    task = Task.objects.get(pk=world.task.pk)
    assert task.content.endswith("(sửa chính tả)")
    assert (task.status, task.percent, task.done_on) == (Status.IN_PROGRESS, 40, None)
    assert (task.deadline_text, task.due_date) == ("Quý I/2026", datetime.date(2026, 3, 31))
    assert list(task.lead_units.all()) == [world.lead_unit]
    # A progress form opened before the correction is now stale rather than saved over it.
    assert task.version == update.task.version + 1
    assert ProgressUpdate.objects.count() == 1


def test_tasks_are_not_added_or_deleted_in_the_admin_nor_a_plan_holding_history(
    world, admin_client, update
):
    assert post_form(admin_client, f"{ADMIN}/plans/task/add/", {}).status_code == 403
    delete_task = f"{ADMIN}/plans/task/{world.task.pk}/delete/"
    assert post_form(admin_client, delete_task, {"post": "yes"}).status_code == 403
    # Deleting the plan would delete the history with it: the admin lists what it may not delete.
    delete_plan = f"{ADMIN}/plans/plan/{world.plan.pk}/delete/"
    assert "cập nhật tiến độ" in admin_client.get(delete_plan).content.decode()
    assert post_form(admin_client, delete_plan, {"post": "yes"}).status_code == 403
    assert Task.objects.filter(pk=world.task.pk).exists()


# A membership's unit belongs to its agency.


def test_the_admin_refuses_a_membership_in_another_agencys_unit(world, admin_client):
    membership = world.lead_member.membership
    url = f"{ADMIN}/org/membership/{membership.pk}/change/"
    page = admin_client.get(url)
    other_office = Unit.objects.get(agency=world.other_agency)
    # Many agencies have a "Văn phòng Sở": the choices say whose.
    assert "Văn phòng Sở — Sở Tư pháp" in page.content.decode()
    assert "Văn phòng Sở — Sở KH&amp;CN" in page.content.decode()
    data = admin_form_data(page)
    data["unit"] = other_office.pk
    response = post_form(admin_client, url, data)
    assert response.status_code == 200
    assert "thuộc Sở Tư pháp, không thuộc Sở KH&amp;CN" in response.content.decode()
    membership.refresh_from_db()
    assert membership.unit == world.lead_unit


def test_the_person_page_refuses_a_membership_in_another_agencys_unit(world, admin_client):
    url = f"{ADMIN}/auth/user/{world.lead_member.pk}/change/"
    data = admin_form_data(admin_client.get(url))
    data["membership-0-unit"] = Unit.objects.get(agency=world.other_agency).pk
    response = post_form(admin_client, url, data)
    assert response.status_code == 200
    assert "không thuộc Sở KH&amp;CN" in response.content.decode()
    assert Membership.objects.get(user=world.lead_member).unit == world.lead_unit


def test_saving_a_membership_in_another_agencys_unit_is_refused_by_the_model(world):
    membership = world.lead_member.membership
    membership.unit = Unit.objects.get(agency=world.other_agency)
    with pytest.raises(ValidationError, match="không thuộc Sở KH&CN"):
        membership.full_clean()
    with pytest.raises(ValidationError, match="không thuộc Sở KH&CN"):
        membership.save()
    user = get_user_model().objects.create_user("moi")
    with pytest.raises(ValidationError):
        Membership.objects.create(user=user, agency=world.agency, unit=membership.unit)
    assert Membership.objects.get(user=world.lead_member).unit == world.lead_unit


def test_the_database_refuses_writes_that_skip_the_model(world):
    other_office = Unit.objects.get(agency=world.other_agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(user=world.lead_member).update(unit=other_office)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(user=world.outsider).update(agency=world.agency)
    user = get_user_model().objects.create_user("moi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.bulk_create(
            [Membership(user=user, agency=world.agency, unit=other_office)]
        )
    # Moving a unit that has people to another agency would move them across agencies.
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=world.lead_unit.pk).update(agency=world.other_agency)
    assert Membership.objects.get(user=world.lead_member).unit == world.lead_unit
    # What stays inside one agency is still allowed.
    Membership.objects.filter(user=world.lead_member).update(unit=world.helping_unit)
    Unit.objects.filter(pk=world.bystander_unit.pk, memberships__isnull=True).update(
        agency=world.other_agency
    )


# Lists one per line, and one form for a new person.


def test_unit_aliases_and_report_recipients_are_edited_one_per_line(world, admin_client):
    world.lead_unit.aliases = ["Phòng CĐS"]
    world.lead_unit.save()
    url = f"{ADMIN}/org/agency/{world.agency.pk}/change/"
    page = admin_client.get(url)
    assert "Phòng CĐS</textarea>" in page.content.decode()
    data = admin_form_data(page)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == world.lead_unit.pk
    )
    data[f"units-{index}-aliases"] = "Phòng CĐS\r\n  P. Chuyển đổi số \r\n\r\nPhòng CĐS\r\n"
    data["report_recipients"] = "UBND tỉnh (b/c);\nSở Nội vụ (b/c);\n"
    response = post_form(admin_client, url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.lead_unit.refresh_from_db()
    world.agency.refresh_from_db()
    assert world.lead_unit.aliases == ["Phòng CĐS", "P. Chuyển đổi số"]
    assert world.agency.report_recipients == ["UBND tỉnh (b/c);", "Sở Nội vụ (b/c);"]
    assert Unit.objects.match("P. Chuyển đổi số") == world.lead_unit


def new_person(**fields):
    return {
        "full_name": "Trần Văn Minh",
        "username": "tvminh",
        "email": "tvminh@example.invalid",
        "agency": "",
        "unit": "",
        "role": Role.MEMBER,
        "title": "Chuyên viên",
        "usable_password": "true",
        "password1": "Mat-khau-dai-9",
        "password2": "Mat-khau-dai-9",
        **fields,
    }


def test_a_person_is_added_with_their_unit_and_role_in_one_form(world, admin_client):
    page = admin_client.get(f"{ADMIN}/auth/user/add/").content.decode()
    for label in ("Họ và tên", "Thư điện tử", "Đơn vị", "Vai trò"):
        assert label in page
    response = post_form(
        admin_client, f"{ADMIN}/auth/user/add/", new_person(unit=world.helping_unit.pk)
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="tvminh")
    assert (user.last_name, user.first_name, user.email) == (
        "Trần Văn",
        "Minh",
        "tvminh@example.invalid",
    )
    assert user.check_password("Mat-khau-dai-9")
    membership = user.membership
    assert (membership.agency, membership.unit, membership.role, membership.title) == (
        world.agency,
        world.helping_unit,
        Role.MEMBER,
        "Chuyên viên",
    )
    # The new person reads their agency's plan at once.
    assert client_as(user).get(world.plan.get_absolute_url()).status_code == 200


def test_a_leader_without_a_unit_is_added_with_the_agency_only(world, admin_client):
    data = new_person(agency=world.agency.pk, role=Role.LEADER, usable_password="false")
    data.pop("password1"), data.pop("password2")
    assert post_form(admin_client, f"{ADMIN}/auth/user/add/", data).status_code == 302
    user = get_user_model().objects.get(username="tvminh")
    assert not user.has_usable_password()  # no one can sign in as them yet
    assert (user.membership.agency, user.membership.unit) == (world.agency, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"agency": "other", "unit": "lead"}, "không thuộc Sở Tư pháp"),
        ({}, "Chọn cơ quan hoặc đơn vị của người này."),
        ({"unit": "lead", "email": "taken@example.invalid"}, "Đã có người dùng với thư điện tử"),
    ],
)
def test_a_new_person_form_with_a_mistake_is_shown_back_with_the_reason(
    world, admin_client, fields, message
):
    world.leader.email = "taken@example.invalid"
    world.leader.save()
    ids = {"other": world.other_agency.pk, "lead": world.lead_unit.pk}
    data = new_person(**{k: ids.get(v, v) for k, v in fields.items()})
    response = post_form(admin_client, f"{ADMIN}/auth/user/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="tvminh").exists()
    assert Agency.objects.count() == 3


def test_the_database_rule_is_put_back_after_every_migrate(world):
    """SQLite drops a table's triggers when a migration rebuilds it; migrate restores them."""
    from django.db import connection

    from partrack.org import guards

    other_office = Unit.objects.get(agency=world.other_agency)
    guards.uninstall(connection)
    Membership.objects.filter(user=world.lead_member).update(unit=other_office)  # unguarded
    Membership.objects.filter(user=world.lead_member).update(unit=world.lead_unit)
    guards.install_after_migrate(using="default")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(user=world.lead_member).update(unit=other_office)


def test_the_admin_pages_of_history_run_a_fixed_number_of_queries(world, admin_client, update):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [
        f"{ADMIN}/plans/task/{world.task.pk}/change/",
        f"{ADMIN}/plans/progressupdate/",
        f"{ADMIN}/org/membership/",
        f"{ADMIN}/auth/user/{world.lead_member.pk}/change/",
    ]

    def counts():
        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert admin_client.get(url).status_code == 200
            result.append(len(queries))
        return result

    counts()  # caches warmed (content types, the session)
    before = counts()
    task = Task.objects.get(pk=world.task.pk)
    for percent in (50, 60, 70, 80):
        task = Task.objects.get(pk=task.pk)
        record_progress(
            task=task,
            by=world.helping_member,
            unit=world.helping_unit,
            status=Status.IN_PROGRESS,
            percent=percent,
            narrative=f"{percent}%",
            done_on=None,
            expected_version=task.version,
        )
    for login in ("a1", "a2", "a3"):
        user = get_user_model().objects.create_user(login)
        Membership.objects.create(user=user, agency=world.agency, unit=world.office)
    assert counts() == before


def test_every_history_page_reads_in_vietnamese_with_the_app_download_for_files(
    world, admin_client, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partrack.plans.services import NewEvidence
    from partrack.reporting import consolidation, services
    from partrack.reporting.models import ConsolidatedReport, ReportFile, UnitReport
    from tests.files import PDF

    monkeypatch.setattr(libreoffice, "program", lambda: None)
    update = record_progress(
        task=world.task,
        by=world.lead_member,
        unit=world.lead_unit,
        status=Status.IN_PROGRESS,
        percent=40,
        narrative="Đã trình",
        done_on=None,
        expected_version=world.task.version,
        evidence=[NewEvidence(number_symbol="1/BC", file=SimpleUploadedFile("bc.pdf", PDF))],
    )
    period = world.plan.periods.get(kind="q1")
    report = services.start_unit_report(period=period, unit=world.lead_unit)
    services.submit_unit_report(report=report, by=world.lead_member)
    consolidated = consolidation.start_consolidated_report(period=period, by=world.coordinator)
    consolidation.produce_report_files(report=consolidated, by=world.coordinator)
    evidence = Evidence.objects.get()
    pages = {
        f"plans/progressupdate/{update.pk}": "tình trạng trước đó",
        f"plans/evidence/{evidence.pk}": "tên tệp khi tải lên",
        f"reporting/unitreport/{UnitReport.objects.get().pk}": "thời điểm gửi",
        f"reporting/consolidatedreport/{ConsolidatedReport.objects.get().pk}": "mã băm SHA-256",
        f"reporting/reportfile/{ReportFile.objects.first().pk}": "dung lượng (byte)",
    }
    for path, label in pages.items():
        for url in (f"{ADMIN}/{path}/change/", f"{ADMIN}/{path.rsplit('/', 1)[0]}/"):
            response = admin_client.get(url)
            assert response.status_code == 200, url
        page = admin_client.get(f"{ADMIN}/{path}/change/").content.decode()
        assert label[0].upper() + label[1:] in page, path
        english_words = ("Submitted at", "Created by", "File name", "Previous status", "Report sub")
        for english in (*english_words, ">None<"):
            assert english not in page, (path, english)
    page = admin_client.get(f"{ADMIN}/plans/evidence/{evidence.pk}/change/").content.decode()
    assert f'href="{evidence.get_absolute_url()}">bc.pdf</a>' in page


def test_people_already_in_another_agencys_unit_are_taken_out_of_it_by_the_migration(world):
    from django.db import connection

    from partrack.org import guards

    guards.uninstall(connection)
    other_office = Unit.objects.get(agency=world.other_agency)
    Membership.objects.filter(user=world.lead_member).update(unit=other_office)
    detached = guards.detach_units_outside_agency(connection)
    guards.install(connection)
    membership = Membership.objects.get(user=world.lead_member)
    assert detached == [membership.pk]
    assert (membership.agency, membership.unit) == (world.agency, None)
    assert Membership.objects.filter(unit__isnull=False).count() == 4  # the others keep theirs


def test_areas_and_units_cannot_be_deleted_from_their_parents_page(world, admin_client, update):
    for url, prefix in (
        (f"{ADMIN}/plans/plan/{world.plan.pk}/change/", "areas"),
        (f"{ADMIN}/org/agency/{world.agency.pk}/change/", "units"),
    ):
        page = admin_client.get(url)
        assert f'name="{prefix}-0-DELETE"' not in page.content.decode()
        data = admin_form_data(page)
        data[f"{prefix}-0-DELETE"] = "on"
        response = post_form(admin_client, url, data)
        assert response.status_code == 302, url
    assert world.plan.areas.count() == 1
    assert Unit.objects.filter(agency=world.agency).count() == 4
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_a_membership_takes_its_agency_from_its_unit_when_left_blank(world, admin_client):
    user = get_user_model().objects.create_user("moi")
    data = {"user": user.pk, "agency": "", "unit": world.helping_unit.pk, "role": Role.MEMBER}
    response = post_form(admin_client, f"{ADMIN}/org/membership/add/", data)
    assert response.status_code == 302
    assert Membership.objects.get(user=user).agency == world.agency
    data = {"user": user.pk, "agency": "", "unit": "", "role": Role.MEMBER}
    other = get_user_model().objects.create_user("khac")
    response = post_form(admin_client, f"{ADMIN}/org/membership/add/", {**data, "user": other.pk})
    assert "Chọn cơ quan hoặc đơn vị của người này." in response.content.decode()


def test_the_admins_date_picker_and_choosers_speak_vietnamese(admin_client):
    script = admin_client.get(f"{ADMIN}/jsi18n/").content.decode()
    assert '"Sunday": "Ch\\u1ee7 nh\\u1eadt"' in script  # "Chủ nhật"


def test_a_plans_facts_and_archive_cannot_be_changed_in_the_admin(world, admin_client):
    url = f"{ADMIN}/plans/plan/{world.plan.pk}/change/"
    data = admin_form_data(admin_client.get(url))
    assert "symbol" not in data and "archived_at" not in data
    data.update(
        title="Kế hoạch CCHC năm 2026 (sửa)", symbol="99/KH-SKHCN", archived_at="01/03/2026"
    )
    response = post_form(admin_client, url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.plan.refresh_from_db()
    assert world.plan.title.endswith("(sửa)")
    # Facts change on the plan's own page, which keeps their history.
    assert (world.plan.symbol, world.plan.archived_at) == ("", None)
