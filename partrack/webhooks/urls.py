from django.urls import path

from partrack.webhooks import views

urlpatterns = [
    path("webhook/", views.webhook_list, name="webhook_list"),
    path("webhook/<int:webhook_id>/", views.webhook_detail, name="webhook_detail"),
    path("webhook/<int:webhook_id>/bat-tat/", views.webhook_toggle, name="webhook_toggle"),
    path("webhook/<int:webhook_id>/xoa/", views.webhook_delete, name="webhook_delete"),
    path(
        "webhook/<int:webhook_id>/gui-lai/<int:delivery_id>/",
        views.delivery_retry,
        name="webhook_delivery_retry",
    ),
]
