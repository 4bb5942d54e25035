from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partrack import health
from partrack.plans import views as plan_views

handler500 = "partrack.failures.server_error"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ke-hoach/<int:plan_id>/", plan_views.plan_detail, name="plan_detail"),
    path("nhiem-vu/<int:task_id>/", plan_views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:task_id>/tien-do/", plan_views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:task_id>/phoi-hop/", plan_views.task_contribute, name="task_contribute"),
    path("nhiem-vu/<int:task_id>/dieu-chinh/", plan_views.task_assign, name="task_assign"),
    path("don-vi-cua-toi/", plan_views.my_unit, name="my_unit"),
    path("minh-chung/<int:evidence_id>/", plan_views.evidence_file, name="evidence_file"),
    path("", include("partrack.documents.urls")),
    path("", include("partrack.reporting.urls")),
    path("", include("partrack.reporting.notification_urls")),
    path("", include("partrack.reporting.consolidation_urls")),
    path("", include("partrack.dashboards.urls")),
    path("quan-tri/", admin.site.urls),
]
