"""Calling the API as the World's personas, each with a token of their own."""

import json

from django.test import Client
from django.utils import timezone

from partrack.api.models import ApiToken
from partrack.reporting.consolidation import store_report_files
from partrack.reporting.models import ConsolidatedReport
from partrack.reporting.services import start_unit_report


def token_for(user, scope=ApiToken.Scope.WRITE):
    _token, secret = ApiToken.issue(user=user, name="test", scope=scope, now=timezone.now())
    return secret


def call(method, path, secret=None, body=None):
    """(status, JSON body) of an API call with `secret` as the bearer token (None: no header)."""
    client = Client(enforce_csrf_checks=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    if method == "get":
        response = client.get(path, **headers)
    else:
        response = client.post(
            path, json.dumps(body or {}), content_type="application/json", **headers
        )
    return response.status_code, response.json()


def persona_secret(world, persona):
    """The token a persona calls with; None for the anonymous caller."""
    if persona == "anonymous":
        return None
    if persona == "revoked":
        secret = token_for(world.lead_member)
        ApiToken.objects.get(user=world.lead_member).revoke(timezone.now())
        return secret
    if persona == "read_only":
        return token_for(world.lead_member, ApiToken.Scope.READ)
    user = {
        "office": world.coordinator,
        "leader": world.leader,
        "lead_member": world.lead_member,
        "other_unit": world.bystander,
        "other_agency": world.outsider,
        "province": world.province_viewer,
    }[persona]
    return token_for(user)


def reporting_world(world):
    """The Quý I period with the lead unit's report started and a consolidated report produced."""
    period = world.plan.periods.get(kind="q1")
    unit_report = start_unit_report(period=period, unit=world.lead_unit)
    consolidated = ConsolidatedReport.objects.create(
        period=period, created_by=world.coordinator, symbol="/BC-SKHCN"
    )
    store_report_files(report=consolidated, by=world.coordinator, contents={"csv": b"a;b\n"})
    return period, unit_report, consolidated
