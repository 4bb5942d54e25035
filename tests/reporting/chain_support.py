"""A world where a consolidated report goes up the chain: leaders, Sở Nội vụ, a test CA."""

from partrack.documents import libreoffice
from partrack.org.models import Role, Unit
from partrack.reporting import consolidation
from partrack.reporting.models import ConsolidatedReport
from tests import signing
from tests.conftest import make_person, post_form


def page(period, action=""):
    url = f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"
    return url + (f"{action}/" if action else "")


def chain_world(world, settings, monkeypatch):
    """`world` with a second leader, Sở Nội vụ inside the province agency and its desk, the
    agency's recipients, e-mail for everyone, LibreOffice out of the way, the test CA trusted."""
    monkeypatch.setattr(libreoffice, "program", lambda: None)
    signing.trust_test_root(settings)
    world.other_leader = make_person("leader2", world.agency, Role.LEADER)
    world.snv = Unit.objects.create(
        agency=world.province, name="Sở Nội vụ", short_name="SNV", is_coordinator=True
    )
    world.snv_desk = make_person("sonoivu", world.province, Role.COORDINATOR, world.snv)
    world.snv_member = make_person("snv-member", world.province, Role.MEMBER, world.snv)
    world.agency.report_recipients = [
        "Sở Nội vụ (b/c)",
        "UBND tỉnh (b/c)",
        "Sở Tư pháp (để phối hợp)",
        "Bộ Nội vụ (để b/c)",
        "Văn phòng Chính phủ",
        "GĐ, các PGĐ Sở",
        "Lưu: VT, VP.",
    ]
    world.agency.save(update_fields=["report_recipients"])
    for user in (
        world.coordinator,
        world.leader,
        world.other_leader,
        world.snv_desk,
        world.outsider,
    ):
        user.email = f"{user.username}@example.vn"
        user.last_name, user.first_name = "Nguyễn", user.username.capitalize()
        user.save()
    world.q1 = world.plan.periods.get(kind="q1")
    world.report = consolidation.start_consolidated_report(period=world.q1, by=world.coordinator)
    return world


def refreshed(world):
    return ConsolidatedReport.objects.get(pk=world.report.pk)


def submit(client, world, *leaders, comment=""):
    data = {"approvers": [leader.pk for leader in leaders], "comment": comment}
    return post_form(client, page(world.q1, "trinh-duyet"), data)


def decide(client, world, decision, comment=""):
    return post_form(client, page(world.q1, "duyet"), {"decision": decision, "comment": comment})


def issue(client, world, symbol="05/BC-SKHCN", day="18/03/2026"):
    return post_form(client, page(world.q1, "ban-hanh"), {"symbol": symbol, "issued_on": day})


def upload(client, world, data, name="bao-cao-da-ky.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if "csrftoken" not in client.cookies:
        client.get("/dang-nhap/")
    return client.post(
        page(world.q1, "ban-ky-so"),
        {
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )


def send(client, world, emails=None):
    emails = emails or {3: "vp@bnv.gov.vn", 4: "vp@chinhphu.vn"}
    return post_form(
        client, page(world.q1, "gui"), {f"email-{i}": value for i, value in emails.items()}
    )


def up_to_issued(world):
    office, leader = world.client(world.coordinator), world.client(world.leader)
    assert submit(office, world, world.leader).status_code == 302
    assert decide(leader, world, "approve").status_code == 302
    assert issue(office, world).status_code == 302
    return office, leader


def up_to_sent(world):
    office, leader = up_to_issued(world)
    assert upload(office, world, signing.small_signed_pdf()).status_code == 302
    assert send(office, world).status_code == 302
    return office, leader
