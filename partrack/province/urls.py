from django.urls import include, path

from partrack.province import views

urlpatterns = [
    path("nhiem-vu-cac-co-quan/", views.task_list, name="across_tasks"),
    path(
        "nhiem-vu-cac-co-quan/xuat.csv",
        views.task_export,
        {"kind": "csv"},
        name="across_tasks_csv",
    ),
    path(
        "nhiem-vu-cac-co-quan/xuat.xlsx",
        views.task_export,
        {"kind": "xlsx"},
        name="across_tasks_xlsx",
    ),
    path("", include("partrack.province.request_urls")),
]
