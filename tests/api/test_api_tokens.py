"""A person's own API tokens: made on a page of their own, shown once, hashed, revoked."""

import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.api.models import ApiToken
from tests.api.support import call, token_for
from tests.conftest import client_as, post_form

pytestmark = pytest.mark.django_db


def create(client, name="Hệ thống của tỉnh", scope="read"):
    return post_form(client, "/tai-khoan/ma-truy-cap/", {"name": name, "scope": scope})


def shown_secret(response):
    found = re.search(r'id="new-token" readonly value="(prt_[^"]+)"', response.content.decode())
    return found.group(1) if found else None


def test_a_new_token_is_shown_once_and_kept_only_as_its_hash(world):
    client = client_as(world.leader)
    response = create(client)
    assert response.status_code == 302
    page = client.get("/tai-khoan/ma-truy-cap/")
    secret = shown_secret(page)
    assert secret and "chỉ lưu dạng băm" in page.content.decode()
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values().get().values()))
    assert shown_secret(client.get("/tai-khoan/ma-truy-cap/")) is None
    assert call("get", "/api/v1/plans", secret)[0] == 200


def test_a_read_token_cannot_write_and_a_read_write_one_can(world):
    client = client_as(world.lead_member)
    create(client, scope="read")
    read = shown_secret(client.get("/tai-khoan/ma-truy-cap/"))
    create(client, scope="write")
    write = shown_secret(client.get("/tai-khoan/ma-truy-cap/"))
    body = {"status": "in_progress", "percent": 10, "version": 1}
    path = f"/api/v1/tasks/{world.task.pk}/progress"
    assert call("post", path, read, body)[0] == 403
    assert call("post", path, write, body)[0] == 201


def test_a_token_without_a_name_is_refused_in_vietnamese(world):
    response = create(client_as(world.leader), name="")
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_at_once(world):
    secret = token_for(world.leader)
    token = ApiToken.objects.get()
    client = client_as(world.leader)
    response = post_form(client, f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/", {})
    assert response.status_code == 302
    status, body = call("get", "/api/v1/plans", secret)
    assert status == 401 and body["error"]["code"] == "unauthorized"
    assert "Đã thu hồi" in client.get("/tai-khoan/ma-truy-cap/").content.decode()


def test_nobody_revokes_or_sees_another_persons_token(world):
    secret = token_for(world.leader)
    token = ApiToken.objects.get()
    client = client_as(world.coordinator)
    response = post_form(client, f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/", {})
    assert response.status_code == 404
    assert call("get", "/api/v1/plans", secret)[0] == 200
    assert token.prefix not in client.get("/tai-khoan/ma-truy-cap/").content.decode()


def test_the_token_page_needs_a_sign_in(world):
    response = client_as().get("/tai-khoan/ma-truy-cap/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_token_of_a_deactivated_person_stops_working(world):
    secret = token_for(world.leader)
    world.leader.is_active = False
    world.leader.save()
    assert call("get", "/api/v1/plans", secret)[0] == 401


def test_the_token_page_runs_the_same_queries_with_one_token_or_twenty(world):
    client = client_as(world.leader)
    token_for(world.leader)
    client.get("/tai-khoan/ma-truy-cap/")
    with CaptureQueriesContext(connection) as one:
        client.get("/tai-khoan/ma-truy-cap/")
    for _ in range(19):
        token_for(world.leader)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/tai-khoan/ma-truy-cap/")
    assert response.content.decode().count("Thu hồi") >= 20
    assert len(one) == len(twenty) <= 8
