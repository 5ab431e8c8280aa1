"""Login pages. The throttle itself sits in the authentication backend (`throttle.ThrottledBackend`),
so every door is guarded; these views only say so in Chinese with status 429 when a door is locked."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from jixiao.web.orgs import throttle


def _locked(request: HttpRequest) -> bool:
    return request.method == "POST" and throttle.is_locked(
        str(request.POST.get("username", "")), throttle.client_address(request)
    )


class ThrottledLoginView(auth_views.LoginView):
    template_name = "jixiao/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _locked(request):
            form = self.get_form()
            form.errors.clear()
            return self.render_to_response(self.get_context_data(form=form, locked=throttle.LOCKED), status=429)
        return super().post(request, *args, **kwargs)
