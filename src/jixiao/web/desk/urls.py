"""The desk's pages under /desk/. Two helpers share this file: keep each block to its owner."""

from __future__ import annotations

from django.urls import path

from jixiao.web.desk import jobs_urls, spotcheck_views, views_dashboard, views_dashboard_anomalies, views_dashboard_yoy

app_name = "desk"

urlpatterns = [
    # ---- dashboard, anomalies, year over year, spot-checks (views_dashboard*, spotcheck*) ----
    path("", views_dashboard.dashboard, name="dashboard"),
    path("export.xlsx", views_dashboard.dashboard_export, name="dashboard-export"),
    path("anomalies/", views_dashboard_anomalies.anomalies, name="anomalies"),
    path("anomalies.xlsx", views_dashboard_anomalies.anomalies_export, name="anomalies-export"),
    path("yoy/", views_dashboard_yoy.year_over_year, name="yoy"),
    path("yoy.xlsx", views_dashboard_yoy.year_over_year_export, name="yoy-export"),
    path("spotchecks/", spotcheck_views.spot_check_list, name="spotchecks"),
    path("spotchecks/new/", spotcheck_views.spot_check_new, name="spotcheck-new"),
    path("spotchecks/<int:pk>/", spotcheck_views.spot_check_detail, name="spotcheck"),
    path("spotchecks/<int:pk>/export.xlsx", spotcheck_views.spot_check_export, name="spotcheck-export"),
    path("spotchecks/item/<int:pk>/", spotcheck_views.spot_check_item, name="spotcheck-item"),
    # ---- end of the dashboard block ----
    # ---- background jobs and batch audit (jobs*, batch*, summary*, opendata*) ----
    *jobs_urls.urlpatterns,
    # ---- end of the jobs block ----
]
