"""The desk's pages under /desk/. Two helpers share this file: keep each block to its owner."""

from __future__ import annotations

from jixiao.web.desk import jobs_urls

app_name = "desk"

urlpatterns = [
    # ---- background jobs and batch audit (jobs*, batch*, summary*, opendata*) ----
    *jobs_urls.urlpatterns,
    # ---- end of the jobs block ----
]
