"""A small province: UBND tỉnh with Sở Nội vụ's desk, two departments, two communes, and a
second province that must see nothing of the first."""

from datetime import date

import pytest

from partrack.documents.services import import_new_plan
from partrack.org.models import Agency, Role, Unit
from partrack.plans import services
from tests.conftest import client_as, make_other_province, make_person, make_province_desk

YEAR = 2026


def row(no, content, lead, deadline="Năm 2026", coordinators=()):
    return {
        "no": no,
        "content": content,
        "product": "Báo cáo",
        "lead": list(lead),
        "coordinators": list(coordinators),
        "deadline_text": deadline,
    }


PROVINCE_PLAN = {
    "plan": {"title": "Kế hoạch CCHC năm 2026 của UBND tỉnh", "year": YEAR, "symbol": "1/KH-UBND"},
    "sections": [
        {
            "roman": "I",
            "title": "Công tác chỉ đạo, điều hành",
            "tasks": [
                row(1, "Ban hành kế hoạch CCHC", ["Các sở, ban, ngành", "UBND các xã, phường"]),
                row(2, "Báo cáo CCHC", ["Sở Nội vụ"], coordinators=["Các sở, ban, ngành"]),
            ],
        },
        {
            "roman": "VII",
            "title": "Chính quyền số",
            "tasks": [
                row(
                    3,
                    "Nghị quyết chuyển đổi số",
                    ["Sở Khoa học và Công nghệ"],
                    coordinators=["Sở Tư pháp", "Văn phòng UBND tỉnh"],
                ),
                row(4, "Giao dự toán", ["Sở Tài chính"]),
            ],
        },
    ],
}


def agency_plan(title, tasks):
    """An agency's own plan: tasks in two areas (I and VII), led by its office."""
    return {
        "plan": {"title": title, "year": YEAR},
        "sections": [
            {
                "roman": "I",
                "title": "Công tác chỉ đạo, điều hành",
                "tasks": [row(n, c, ["Văn phòng Sở"], d) for n, c, d in tasks[:3]],
            },
            {
                "roman": "VII",
                "title": "Chính quyền số",
                "tasks": [row(n, c, ["Văn phòng Sở"], d) for n, c, d in tasks[3:]],
            },
        ],
    }


AGENCY_TASKS = [
    (1, "Kế hoạch CCHC của Sở", "Quý I/2026"),
    (2, "Tuyên truyền CCHC", "Quý II/2026"),
    (3, "Báo cáo năm", "Năm 2026"),
    (4, "Chuyển đổi số", "Quý I/2026"),
    (5, "Chữ ký số", "Quý II/2026"),
    (6, "Dữ liệu mở", "Quý III/2026"),
]


class Province:
    def __init__(self):
        self.province = Agency.objects.create(
            name="Ủy ban nhân dân tỉnh Phú Thọ", short_name="UBND", place_name="Phú Thọ"
        )
        self.desk, self.sonoivu, self.province_leader = make_province_desk(
            self.province, leader="lanhdaosnv"
        )
        self.province_viewer = make_person("xemtinh", self.province, Role.VIEWER)
        self.agencies, self.offices, self.members = {}, {}, {}
        for short, name in [
            ("SKHCN", "Sở Khoa học và Công nghệ tỉnh Phú Thọ"),
            ("STP", "Sở Tư pháp tỉnh Phú Thọ"),
            ("XHC", "Ủy ban nhân dân xã Hy Cương"),
            ("PTM", "UBND phường Thanh Miếu"),
        ]:
            agency = Agency.objects.create(
                name=name, short_name=short, parent=self.province, place_name="Phú Thọ"
            )
            office = Unit.objects.create(
                agency=agency, name="Văn phòng Sở", is_coordinator=True, kind="office"
            )
            division = Unit.objects.create(agency=agency, name="Phòng Chuyên môn")
            self.agencies[short] = agency
            self.offices[short] = make_person(f"vp-{short}", agency, Role.COORDINATOR, office)
            self.members[short] = make_person(f"cv-{short}", agency, Role.MEMBER, division)
        # A second province, with one department of its own.
        self.other_province, self.other_sonoivu, self.other_agency = make_other_province(
            name="UBND tỉnh Khác",
            short_name="UBNDK",
            coordinator="snv-khac",
            agency_name="Sở Khoa học và Công nghệ tỉnh Khác",
            agency_short_name="SKHCNK",
        )
        other_office = Unit.objects.create(
            agency=self.other_agency, name="Văn phòng Sở", is_coordinator=True, kind="office"
        )
        self.other_office = make_person(
            "vp-khac", self.other_agency, Role.COORDINATOR, other_office
        )

    def import_province_plan(self, data=PROVINCE_PLAN):
        return import_new_plan(agency=self.province, data=data, by=self.sonoivu)

    def agency_plan(self, short, status="active", year=YEAR):
        data = agency_plan(f"Kế hoạch CCHC {year} của {short}", AGENCY_TASKS)
        data["plan"]["year"] = year
        plan, _unmatched = services.create_plan(
            agency=self.agencies[short], data=data, status=status
        )
        return plan

    def client(self, user=None):
        return client_as(user)


@pytest.fixture
def province(db):
    return Province()


def set_state(task, status, done_on=None, percent=0):
    """Record a status directly: the roll-up reads the task's recorded status."""
    task.status, task.done_on, task.percent = status, done_on, percent
    task.save(update_fields=["status", "done_on", "percent"])


def day(month, dd):
    return date(YEAR, month, dd)
