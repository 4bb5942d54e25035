"""The OpenAPI schema: valid, committed as docs/openapi.json, browsable with self-hosted files."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

from partrack.api.management.commands.api_schema import COMMITTED, schema_text

pytestmark = pytest.mark.django_db


def test_the_served_schema_is_valid_openapi_3():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/tasks/{task_id}/progress" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_committed_schema_is_the_one_the_code_makes():
    # Failing after a change to the API: run `partrack api_schema`, commit docs/openapi.json.
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "docs/openapi.json is out of date: run `partrack api_schema` and commit it"
    )
    validate(json.loads(COMMITTED.read_text(encoding="utf-8")))


def test_the_docs_page_runs_under_the_content_security_policy_with_files_of_its_own():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, code in scripts:
        if 'type="application/json"' in attributes:
            continue  # data for the script file, never run
        assert code.strip() == "" and 'src="/static/' in attributes, attributes
    assert not re.search(r"\son[a-z]+=|\sstyle=", html)
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert finders.find(asset), asset
    assert "cdn" not in html.lower()
