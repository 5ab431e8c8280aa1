"""The desk's background work: jobs (/desk/jobs/) and batch audit (/desk/batch/)."""

from __future__ import annotations

from django.urls import path

from jixiao.web.desk import batch_views, jobs_views

urlpatterns = [
    path("jobs/", jobs_views.job_list, name="jobs"),
    path("jobs/rows/", jobs_views.job_rows, name="job-rows"),
    path("jobs/start/<str:kind>/", jobs_views.job_start, name="job-start"),
    path("jobs/<int:pk>/", jobs_views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", jobs_views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/retry/", jobs_views.job_retry, name="job-retry"),
    path("jobs/<int:pk>/file", jobs_views.job_file, name="job-file"),
    path("batch/new/", batch_views.batch_new, name="batch-new"),
    path("batch/<int:pk>/", batch_views.batch_detail, name="batch"),
    path("batch/<int:pk>/doc/<int:doc>/", batch_views.batch_confirm, name="batch-confirm"),
]
