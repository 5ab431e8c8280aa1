"""The desk's pages under /desk/. Two helpers share this file: keep each block to its owner."""

from __future__ import annotations

from django.urls import path

from jixiao.web.desk import views_dashboard

app_name = "desk"

urlpatterns = [
    # ---- dashboard, anomalies, year over year, spot-checks (views_dashboard*, spotcheck*) ----
    path("", views_dashboard.dashboard, name="dashboard"),
    path("export.xlsx", views_dashboard.dashboard_export, name="dashboard-export"),
    # ---- end of the dashboard block ----
]
