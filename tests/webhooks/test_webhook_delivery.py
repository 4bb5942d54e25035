"""Webhooks: queued with their event, signed, retried with backoff, delivered once."""

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from partrack.plans.services import StaleTask, assign_task, record_progress
from partrack.reporting import approval
from partrack.reporting import services as reports
from partrack.reporting.consolidation import save_consolidated_report, store_report_files
from partrack.reporting.models import ConsolidatedReport
from partrack.webhooks import services
from partrack.webhooks.models import Event, Webhook, WebhookDelivery
from tests.failing_database import fails_at_write
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db

T = timezone.make_aware(datetime(2026, 3, 3, 8, 0))


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


def hook_for(world, receiver, events, **fields):
    return Webhook.objects.create(agency=world.agency, url=receiver.url, events=events, **fields)


def run(now):
    out = StringIO()
    call_command("deliver_webhooks", "--now", now.isoformat(), stdout=out)
    return out.getvalue().strip()


def record(world, version=1, percent=40, now=T):
    return record_progress(
        task=world.task,
        by=world.lead_member,
        unit=world.lead_unit,
        status="in_progress",
        percent=percent,
        narrative="Đang làm",
        done_on=None,
        expected_version=version,
        now=now,
    )


def about(moment, expected):
    """`moment` is `expected`, give or take the real seconds the run took (its clock advances)."""
    return expected <= moment < expected + timedelta(seconds=5)


def verify(secret, headers, body):
    """What a receiver does (README): recompute the signature over "<timestamp>.<body>"."""
    signed = headers["X-PARtrack-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-PARtrack-Signature"])


def test_recorded_progress_arrives_signed_and_the_signature_verifies(world, receiver):
    hook = hook_for(world, receiver, [Event.PROGRESS_RECORDED])
    update = record(world)
    assert run(T) == "queued 0 overdue events, delivered 1"
    [(headers, body)] = receiver.received
    assert verify(hook.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert headers["X-PARtrack-Event"] == "progress.recorded"
    assert headers["X-PARtrack-Timestamp"] == str(int(T.timestamp()))
    payload = json.loads(body)
    assert payload["event"] == "progress.recorded"
    assert payload["id"] == headers["X-PARtrack-Delivery"]
    assert payload["data"]["task"]["id"] == world.task.pk
    assert payload["data"]["update"] == {
        **payload["data"]["update"],
        "id": update.pk,
        "percent": 40,
        "unit": "Phòng Chuyển đổi số",
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.response_body) == (
        "delivered",
        200,
        "ok",
    )


def test_a_delivery_survives_the_receiver_being_down_and_arrives_once_when_it_is_back(
    world, receiver
):
    hook_for(world, receiver, [Event.PROGRESS_RECORDED])
    record(world)
    receiver.stop()
    assert run(T) == "queued 0 overdue events, delivered 0, 1 failed, 1 waiting"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in delivery.last_error
    assert about(delivery.next_attempt_at, T + timedelta(minutes=1))
    # Before its retry time nothing is tried, even with the receiver back.
    receiver.start()
    assert run(T + timedelta(seconds=30)) == "queued 0 overdue events, delivered 0, 1 waiting"
    assert receiver.received == []
    assert run(T + timedelta(minutes=2)) == "queued 0 overdue events, delivered 1"
    assert run(T + timedelta(minutes=30)) == "queued 0 overdue events, delivered 0"
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")


def test_a_receiver_that_answers_an_error_is_retried_with_growing_waits(world, receiver):
    hook_for(world, receiver, [Event.PROGRESS_RECORDED])
    record(world)
    receiver.status, receiver.answer = 500, b"loi may chu"
    run(T)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.response_status, delivery.response_body, delivery.last_error) == (
        500,
        "loi may chu",
        "HTTP 500",
    )
    second = T + timedelta(minutes=1, seconds=5)
    run(second)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert about(delivery.next_attempt_at, second + timedelta(minutes=2))
    assert len(receiver.received) == 2


def test_two_runs_cannot_both_claim_one_delivery(world, receiver):
    hook_for(world, receiver, [Event.PROGRESS_RECORDED])
    record(world)
    first, second = WebhookDelivery.objects.get(), WebhookDelivery.objects.get()
    assert first.claim(T) is True
    assert second.claim(T) is False
    # A run that died holding it: its lease runs out and the delivery is taken over.
    assert second.claim(T + timedelta(minutes=6)) is True


