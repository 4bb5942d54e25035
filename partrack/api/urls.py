from django.urls import path, re_path

from partrack.api import token_views
from partrack.api.endpoints import api
from partrack.api.errors import error_response, not_found_message


def api_not_found(request, rest=""):
    """An address under /api/v1/ that names no endpoint answers in the API's error shape."""
    return error_response(404, "not_found", not_found_message())


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found),
    path("tai-khoan/ma-truy-cap/", token_views.token_list, name="api_tokens"),
    path(
        "tai-khoan/ma-truy-cap/<int:token_id>/thu-hoi/",
        token_views.token_revoke,
        name="api_token_revoke",
    ),
]
