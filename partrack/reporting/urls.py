from django.urls import path

from partrack.reporting import views

urlpatterns = [
    path("ke-hoach/<int:plan_id>/ky-bao-cao/", views.period_list, name="period_list"),
    path("ky-bao-cao/<int:period_id>/", views.period_board, name="period_board"),
    path("ky-bao-cao/<int:period_id>/sua/", views.period_edit, name="period_edit"),
    path("ky-bao-cao/<int:period_id>/don-vi/<int:unit_id>/", views.unit_report, name="unit_report"),
    path(
        "ky-bao-cao/<int:period_id>/don-vi/<int:unit_id>/bat-dau/",
        views.unit_report_start,
        name="unit_report_start",
    ),
    path(
        "ky-bao-cao/<int:period_id>/don-vi/<int:unit_id>/luu/",
        views.unit_report_save,
        name="unit_report_save",
    ),
    path(
        "ky-bao-cao/<int:period_id>/don-vi/<int:unit_id>/gui/",
        views.unit_report_submit,
        name="unit_report_submit",
    ),
    path(
        "ky-bao-cao/<int:period_id>/don-vi/<int:unit_id>/xem-xet/",
        views.unit_report_review,
        name="unit_report_review",
    ),
    path("can-lam/", views.todo, name="todo"),
]
