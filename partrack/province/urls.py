from django.urls import include, path

from partrack.province import tree_views, views

urlpatterns = [
    path("quan-tri-tinh/co-quan/", tree_views.agency_list, name="tree_agencies"),
    path("quan-tri-tinh/co-quan/them/", tree_views.agency_add, name="tree_agency_add"),
    path("quan-tri-tinh/co-quan/<int:agency_id>/", tree_views.agency_detail, name="tree_agency"),
    path(
        "quan-tri-tinh/co-quan/<int:agency_id>/don-vi/them/",
        tree_views.unit_add,
        name="tree_unit_add",
    ),
    path("quan-tri-tinh/don-vi/<int:unit_id>/", tree_views.unit_edit, name="tree_unit"),
    path(
        "quan-tri-tinh/co-quan/<int:agency_id>/nguoi/them/",
        tree_views.person_add,
        name="tree_person_add",
    ),
    path(
        "quan-tri-tinh/thanh-vien/<int:membership_id>/",
        tree_views.membership_edit,
        name="tree_membership",
    ),
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
    path("", include("partrack.province.request_urls")),
]
