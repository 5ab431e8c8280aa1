from __future__ import annotations

from django.urls import path

from jixiao.web.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("targets/new/", views.targets_new, name="targets_new"),
    path("r/<int:pk>/", views.record, name="record"),
    path("r/<int:pk>/edit/", views.record_edit, name="edit"),
    path("r/<int:pk>/action/<str:action>/", views.record_action, name="action"),
    path("r/<int:pk>/upload/", views.record_upload, name="upload"),
    path("r/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("r/<int:pk>/adjust/<int:n>/<str:decision>/", views.decide, name="decide"),
    path("r/<int:pk>/evaluate/", views.start_evaluation, name="evaluate"),
    path("r/<int:pk>/next-year/", views.next_year, name="next_year"),
    path("r/<int:pk>/download.<str:fmt>", views.download, name="download"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rect/new/", views.rectification_new, name="rectification_new"),
    path("rect/import/", views.rectification_import, name="rectification_import"),
    path("rect/<int:pk>/", views.rectification, name="rectification"),
    path("rect/download.<str:fmt>", views.rectification_download, name="rectification_download"),
    path("notifications/", views.notifications, name="notifications"),
    path("library/", views.library_page, name="library"),
    path("library/search/", views.library_search, name="library_search"),
    path("library/entry/", views.library_entry, name="library_new"),
    path("library/entry/<int:pk>/", views.library_entry, name="library_entry"),
]
