from django.urls import path

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
]
