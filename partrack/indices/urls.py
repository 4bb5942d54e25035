from django.urls import path

from partrack.indices import grading_views, views

urlpatterns = [
    path("chi-so/", views.index, name="indices_index"),
    path("chi-so/bo-tieu-chi/nhap/", views.set_import, name="criteria_set_import"),
    path("chi-so/bo-tieu-chi/<int:set_id>/", views.set_detail, name="criteria_set_detail"),
    path(
        "chi-so/bo-tieu-chi/<int:set_id>/tai/<str:kind>/",
        views.set_export,
        name="criteria_set_export",
    ),
    path("chi-so/tu-danh-gia/bat-dau/", views.sa_start, name="self_assessment_start"),
    path("chi-so/tu-danh-gia/<int:sa_id>/", views.sa_detail, name="self_assessment"),
    path(
        "chi-so/tu-danh-gia/<int:sa_id>/phan-cong/", views.sa_assign, name="self_assessment_assign"
    ),
    path(
        "chi-so/tu-danh-gia/<int:sa_id>/buoc/<str:step>/",
        views.sa_step,
        name="self_assessment_step",
    ),
    path(
        "chi-so/tu-danh-gia/<int:sa_id>/tieu-chi/<int:score_id>/",
        views.score_detail,
        name="score_detail",
    ),
    path(
        "chi-so/tu-danh-gia/<int:sa_id>/tai-lieu/<int:link_id>/",
        views.link_file,
        name="evidence_link_file",
    ),
    path(
        "chi-so/tu-danh-gia/<int:sa_id>/ket-qua/", views.sa_results, name="self_assessment_results"
    ),
    path("chi-so/tu-danh-gia/<int:sa_id>/lich-su/", views.history, name="self_assessment_history"),
    path(
        "chi-so/tu-danh-gia/<int:sa_id>/minh-chung.zip",
        views.sa_bundle,
        name="self_assessment_bundle",
    ),
    path(
        "chi-so/tu-danh-gia/<int:sa_id>/bang.<str:kind>",
        views.sa_export,
        name="self_assessment_export",
    ),
    path("chi-so/cong-bo/", views.national_values, name="national_values"),
]

urlpatterns += [
    path("xep-loai/", grading_views.grading_index, name="grading_index"),
    path("xep-loai/<int:regime_id>/", grading_views.grading_board, name="grading_board"),
    path(
        "xep-loai/<int:regime_id>/bang.<str:kind>",
        grading_views.grading_export,
        name="grading_export",
    ),
    path("xep-loai/don-vi/<int:grading_id>/", grading_views.grading_detail, name="grading_detail"),
]
