"""A task's state is computed from its dates and recorded status, the same in Python and SQL."""

from datetime import date

import pytest

from partrack.plans.models import State, Status, Task

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)

CASES = [
    # (deadline text, status, done on, expected state on 26/11/2026)
    ("Quý I/2026", Status.NOT_STARTED, None, State.OVERDUE),
    ("Quý I/2026", Status.IN_PROGRESS, None, State.OVERDUE),
    ("Quý I/2026", Status.DONE, date(2026, 3, 31), State.DONE_ON_TIME),
    ("Quý I/2026", Status.DONE, date(2026, 4, 1), State.DONE_LATE),
    ("Quý I/2026", Status.CANNOT_DO, None, State.CANNOT_DO),
    ("Trước ngày 30/11/2026", Status.NOT_STARTED, None, State.DUE_SOON),
    ("10/12/2026", Status.IN_PROGRESS, None, State.DUE_SOON),
    ("Trước ngày 26/11/2026", Status.IN_PROGRESS, None, State.DUE_SOON),
    ("Trước ngày 25/11/2026", Status.IN_PROGRESS, None, State.OVERDUE),
    ("Năm 2026", Status.IN_PROGRESS, None, State.IN_PROGRESS),
    ("Năm 2026", Status.NOT_STARTED, None, State.NOT_STARTED),
    ("Thường xuyên trong năm 2026", Status.IN_PROGRESS, None, State.IN_PROGRESS),
    ("Thường xuyên trong năm 2025", Status.NOT_STARTED, None, State.NOT_STARTED),
    ("Theo chỉ đạo của UBND tỉnh", Status.NOT_STARTED, None, State.ON_REQUEST),
    ("Theo chỉ đạo của UBND tỉnh", Status.DONE, date(2026, 2, 1), State.DONE_ON_TIME),
    ("Khi nào xong thì thôi", Status.IN_PROGRESS, None, State.UNDATED),
]


@pytest.mark.parametrize(("deadline", "status", "done_on", "expected"), CASES)
def test_state_follows_the_rules_of_the_domain(world, deadline, status, done_on, expected):
    task = world.add_task(
        number=9, content="x", deadline_text=deadline, status=status, done_on=done_on
    )
    assert task.state(TODAY) == expected
    assert Task.objects.with_state(TODAY).get(pk=task.pk).state_code == expected
    assert list(Task.objects.in_state(expected, TODAY).filter(pk=task.pk)) == [task]


def test_every_task_is_in_exactly_one_state(world):
    for number, (deadline, status, done_on, _expected) in enumerate(CASES, start=10):
        world.add_task(
            number=number, content="x", deadline_text=deadline, status=status, done_on=done_on
        )
    counts = Task.objects.filter(plan=world.plan).state_counts(TODAY)
    assert sum(counts.values()) == Task.objects.filter(plan=world.plan).count()


def test_a_continuous_task_is_never_overdue(world):
    task = world.add_task(number=2, content="x", deadline_text="Thường xuyên")
    assert task.state(date(2027, 6, 1)) == State.NOT_STARTED


def test_due_soon_window_is_a_setting(world, settings):
    task = world.add_task(number=2, content="x", deadline_text="15/12/2026")
    assert task.state(TODAY) == State.NOT_STARTED
    settings.PARTRACK_DUE_SOON_DAYS = 30
    assert task.state(TODAY) == State.DUE_SOON
    assert Task.objects.with_state(TODAY).get(pk=task.pk).state_code == State.DUE_SOON
