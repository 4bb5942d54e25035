"""Two people saving one task at the same moment: one wins, the other is told, none is lost."""

import threading

import pytest
from django.db import connection, connections

from partrack.plans import services
from partrack.plans.models import ProgressUpdate, Status, Task

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a server database: run on PostgreSQL"
    ),
]


def test_two_threads_saving_the_same_version_keep_one_and_refuse_the_other(world):
    start = threading.Barrier(2)
    outcomes = []

    def save(percent):
        try:
            task = Task.objects.get(pk=world.task.pk)
            start.wait()
            services.record_progress(
                task=task,
                by=world.lead_member,
                unit=world.lead_unit,
                status=Status.IN_PROGRESS,
                percent=percent,
                narrative=f"{percent}%",
                done_on=None,
                expected_version=task.version,
            )
            outcomes.append(("saved", percent))
        except services.StaleTask:
            outcomes.append(("refused", percent))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(p,)) for p in (30, 60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in outcomes) == ["refused", "saved"]
    saved = next(percent for kind, percent in outcomes if kind == "saved")
    world.task.refresh_from_db()
    assert (world.task.percent, world.task.version) == (saved, 2)
    assert list(ProgressUpdate.objects.values_list("percent", flat=True)) == [saved]
