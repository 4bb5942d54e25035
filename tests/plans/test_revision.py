"""A revised plan replaces the old one task by task, keeping the progress already recorded."""

import copy

import pytest

from partrack.plans import services
from partrack.plans.models import ProgressUpdate, Status, Task
from partrack.plans.revision import plan_changes

pytestmark = pytest.mark.django_db


def revised(plan):
    """The demo plan as data, with one task re-dated, one reworded, one dropped and one added."""
    data = copy.deepcopy(plan.as_data())
    data["plan"]["symbol"] = "15/KH-SKHCN"
    rows = {row["no"]: row for s in data["sections"] for row in s["tasks"]}
    rows[33]["deadline_text"] = "Quý II/2026"
    rows[33]["deadline_kind"] = None
    rows[31]["content"] = "Xây dựng dự toán ngân sách năm 2027 và kế hoạch tài chính 3 năm"
    data["sections"][6]["tasks"] = [r for r in data["sections"][6]["tasks"] if r["no"] != 36]
    data["sections"][6]["tasks"].append(
        {
            "no": 37,
            "content": "Triển khai nền tảng số dùng chung của Sở",
            "product": "Báo cáo",
            "lead": ["Phòng Chuyển đổi số"],
            "coordinators": ["Các phòng, đơn vị thuộc Sở"],
            "deadline_text": "Quý IV/2026",
            "note": "",
        }
    )
    return data


def test_an_unchanged_plan_shows_no_change(demo):
    changes = plan_changes(demo, demo.as_data())
    assert not changes
    assert len(changes.unchanged) == 36


def test_preview_names_what_was_added_removed_reworded_and_redated(demo):
    changes = plan_changes(demo, revised(demo))
    assert [c.row.content for c in changes.added] == ["Triển khai nền tảng số dùng chung của Sở"]
    assert [c.task.number for c in changes.removed] == [36]
    assert [c.task.number for c in changes.reworded] == [31]
    assert [c.task.number for c in changes.redated] == [33]
    assert "Thời gian hoàn thành: Quý I/2026 → Quý II/2026" in changes.redated[0].describe()


def test_revision_keeps_progress_and_history_of_tasks_that_stay(demo, world_user):
    task_33 = Task.objects.get(plan=demo, number=33)
    history_before = task_33.updates.count()
    services.revise_plan(plan=demo, data=revised(demo), by=world_user)

    task_33.refresh_from_db()
    demo.refresh_from_db()
    assert demo.symbol == "15/KH-SKHCN"
    assert (task_33.status, task_33.percent) == (Status.IN_PROGRESS, 70)
    assert task_33.due_date.isoformat() == "2026-06-30"
    assert task_33.updates.count() == history_before + 1
    line = task_33.updates.filter(kind=ProgressUpdate.Kind.REVISION).get()
    assert "Quý I/2026 → Quý II/2026" in line.narrative
    assert task_33.version == 3  # one progress update, one revision

    numbers = list(
        Task.objects.filter(plan=demo).order_by("order").values_list("number", "content")
    )
    assert len(numbers) == 36
    assert numbers[-1] == (37, "Triển khai nền tảng số dùng chung của Sở")
    assert not Task.objects.filter(plan=demo, number=36).exists()
    assert Task.objects.get(plan=demo, number=31).content.endswith("kế hoạch tài chính 3 năm")


def test_a_task_that_only_moved_keeps_its_identity(demo, world_user):
    data = copy.deepcopy(demo.as_data())
    moved = data["sections"][0]["tasks"].pop(0)  # task 1 moves to the end of area VII
    data["sections"][6]["tasks"].append(moved)
    task_1 = Task.objects.get(plan=demo, number=1)
    changes = services.revise_plan(plan=demo, data=data, by=world_user)
    assert [c.task.pk for c in changes.changed] == [task_1.pk]
    task_1.refresh_from_db()
    assert task_1.area.numeral == "VII" and task_1.status == Status.DONE


@pytest.fixture
def world_user(demo):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="vanphong")
