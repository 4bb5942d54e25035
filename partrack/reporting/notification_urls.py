from django.urls import path, re_path

from partrack.reporting import notification_views as views

urlpatterns = [
    path("thong-bao/", views.notification_list, name="notification_list"),
    path("thong-bao/da-doc/", views.notification_read_all, name="notification_read_all"),
    path(
        "thong-bao/<int:notification_id>/da-doc/",
        views.notification_read,
        name="notification_read",
    ),
    path("cai-dat/", views.notification_settings, name="notification_settings"),
    path("cai-dat/lich-moi/", views.calendar_reset, name="calendar_reset"),
    # The token is URL-safe base64 (secrets.token_urlsafe).
    re_path(
        r"^lich/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", views.calendar_feed, name="calendar_feed"
    ),
]
