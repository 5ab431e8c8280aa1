"""The 400 page: a request refused before any view ran, said in Chinese with what to do about it."""

from __future__ import annotations

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
