"""Personas built from plain model objects, and the demo for end-to-end checks."""

import weakref

import pytest
from django.contrib.auth import get_user_model
from django.db.backends.signals import connection_created
from django.test import Client

from partrack.org.models import Agency, Membership, Role, Unit
from partrack.plans.models import Area, Plan, Task

# Files that take a minute or more each: a subprocess that migrates and loads the demo, a scan
# read by OCR. pytest-django puts the tests that use no database last, and pytest-xdist hands
# files out in that order, keeping each on one process: last, one of these leaves the other
# process idle at the end of the run; first, the short files fill in around it. Tests that
# flush the database (transactional) keep their place after the others, as Django orders them.
LONG_FILES = (
    "tests/documents/test_read_scanned.py",
    "tests/test_commands.py",
    "tests/test_backup.py",
    "tests/test_files_crash.py",
    "tests/reporting/test_outbox_crash.py",
)


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    flushes = marker is not None and marker.kwargs.get("transaction", False)
    return flushes or {"transactional_db", "live_server"} & set(item.fixturenames)


def pytest_collection_modifyitems(config, items):
    def long_first(item):
        path = item.nodeid.split("::")[0]
        return 0 if path in LONG_FILES and not _transactional(item) else 1

    items.sort(key=long_first)  # stable: every other order is kept


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # The demo's signing certificate is made under VAR_DIR: never in the checkout's var/.
    settings.VAR_DIR = tmp_path / "var"


# Every database connection any thread opens. On PostgreSQL connections are kept between
# requests (CONN_MAX_AGE 60): one opened by a live server's or a test's thread stays open
# after the test until that thread's objects are collected, and DROP DATABASE at the end of
# the run then fails with "database … is being accessed by other users".
_opened = weakref.WeakSet()
connection_created.connect(lambda sender, connection, **kwargs: _opened.add(connection), weak=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases; before they are dropped, every connection to them is
    closed, whichever thread opened it (those threads are done by then)."""
    yield
    for wrapper in list(_opened):
        if wrapper.connection is None:
            continue
        wrapper.inc_thread_sharing()  # it may belong to another thread: allow closing it here
        try:
            wrapper.close()
        finally:
            wrapper.dec_thread_sharing()


def make_person(login, agency, role, unit=None):
    user = get_user_model().objects.create_user(login, password="secret-pass-123")
    Membership.objects.create(user=user, agency=agency, unit=unit, role=role)
    return user


def make_province_desk(province, *, coordinator="sonoivu", leader="snv-leader"):
    """Sở Nội vụ inside the province agency: (its desk unit, the desk's coordinator, a leader
    at the province), the people who act in the province's name."""
    desk = Unit.objects.create(
        agency=province, name="Sở Nội vụ", is_coordinator=True, kind="office"
    )
    return (
        desk,
        make_person(coordinator, province, Role.COORDINATOR, desk),
        make_person(leader, province, Role.LEADER),
    )


def make_other_province(*, name, short_name, coordinator, agency_name, agency_short_name):
    """A second province, which must see nothing of the first: (the province, its Sở Nội vụ
    coordinator, an agency under it)."""
    province = Agency.objects.create(name=name, short_name=short_name)
    return (
        province,
        make_person(coordinator, province, Role.COORDINATOR),
        Agency.objects.create(name=agency_name, short_name=agency_short_name, parent=province),
    )


class World:
    """Two agencies under one province; a plan with a task led by one unit."""

    def __init__(self):
        self.province = Agency.objects.create(
            name="UBND tỉnh", short_name="UBND", kind=Agency.Kind.PROVINCE
        )
        self.agency = Agency.objects.create(
            name="Sở KH&CN",
            short_name="SKHCN",
            parent=self.province,
            parent_body="UBND TỈNH PHÚ THỌ",
            place_name="Phú Thọ",
        )
        self.other_agency = Agency.objects.create(
            name="Sở Tư pháp", short_name="STP", parent=self.province
        )
        self.office = Unit.objects.create(
            agency=self.agency, name="Văn phòng Sở", is_coordinator=True, kind="office"
        )
        self.lead_unit = Unit.objects.create(agency=self.agency, name="Phòng Chuyển đổi số")
        self.helping_unit = Unit.objects.create(agency=self.agency, name="Phòng Kế hoạch Tài chính")
        self.bystander_unit = Unit.objects.create(agency=self.agency, name="Chi cục TĐC")
        other_office = Unit.objects.create(agency=self.other_agency, name="Văn phòng Sở")

        self.coordinator = make_person("office", self.agency, Role.COORDINATOR, self.office)
        self.leader = make_person("leader", self.agency, Role.LEADER)
        self.viewer = make_person("viewer", self.agency, Role.VIEWER)
        self.administrator = make_person("administrator", self.agency, Role.ADMINISTRATOR)
        self.lead_member = make_person("lead", self.agency, Role.MEMBER, self.lead_unit)
        self.helping_member = make_person("helper", self.agency, Role.MEMBER, self.helping_unit)
        self.bystander = make_person("bystander", self.agency, Role.MEMBER, self.bystander_unit)
        self.outsider = make_person("outsider", self.other_agency, Role.COORDINATOR, other_office)
        self.province_viewer = make_person("province", self.province, Role.VIEWER)

        self.plan = Plan.objects.create(
            agency=self.agency, year=2026, title="Kế hoạch CCHC năm 2026", status="active"
        )
        self.plan.ensure_periods()
        self.area = Area.objects.create(plan=self.plan, order=1, numeral="I", title="Chỉ đạo")
        self.task = self.add_task(
            number=1,
            content="Tham mưu dự thảo Nghị quyết về chuyển đổi số",
            deadline_text="Quý I/2026",
        )
        self.other_plan = Plan.objects.create(
            agency=self.other_agency, year=2026, title="Kế hoạch của Sở Tư pháp", status="active"
        )
        other_area = Area.objects.create(plan=self.other_plan, order=1, title="Chỉ đạo")
        self.other_task = Task.objects.create(
            plan=self.other_plan, area=other_area, number=1, content="Việc của Sở Tư pháp"
        )

    def add_task(
        self, *, number, content, deadline_text="Năm 2026", lead=None, area=None, **fields
    ):
        task = Task(
            plan=self.plan,
            area=area or self.area,
            number=number,
            order=number,
            content=content,
            **fields,
        )
        task.set_deadline(deadline_text, 2026)
        task.save()
        task.lead_units.set([lead or self.lead_unit])
        task.coordinating_units.set([self.helping_unit])
        return task

    def client(self, user=None):
        return client_as(user)


def client_as(user=None):
    """A browser-like client: CSRF is enforced, so posts carry the token a page gave them."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def post_form(client, url, data):
    """POST as a form does: fetch the sign-in page for a CSRF cookie, then send its token."""
    if "csrftoken" not in client.cookies:
        client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def demo(db):
    """The demo's seed plan as imported, with its progress: the 36 tasks most tests count on."""
    from partrack.plans.demo import load_demo

    load_demo()
    return Plan.objects.get(agency__short_name="SKHCN")


@pytest.fixture
def demo_at_work(db):
    """The whole demo, as `partrack demo` loads it: with issue 14's added task, task 32's
    sub-items, task 33's extension and task 35's completion waiting for the office."""
    from partrack.plans.demo import load_demo

    load_demo(office_work=True)
    return Plan.objects.get(agency__short_name="SKHCN")


def demo_client(username):
    return client_as(get_user_model().objects.get(username=username))
