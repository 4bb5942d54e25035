"""The agency's webhook pages: only its administrator and office register and watch hooks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.webhooks.models import Event, Webhook, WebhookDelivery
from tests.conftest import client_as, post_form

pytestmark = pytest.mark.django_db


def register(client, url="https://tinh.example.gov.vn/nhan", events=("progress.recorded",)):
    return post_form(client, "/webhook/", {"url": url, "events": list(events)})


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
def test_the_office_and_the_administrator_register_a_hook_and_see_its_secret(world, persona):
    client = client_as(getattr(world, persona))
    response = register(client)
    hook = Webhook.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/webhook/{hook.pk}/"
    assert (hook.agency, hook.events) == (world.agency, ["progress.recorded"])
    page = client.get(f"/webhook/{hook.pk}/").content.decode()
    assert hook.secret in page and "Ghi tiến độ nhiệm vụ" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("leader", 403),
        ("lead_member", 403),
        ("viewer", 403),
        ("province_viewer", 404),
        ("outsider", 404),
    ],
)
def test_everyone_else_is_refused(world, persona, status):
    hook = Webhook.objects.create(agency=world.agency, url="https://a.example/", events=["x"])
    client = client_as(getattr(world, persona))
    assert client.get(f"/webhook/{hook.pk}/").status_code == status
    assert post_form(client, f"/webhook/{hook.pk}/xoa/", {}).status_code == status
    if persona != "outsider":
        assert client.get("/webhook/").status_code == 403
    assert Webhook.objects.filter(pk=hook.pk).exists()
    assert hook.secret not in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(world):
    response = client_as().get("/webhook/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_bad_address_or_no_event_is_refused_in_vietnamese_and_the_input_kept(world):
    response = register(client_as(world.coordinator), url="khong-phai-url", events=())
    page = response.content.decode()
    assert response.status_code == 400
    assert "Địa chỉ phải là một URL đầy đủ" in page and "Hãy chọn ít nhất một sự kiện." in page
    assert 'value="khong-phai-url"' in page
    assert not Webhook.objects.exists()


def test_the_hook_page_shows_each_delivery_with_its_last_answer_and_retries_one(world):
    hook = Webhook.objects.create(
        agency=world.agency, url="https://a.example/", events=[Event.PROGRESS_RECORDED]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook,
        event=Event.PROGRESS_RECORDED,
        key="progress:1",
        body="{}",
        status="failed",
        attempts=15,
        response_status=503,
        response_body="bảo trì",
        last_error="HTTP 503",
    )
    client = client_as(world.coordinator)
    page = client.get(f"/webhook/{hook.pk}/").content.decode()
    assert "HTTP 503" in page and "bảo trì" in page and "Gửi không được" in page
    post_form(client, f"/webhook/{hook.pk}/gui-lai/{delivery.pk}/", {})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 0)


def test_turning_a_hook_off_stops_its_deliveries(world):
    hook = Webhook.objects.create(agency=world.agency, url="https://a.example/", events=["x"])
    post_form(client_as(world.coordinator), f"/webhook/{hook.pk}/bat-tat/", {})
    hook.refresh_from_db()
    assert hook.is_active is False


def test_the_hook_page_runs_the_same_queries_with_one_delivery_or_sixty(world):
    hook = Webhook.objects.create(agency=world.agency, url="https://a.example/", events=["x"])
    client = client_as(world.coordinator)

    def add(n):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=hook, event="progress.recorded", key=f"k{n}-{i}", body="{}")
            for i in range(n)
        )

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/webhook/{hook.pk}/").status_code == 200
    add(59)
    with CaptureQueriesContext(connection) as sixty:
        client.get(f"/webhook/{hook.pk}/")
    with CaptureQueriesContext(connection) as listing:
        client.get("/webhook/")
    assert len(one) == len(sixty) <= 9
    assert len(listing) <= 8
