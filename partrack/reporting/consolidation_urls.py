from django.urls import path

from partrack.reporting import approval_views, inbox_views
from partrack.reporting import consolidation_views as views

urlpatterns = [
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/",
        views.consolidated_report,
        name="consolidated_report",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/luu/",
        views.consolidated_report_save,
        name="consolidated_report_save",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/soan-lai/",
        views.consolidated_report_redraft,
        name="consolidated_report_redraft",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/xuat-tep/",
        views.consolidated_report_produce,
        name="consolidated_report_produce",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/phien-ban/<int:version>/ban-hanh/",
        views.consolidated_report_issue,
        name="consolidated_report_issue",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/tep/<int:file_id>/",
        views.report_file_download,
        name="report_file_download",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/trinh-duyet/",
        approval_views.submit,
        name="consolidated_report_submit",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/duyet/",
        approval_views.decide,
        name="consolidated_report_decide",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/ban-hanh/",
        approval_views.issue,
        name="consolidated_report_issue_number",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/ban-ky-so/",
        approval_views.upload_signed,
        name="consolidated_report_signed",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/ban-ky-so/<int:signed_id>/",
        approval_views.signed_download,
        name="consolidated_report_signed_file",
    ),
    path(
        "ky-bao-cao/<int:period_id>/bao-cao-tong-hop/gui/",
        approval_views.send,
        name="consolidated_report_send",
    ),
    path("van-ban-den/", inbox_views.inbox, name="inbox"),
    path("van-ban-den/<int:delivery_id>/", inbox_views.inbox_item, name="inbox_item"),
    path("van-ban-den/<int:delivery_id>/tep/", inbox_views.inbox_file, name="inbox_file"),
]
