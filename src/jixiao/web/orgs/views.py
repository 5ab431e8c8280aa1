"""Login with throttling (Django's LoginView does the rest: hashed passwords, session rotation)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from jixiao.web.orgs import throttle

LOCKED = "登录失败次数过多，请 15 分钟后再试，或联系管理员。"


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


class ThrottledLoginView(auth_views.LoginView):
    template_name = "jixiao/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        if throttle.is_locked(username, client_address(request)):
            form = self.get_form()
            form.errors.clear()
            return self.render_to_response(self.get_context_data(form=form, locked=LOCKED), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.record_failure(str(self.request.POST.get("username", "")), client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.clear_failures(form.get_user().get_username())
        return super().form_valid(form)
