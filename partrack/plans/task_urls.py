"""URLs of tasks as offices use them (issue 14), kept apart so that partrack/urls.py gains one
include only."""

from django.urls import path

from partrack.plans import task_views

urlpatterns = [
    path("ke-hoach/<int:plan_id>/bo-sung-nhiem-vu/", task_views.task_add, name="task_add"),
    path(
        "ke-hoach/<int:plan_id>/xac-nhan-hoan-thanh/",
        task_views.plan_done_confirmation,
        name="plan_done_confirmation",
    ),
    path("nhiem-vu/<int:task_id>/noi-dung-con/", task_views.sub_item_add, name="sub_item_add"),
    path("noi-dung-con/<int:item_id>/", task_views.sub_item_record, name="sub_item_record"),
    path("nhiem-vu/<int:task_id>/gia-han/", task_views.extension_request, name="extension_request"),
    path(
        "nhiem-vu/<int:task_id>/gia-han/cho-phep-them/",
        task_views.extension_allow_more,
        name="extension_allow_more",
    ),
    path("gia-han/<int:request_id>/", task_views.extension_decide, name="extension_decide"),
    path(
        "nhiem-vu/<int:task_id>/xac-nhan/", task_views.completion_decide, name="completion_decide"
    ),
]
