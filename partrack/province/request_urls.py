from django.urls import path

from partrack.province import request_views as views

urlpatterns = [
    path("yeu-cau/", views.request_list, name="report_requests"),
    path("yeu-cau/moi/", views.request_new, name="report_request_new"),
    path("yeu-cau/<int:request_id>/", views.request_detail, name="report_request"),
    path("yeu-cau/<int:request_id>/han/", views.request_due_date, name="report_request_due"),
    path("yeu-cau/<int:request_id>/huy/", views.request_cancel, name="report_request_cancel"),
    path("yeu-cau/<int:request_id>/tra-loi/", views.request_answer, name="report_request_answer"),
    path(
        "yeu-cau/<int:request_id>/tep-mau/", views.request_template, name="report_request_template"
    ),
    path(
        "yeu-cau/<int:request_id>/tra-loi/<int:answer_id>/tep/",
        views.answer_file,
        name="report_request_answer_file",
    ),
    path("yeu-cau/<int:request_id>/xuat.xlsx", views.request_xlsx, name="report_request_xlsx"),
]
