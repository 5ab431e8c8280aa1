from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jixiao.web.orgs.views import ThrottledLoginView

handler400 = "jixiao.web.refusals.bad_request"

admin.site.site_header = "jixiao 绩效自评 · 管理"
admin.site.site_title = "jixiao 管理"

urlpatterns = [
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("plan/", include("jixiao.web.planning.urls")),
    path("desk/", include("jixiao.web.desk.urls")),
    path("", include("jixiao.web.evaluations.urls")),
]
