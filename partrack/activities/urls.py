from django.urls import path

from partrack.activities import views

WORDS = {"activity": "tuyen-truyen", "initiative": "sang-kien", "document": "van-ban"}

urlpatterns = [
    path("ke-hoach/<int:plan_id>/chi-tieu/", views.indicator_list, name="indicator_list"),
    path(
        "ke-hoach/<int:plan_id>/chi-tieu/<int:indicator_id>/sua/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path("ke-hoach/<int:plan_id>/so-theo-doi/lich-su/", views.history, name="register_history"),
    path("ky-bao-cao/<int:period_id>/so-lieu/", views.figure_period, name="figure_period"),
    path(
        "ky-bao-cao/<int:period_id>/so-lieu/mau.xlsx",
        views.figure_template,
        name="figure_template",
    ),
    path("ky-bao-cao/<int:period_id>/so-lieu/nhap/", views.figure_upload, name="figure_upload"),
    path(
        "ky-bao-cao/<int:period_id>/so-lieu/xem-xet/<int:unit_id>/",
        views.figure_review,
        name="figure_review",
    ),
    path("so-lieu/nhap/<int:import_id>/", views.figure_import_review, name="figure_import_review"),
]

for kind, word in WORDS.items():
    urlpatterns += [
        path(
            f"ke-hoach/<int:plan_id>/{word}/",
            views.register_list,
            {"kind": kind},
            name=f"{kind}_list",
        ),
        path(
            f"ke-hoach/<int:plan_id>/{word}/them/",
            views.register_add,
            {"kind": kind},
            name=f"{kind}_add",
        ),
        path(
            f"{word}/<int:record_id>/sua/", views.register_edit, {"kind": kind}, name=f"{kind}_edit"
        ),
        path(
            f"{word}/<int:record_id>/xoa/",
            views.register_delete,
            {"kind": kind},
            name=f"{kind}_delete",
        ),
        path(
            f"{word}/<int:record_id>/tep/", views.register_file, {"kind": kind}, name=f"{kind}_file"
        ),
    ]
