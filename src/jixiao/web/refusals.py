"""The 400 page: a request refused before any view ran, said in Chinese with what to do about it; and
the 409 page for saved data that cannot be read."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from jixiao.core.model import MAX_INDICATORS, MAX_PROJECTS

    if isinstance(exception, TooManyFieldsSent):
        message = (f"表单的输入项过多（超过 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 项），未保存。一份自评最多 "
                   f"{MAX_INDICATORS} 个指标、{MAX_PROJECTS} 个项目：请用浏览器的“返回”回到页面（填写的内容仍在），"
                   "删去多余的行后再保存。")
    elif isinstance(exception, RequestDataTooBig):
        message = (f"提交的内容过大（超过 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024} MB），未保存。"
                   "请用浏览器的“返回”回到页面，精简后再提交。")
    else:
        message = "请求有误"
    body = loader.render_to_string("400.html", {"message": message}, request)
    return HttpResponse(body, status=400)


class UnreadableDataMiddleware:
    """Saved data that a view cannot read — a version or record past today's bounds, saved before
    they were set or restored from an older backup — is a Chinese 409 that says what to do, not a 500.
    Every view that reads what a user just sent catches its own InputError (400 at the field); only
    what was read from the database reaches this."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from jixiao.io.errors import InputError

        if not isinstance(exception, InputError):
            return None
        message = (f"保存的数据无法读取：{exception}。可能保存于设定上限之前或由备份恢复；"
                   "请下载 YAML/JSON 数据修正（如拆分为几份）后重新导入，或联系管理员。")
        return render(request, "jixiao/message.html", {"title": "数据无法读取", "message": message}, status=409)