def test_a_write_that_rolls_back_leaves_no_delivery(world, receiver):
    hook_for(world, receiver, [Event.PROGRESS_RECORDED])
    with pytest.raises(RuntimeError), transaction.atomic():
        record(world)
        raise RuntimeError("the database failed after the write")
    with pytest.raises(StaleTask):
        record(world, version=7)
    assert not WebhookDelivery.objects.exists()


def test_only_active_hooks_of_the_agency_that_want_the_event_get_it(world, receiver):
    wanted = hook_for(world, receiver, [Event.PROGRESS_RECORDED])
    hook_for(world, receiver, [Event.UNIT_REPORT_SUBMITTED])
    hook_for(world, receiver, [Event.PROGRESS_RECORDED], is_active=False)
    Webhook.objects.create(
        agency=world.other_agency, url=receiver.url, events=[Event.PROGRESS_RECORDED]
    )
    record(world)
    assert [d.webhook for d in WebhookDelivery.objects.all()] == [wanted]


def test_a_task_becoming_overdue_is_delivered_once_per_transition(world, receiver):
    # world.task is due "Quý I/2026": 31/03/2026; overdue from 01/04.
    hook_for(
        world,
        receiver,
        [Event.TASK_OVERDUE],
        created_at=timezone.make_aware(datetime(2026, 3, 20, 9, 0)),
    )
    world.add_task(number=2, content="Việc đã xong", deadline_text="Quý I/2026", status="done")
    at = timezone.make_aware(datetime(2026, 3, 31, 23, 0))
    assert run(at).startswith("queued 0 overdue events")
    at = timezone.make_aware(datetime(2026, 4, 1, 7, 0))
    assert run(at) == "queued 1 overdue events, delivered 1"
    assert run(at + timedelta(hours=1)) == "queued 0 overdue events, delivered 0"
    assert run(at + timedelta(days=1)) == "queued 0 overdue events, delivered 0"
    [(_headers, body)] = receiver.received
    assert json.loads(body)["data"]["task"]["state"] == "overdue"
    # The office gives it until 10/04: it falls overdue again on 11/04, a second transition.
    assign_task(
        task=world.task,
        by=world.coordinator,
        lead_units=[world.lead_unit],
        due_date=datetime(2026, 4, 10).date(),
        expected_version=1,
    )
    assert run(at + timedelta(days=5)) == "queued 0 overdue events, delivered 0"
    assert run(at + timedelta(days=10)) == "queued 1 overdue events, delivered 1"
    assert len(receiver.received) == 2


def test_tasks_overdue_before_the_hook_existed_are_not_sent(world, receiver):
    hook_for(
        world,
        receiver,
        [Event.TASK_OVERDUE],
        created_at=timezone.make_aware(datetime(2026, 5, 1, 9, 0)),
    )
    assert run(timezone.make_aware(datetime(2026, 5, 2, 9, 0))).startswith("queued 0")
    assert receiver.received == []


def events_received(receiver):
    return [json.loads(body)["event"] for _headers, body in receiver.received]


def test_unit_reports_and_consolidated_reports_announce_each_step(world, receiver):
    hook_for(world, receiver, [e.value for e in Event if e != Event.PROGRESS_RECORDED])
    period = world.plan.periods.get(kind="q1")
    report = reports.start_unit_report(period=period, unit=world.lead_unit)
    reports.submit_unit_report(report=report, by=world.lead_member)
    reports.return_unit_report(report=report, by=world.coordinator, comment="Bổ sung minh chứng")
    reports.submit_unit_report(report=report, by=world.lead_member)
    reports.accept_unit_report(report=report, by=world.coordinator)
    consolidated = ConsolidatedReport.objects.create(
        period=period, created_by=world.coordinator, symbol="/BC-SKHCN"
    )
    store_report_files(report=consolidated, by=world.coordinator, contents={"csv": b"x"})
    # Typing a number and a date is not issuing; the issue step after the approval is, once.
    for symbol, issued_on in [("/BC-SKHCN", None), ("05/BC-SKHCN", T.date())] * 2:
        consolidated = save_consolidated_report(
            report=consolidated,
            narrative={},
            symbol=symbol,
            issued_on=issued_on,
            by=world.coordinator,
            expected_version=consolidated.version,
        )
    approval.submit_for_approval(
        report=consolidated, by=world.coordinator, approvers=[world.leader]
    )
    approval.approve(report=consolidated, by=world.leader)
    approval.issue(
        report=consolidated, by=world.coordinator, symbol="05/BC-SKHCN", issued_on=T.date()
    )
    with pytest.raises(approval.WrongStep):
        approval.issue(
            report=consolidated, by=world.coordinator, symbol="05/BC-SKHCN", issued_on=T.date()
        )
    run(timezone.now())
    assert events_received(receiver) == [
        "unit_report.submitted",
        "unit_report.returned",
        "unit_report.submitted",
        "unit_report.accepted",
        "consolidated_report.produced",
        "consolidated_report.issued",
    ]
    returned = json.loads(receiver.received[1][1])["data"]["unit_report"]
    assert returned["review_comment"] == "Bổ sung minh chứng"


