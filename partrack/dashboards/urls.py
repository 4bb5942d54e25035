from django.urls import path

from partrack.dashboards import views

urlpatterns = [
    path("ke-hoach/<int:plan_id>/tong-quan/", views.plan_overview, name="plan_overview"),
    path("ke-hoach/<int:plan_id>/xep-hang/", views.plan_ranking, name="plan_ranking"),
    path(
        "ke-hoach/<int:plan_id>/xep-hang/xlsx/", views.plan_ranking_xlsx, name="plan_ranking_xlsx"
    ),
    path(
        "ke-hoach/<int:plan_id>/xep-hang/trong-so/", views.ranking_weights, name="ranking_weights"
    ),
    path("ke-hoach/<int:plan_id>/cong-khai/", views.plan_public_switch, name="plan_public_switch"),
    path("cong-khai/<str:token>/", views.public_plan, name="public_plan"),
]
