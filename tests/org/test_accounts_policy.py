"""The site-wide guards: the Vietnamese page for a refused form, the session's length, and the
Content-Security-Policy on every page, which the pages keep (no inline script or style)."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.conftest import client_as, demo_client, post_form
from tests.org.test_accounts import OLD


def test_a_post_with_a_stale_token_gets_the_vietnamese_page(world):
    client = client_as(world.lead_member)
    client.get("/doi-mat-khau/")

    response = client.post(
        "/doi-mat-khau/",
        {"old_password": OLD, "csrfmiddlewaretoken": "x" * 64},
        HTTP_REFERER="http://testserver/doi-mat-khau/",
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Chưa gửi được: trang này đã cũ" in page
    assert 'href="http://testserver/doi-mat-khau/"' in page  # back to the form, fresh
    world.lead_member.refresh_from_db()
    assert world.lead_member.check_password(OLD)


def test_a_post_without_the_cookie_gets_the_same_page_and_a_way_home(db):
    response = Client(enforce_csrf_checks=True).post(
        "/dang-nhap/", {"username": "x", "password": "y"}, HTTP_REFERER="https://evil.example/"
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "cho phép cookie" in page
    assert 'href="/"' in page and "evil.example" not in page


def test_the_session_cookie_lasts_as_long_as_settings_say(world, settings):
    settings.SESSION_COOKIE_AGE = 2 * 3600
    client = Client(enforce_csrf_checks=True)

    post_form(client, "/dang-nhap/", {"username": "lead", "password": OLD})

    assert client.cookies["sessionid"]["max-age"] == 7200


def settings_under(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PARTRACK_")}
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    )
    return subprocess.run(
        [sys.executable, "-m", "partrack", "shell", "-c", code],
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_session_length_and_login_lock_come_from_the_environment():
    default = settings_under().stdout.splitlines()[-1].split()
    chosen = (
        settings_under(
            PARTRACK_SESSION_HOURS="2",
            PARTRACK_LOGIN_FAILURE_LIMIT="5",
            PARTRACK_LOGIN_COOLOFF_MINUTES="0",
        )
        .stdout.splitlines()[-1]
        .split()
    )

    assert default == ["43200", "10", "0:30:00"]
    assert chosen == ["7200", "5", "None"]


def test_a_session_of_no_hours_stops_start_up_with_its_name():
    result = settings_under(PARTRACK_SESSION_HOURS="0")

    assert result.returncode != 0
    assert "PARTRACK_SESSION_HOURS" in result.stderr


class InlineCode(HTMLParser):
    """Collects what the policy refuses: inline scripts and styles, handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
            url = (value or "").strip().lower()
            if name in ("href", "src", "action") and url.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def links(html):
    class Links(HTMLParser):
        found = []

        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href")
            if tag == "a" and href:
                self.found.append(href)

    parser = Links()
    parser.found = []
    parser.feed(html)
    return parser.found


def crawl(client, start, limit=80):
    """Every page reachable by links from `start`, one URL per view: {path: response}."""
    seen_views, pages, queue = set(), {}, [start]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        try:
            view = resolve(parts.path).view_name
        except Resolver404:
            continue
        if view in seen_views or view == "logout":
            continue
        seen_views.add(view)
        response = client.get(url, follow=True)
        pages[url] = response
        if response["Content-Type"].startswith("text/html"):
            queue.extend(links(response.content.decode()))
    return pages


POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def policy(response):
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize("login", ["vanphong", "lanhdao", "phongcds"])
def test_every_page_carries_the_policy_and_has_no_inline_code(demo, login):
    pages = crawl(demo_client(login), "/")

    assert len(pages) > 10
    for url, response in pages.items():
        assert response.status_code in (200, 403), url
        if response["Content-Type"].startswith("text/html"):
            assert policy(response) == POLICY, url
            assert inline_code(response.content.decode()) == [], url


@pytest.mark.parametrize(
    "url", ["/dang-nhap/", "/quen-mat-khau/", "/quen-mat-khau/da-gui/", "/khong-co-trang-nay/"]
)
def test_pages_for_visitors_carry_the_policy_and_have_no_inline_code(db, url):
    response = Client().get(url)

    assert policy(response) == POLICY
    assert inline_code(response.content.decode()) == []


def test_the_admin_and_the_forbidden_page_carry_the_policy_too(world):
    assert "frame-ancestors 'none'" in Client().get("/quan-tri/login/")["Content-Security-Policy"]
    forbidden = client_as(world.viewer).get("/nhap-ke-hoach/")
    assert forbidden.status_code == 403
    assert policy(forbidden) == POLICY


def test_the_inline_code_check_finds_what_the_policy_refuses():
    html = (
        '<script>alert(1)</script><script type="application/json">{}</script>'
        '<p style="color:red" onclick="x()"><a href="javascript:void(0)">a</a></p><style></style>'
    )

    assert inline_code(html) == [
        "<script> without src",
        "<p style=…>",
        "<p onclick=…>",
        "<a href=javascript:void(0)>",
        "<style>",
    ]


PACKAGE = Path(__file__).resolve().parents[2] / "partrack"
# What the policy refuses, written into a template: found even on pages no crawl reaches.
REFUSED_IN_TEMPLATES = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"  # an inline script
    r"|<style\b"  # a style element
    r"|\s(?:on[a-z]+|style)\s*=\s*[\"']"  # a handler or a style attribute
    r"|javascript:",
    re.IGNORECASE,
)
# An event handler attribute ("onclick", "onchange"…), not a word such as "only".
HANDLER = (
    r"on(?:click|dblclick|change|input|submit|reset|focus|blur|load|error|select|scroll|wheel"
    r"|key[a-z]+|mouse[a-z]+|pointer[a-z]+|touch[a-z]+|drag[a-z]*|drop|copy|cut|paste)"
)
REFUSED_IN_WIDGETS = re.compile(
    rf"""attrs\[["'](?:style|{HANDLER})["']\]|["'](?:style|{HANDLER})["']\s*:"""
)


def test_no_template_or_form_widget_writes_inline_code():
    found = [
        f"{path.relative_to(PACKAGE)}: {match.group(0)}"
        for path in sorted(PACKAGE.glob("templates/**/*.html"))
        for match in REFUSED_IN_TEMPLATES.finditer(path.read_text())
    ]
    found += [
        f"{path.relative_to(PACKAGE)}: {match.group(0)}"
        for path in sorted(PACKAGE.glob("**/*.py"))
        if "migrations" not in path.parts
        for match in REFUSED_IN_WIDGETS.finditer(path.read_text())
    ]

    assert found == []


def test_the_template_scan_finds_what_the_policy_refuses():
    samples = [
        "<script>x()</script>",
        "<style>p{}</style>",
        '<p style="color: red">',
        "<input onfocus='this.select()'>",
        '<a href="javascript:void(0)">',
    ]
    allowed = [
        '<script src="a.js" defer></script>',
        '<tr data-month="3">',
        "{{ x|json_script:'d' }}",
    ]

    assert all(REFUSED_IN_TEMPLATES.search(sample) for sample in samples)
    assert not any(REFUSED_IN_TEMPLATES.search(sample) for sample in allowed)
    assert REFUSED_IN_WIDGETS.search('field.widget.attrs["style"] = "width: 1rem"')
    assert REFUSED_IN_WIDGETS.search("forms.TextInput(attrs={'onchange': 'go()'})")