def test_a_mistyped_argument_stops_the_command_with_status_2(world):
    with pytest.raises(CommandError) as error:
        call_command("deliver_webhooks", "--interval", "0")
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        call_command("deliver_webhooks", "--now", "hôm qua")
    assert error.value.returncode == 2


# The database failing midway through a batch. The command writes in autocommit, as in
# production: these tests run outside a test transaction so that a failed write breaks none.


@pytest.fixture
def three_events(world, receiver, monkeypatch):
    """Three recorded progress updates waiting for one hook; no real waits between record tries."""
    monkeypatch.setattr(services, "RECORD_RETRY_DELAYS", (0, 0, 0))
    hook_for(world, receiver, [Event.PROGRESS_RECORDED])
    for version, percent in ((1, 20), (2, 40), (3, 60)):
        record(world, version=version, percent=percent)
    return list(WebhookDelivery.objects.order_by("pk").values_list("uuid", flat=True))


def received_ids(receiver):
    return [headers["X-PARtrack-Delivery"] for headers, _body in receiver.received]


def run_failing(now, write, times=1):
    """A run whose `write`-th database write (claim or mark, two per delivery) fails."""
    with fails_at_write(write, times) as failure, pytest.raises(CommandError) as error:
        run(now)
    assert failure.fired
    assert error.value.returncode == 1
    assert str(error.value).startswith("the database cannot be reached:")


@pytest.mark.django_db(transaction=True)
def test_a_database_failing_at_a_claim_stops_the_run_and_the_rerun_sends_the_rest_once(
    three_events, receiver
):
    first, second, third = (str(u) for u in three_events)
    run_failing(T, write=3)  # the claim of the second delivery
    assert received_ids(receiver) == [first]
    assert run(T) == "queued 0 overdue events, delivered 2"
    assert run(T + timedelta(hours=1)) == "queued 0 overdue events, delivered 0"
    assert received_ids(receiver) == [first, second, third]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


@pytest.mark.django_db(transaction=True)
def test_a_database_that_blinks_as_a_delivery_is_marked_still_records_it(three_events, receiver):
    run_failing_once = fails_at_write(4)  # the mark of the second delivery, once
    with run_failing_once as failure:
        assert run(T) == "queued 0 overdue events, delivered 3"
    assert failure.fired
    assert run(T + timedelta(hours=1)) == "queued 0 overdue events, delivered 0"
    assert received_ids(receiver) == [str(u) for u in three_events]


@pytest.mark.django_db(transaction=True)
def test_a_delivery_whose_mark_never_got_through_is_sent_once_more_with_the_same_id(
    three_events, receiver
):
    first, second, third = (str(u) for u in three_events)
    # The mark of the second delivery and every try at it fail: the receiver has it, unrecorded.
    run_failing(T, write=4, times=len(services.RECORD_RETRY_DELAYS) + 1)
    assert received_ids(receiver) == [first, second]
    # Its claim holds until the lease runs out; the rest goes at once.
    assert run(T + timedelta(minutes=1)) == "queued 0 overdue events, delivered 1, 1 waiting"
    assert received_ids(receiver) == [first, second, third]
    assert run(T + timedelta(minutes=6)) == "queued 0 overdue events, delivered 1"
    assert run(T + timedelta(hours=1)) == "queued 0 overdue events, delivered 0"
    # The one repeat carries the same delivery id and body: the receiver drops it (README).
    assert received_ids(receiver) == [first, second, third, second]
    assert receiver.received[1][1] == receiver.received[3][1]
