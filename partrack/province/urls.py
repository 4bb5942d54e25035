from django.urls import path

from partrack.province import views

urlpatterns = [
    path("tong-quan-tinh/", views.province_overview, name="province_overview"),
    path("tong-quan-tinh/xuat.xlsx", views.province_overview_xlsx, name="province_overview_xlsx"),
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
]
