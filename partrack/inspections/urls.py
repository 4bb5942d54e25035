from django.urls import path

from partrack.inspections import views

urlpatterns = [
    path("ke-hoach/<int:plan_id>/kiem-tra/", views.plan_inspection, name="plan_inspection"),
    path(
        "ke-hoach/<int:plan_id>/kiem-tra/tien-do/",
        views.inspection_progress,
        name="inspection_progress",
    ),
    path("kiem-tra/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    path("kiem-tra/<int:inspection_id>/sua/", views.inspection_edit, name="inspection_edit"),
    path(
        "kiem-tra/<int:inspection_id>/chon-don-vi/", views.inspection_units, name="inspection_units"
    ),
    path("kiem-tra/<int:inspection_id>/doan/", views.inspection_team, name="inspection_team"),
    path("kiem-tra/<int:inspection_id>/ban-hanh/", views.inspection_issue, name="inspection_issue"),
    path(
        "kiem-tra/<int:inspection_id>/don-vi/<int:unit_id>/",
        views.inspected_unit,
        name="inspected_unit",
    ),
    path(
        "kiem-tra/<int:inspection_id>/don-vi/<int:unit_id>/lich/",
        views.inspected_schedule,
        name="inspected_schedule",
    ),
    path(
        "kiem-tra/<int:inspection_id>/don-vi/<int:unit_id>/bien-ban/",
        views.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "kiem-tra/<int:inspection_id>/don-vi/<int:unit_id>/ky/",
        views.minutes_sign,
        name="minutes_sign",
    ),
    path(
        "kiem-tra/<int:inspection_id>/don-vi/<int:unit_id>/ket-luan/",
        views.conclusion,
        name="inspection_conclusion",
    ),
    path(
        "kiem-tra/<int:inspection_id>/don-vi/<int:unit_id>/kien-nghi/",
        views.recommendation,
        name="inspection_recommendation",
    ),
    path(
        "kiem-tra/<int:inspection_id>/bao-cao/<int:unit_id>/",
        views.unit_report,
        name="inspection_unit_report",
    ),
    path(
        "kiem-tra/<int:inspection_id>/bao-cao/<int:unit_id>/xem-xet/",
        views.unit_report_review,
        name="inspection_unit_report_review",
    ),
    path("kiem-tra/<int:inspection_id>/tep/", views.produce_file, name="inspection_produce"),
    path(
        "kiem-tra/<int:inspection_id>/tep/<int:file_id>/",
        views.download_file,
        name="inspection_file",
    ),
]
