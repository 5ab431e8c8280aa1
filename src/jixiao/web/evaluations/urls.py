from __future__ import annotations

from django.urls import path

from jixiao.web.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("new/", views.evaluation_new, name="new"),
    path("trash/", views.trash, name="trash"),
    path("e/<int:pk>/", views.evaluation_detail, name="detail"),
    path("e/<int:pk>/edit/", views.evaluation_edit, name="edit"),
    path("e/<int:pk>/preview/", views.evaluation_preview, name="preview"),
    path("e/<int:pk>/row/<str:table>/", views.table_row, name="row"),
    path("e/<int:pk>/import/", views.evaluation_import, name="import"),
    path("e/<int:pk>/import/confirm/", views.evaluation_import_confirm, name="import-confirm"),
    path("e/<int:pk>/action/<str:action>/", views.evaluation_action, name="action"),
    path("e/<int:pk>/comment/", views.evaluation_comment, name="comment"),
    path("e/<int:pk>/delete/", views.evaluation_delete, name="delete"),
    path("e/<int:pk>/history/", views.evaluation_history, name="history"),
    path("e/<int:pk>/download.<str:fmt>", views.evaluation_download, name="download"),
]
