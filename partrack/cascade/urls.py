from django.urls import path

from partrack.cascade import views

urlpatterns = [
    path("tinh/nhiem-vu/<int:task_id>/", views.province_task, name="province_task"),
    path("nhiem-vu/<int:task_id>/gan-ke-hoach-tinh/", views.task_link, name="task_link"),
    path("ke-hoach/<int:plan_id>/gan-ke-hoach-tinh/", views.plan_links, name="plan_links"),
    path("tinh/bao-cao-tong-hop/", views.province_report_page, name="province_report"),
]
