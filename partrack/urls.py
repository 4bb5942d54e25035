from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partrack import health
from partrack.org import account_forms, account_views
from partrack.plans import views as plan_views

handler500 = "partrack.failures.server_error"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # A person's password: Django's own views, Vietnamese templates under registration/.
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(form_class=account_forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(
            form_class=account_forms.PasswordResetForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(form_class=account_forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("ke-hoach/", plan_views.plan_list, name="plan_list"),
    path("ke-hoach/<int:plan_id>/", plan_views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:plan_id>/thong-tin/", plan_views.plan_facts, name="plan_facts"),
    path("ke-hoach/<int:plan_id>/luu-tru/", plan_views.plan_archive, name="plan_archive"),
    path("ke-hoach/<int:plan_id>/khoi-phuc/", plan_views.plan_restore, name="plan_restore"),
    path("ke-hoach/luu-tru/", plan_views.plan_archive_list, name="plan_archive_list"),
    path("nhiem-vu/<int:task_id>/", plan_views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:task_id>/tien-do/", plan_views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:task_id>/phoi-hop/", plan_views.task_contribute, name="task_contribute"),
    path("nhiem-vu/<int:task_id>/dieu-chinh/", plan_views.task_assign, name="task_assign"),
    path("don-vi-cua-toi/", plan_views.my_unit, name="my_unit"),
    path("minh-chung/<int:evidence_id>/", plan_views.evidence_file, name="evidence_file"),
    path("", include("partrack.plans.task_urls")),
    path("", include("partrack.documents.urls")),
    path("", include("partrack.reporting.urls")),
    path("", include("partrack.reporting.notification_urls")),
    path("", include("partrack.reporting.consolidation_urls")),
    path("", include("partrack.inspections.urls")),
    path("", include("partrack.dashboards.urls")),
    path("", include("partrack.activities.urls")),
    path("", include("partrack.api.urls")),
    path("", include("partrack.webhooks.urls")),
    path("", include("partrack.province.urls")),
    path("", include("partrack.indices.urls")),
    path("", include("partrack.cascade.urls")),
    path("quan-tri/", admin.site.urls),
]
