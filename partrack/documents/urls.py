from django.urls import path

from partrack.documents import views

urlpatterns = [
    path("nhap-ke-hoach/", views.import_upload, name="import_upload"),
    path("nhap-ke-hoach/ban-nhap/", views.import_drafts, name="import_drafts"),
    path("nhap-ke-hoach/<int:draft_id>/", views.import_review, name="import_review"),
    path("nhap-ke-hoach/<int:draft_id>/bo/", views.import_discard, name="import_discard"),
    path("nhap-ke-hoach/<int:draft_id>/cot/", views.import_columns, name="import_columns"),
    path(
        "nhap-ke-hoach/<int:draft_id>/dieu-chinh/",
        views.import_revise_instead,
        name="import_revise_instead",
    ),
    path("ke-hoach/<int:plan_id>/nhap-dieu-chinh/", views.import_revision, name="import_revision"),
    path("ke-hoach/<int:plan_id>/xuat.docx", views.plan_export_docx, name="plan_export_docx"),
    path("ke-hoach/<int:plan_id>/xuat.xlsx", views.plan_export_xlsx, name="plan_export_xlsx"),
]
