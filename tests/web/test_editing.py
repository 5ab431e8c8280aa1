"""The preparer's editing page: forms, live scoring, rows, field-level errors, conflicts, imports."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.io.errors import InputError
from jixiao.web.evaluations import editing, services
from jixiao.web.evaluations.models import Evaluation

from .conftest import World, form_post


def _query(post: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in post.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def _model_data(data: dict[str, Any]) -> dict[str, Any]:
    return services.to_data(services.load_model(data))


def test_the_form_round_trips_the_seed(world: World) -> None:
    data, form = editing.read_form(_query(form_post(world.seed_data, 1)), world.seed_data)
    assert _model_data(data) == _model_data(world.seed_data)
    assert form.error_count == 0
    # The document's stated figures stay with the version (the seed's 100% 调整率 among them).
    assert data["budget"]["stated"]["adjustment_rate"] == world.seed_data["budget"]["stated"]["adjustment_rate"]


def test_an_unrelated_edit_keeps_the_stated_figures_and_their_finding(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    url = reverse("evaluations:edit", args=[evaluation.pk])
    page = client.get(url).content.decode()
    assert "所述预算调整率" in page and 'name="budget.stated.adjustment_rate" value="100"' in page
    response = client.post(url, form_post(world.seed_data, 1, **{"narrative.key_work": "改了重点工作"}))
    assert response.status_code == 302
    saved = evaluation.versions.get(number=2).data
    assert saved["budget"]["stated"]["adjustment_rate"] == "100"
    assert saved["indicators"][0]["stated"] == world.seed_data["indicators"][0]["stated"]
    codes = {f.code for f in services.score(services.load_model(saved)).findings}
    assert "B006" in codes
    # Clearing the stated figure is the user's change: then it (and its finding) go.
    response = client.post(url, form_post(saved, 2, **{"budget.stated.adjustment_rate": ""}))
    assert response.status_code == 302
    cleared = evaluation.versions.get(number=3).data
    assert "adjustment_rate" not in cleared["budget"].get("stated", {})
    assert "B006" not in {f.code for f in services.score(services.load_model(cleared)).findings}


def test_edit_page_shows_every_part(world: World) -> None:
    evaluation = world.evaluation()
    page = world.client("prep_a1").get(reverse("evaluations:edit", args=[evaluation.pk])).content.decode()
    for text in ("3142.55", "商务局本级", "蔬菜", 'name="ind-row"', 'name="prj-row"', "存在的主要问题", "综合得分", "85"):
        assert text in page, text


def test_save_creates_a_version_with_the_new_score(world: World) -> None:
    evaluation = world.evaluation()
    post = form_post(world.seed_data, 1, **{"ind-2-actual": "35"})  # indicator 3: 0 → target
    response = world.client("prep_a1").post(reverse("evaluations:edit", args=[evaluation.pk]), post)
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.current_version == 2 and evaluation.total_hundredths > 8500
    assert evaluation.versions.get(number=2).data["indicators"][2]["actual"] == "35"


def test_bad_input_gets_field_errors_and_keeps_what_was_typed(world: World) -> None:
    evaluation = world.evaluation()
    post = form_post(world.seed_data, 1, **{"ind-1-weight": "二十分", "budget.initial": "-5"})
    response = world.client("prep_a1").post(reverse("evaluations:edit", args=[evaluation.pk]), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="二十分"' in page and 'value="-5"' in page
    assert "应为数字" in page and "不能为负数" in page
    assert "尚未保存" in page
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 1


def test_conflicting_save_is_refused_with_a_clear_message(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    url = reverse("evaluations:edit", args=[evaluation.pk])
    assert client.post(url, form_post(world.seed_data, 1, **{"ind-0-actual": "4"})).status_code == 302
    response = client.post(url, form_post(world.seed_data, 1, **{"ind-0-actual": "3"}))
    assert response.status_code == 409
    page = response.content.decode()
    assert "保存冲突" in page and 'value="3"' in page
    evaluation.refresh_from_db()
    assert evaluation.current_version == 2
    assert evaluation.versions.get(number=2).data["indicators"][0]["actual"] == "4"


def test_preview_scores_without_saving(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    url = reverse("evaluations:preview", args=[evaluation.pk])
    better = client.post(url, form_post(world.seed_data, 1, **{"ind-2-actual": "35"})).content.decode()
    assert 'id="total-score">100' in better and 'id="grade">优' in better
    broken = client.post(url, form_post(world.seed_data, 1, **{"ind-2-actual": "abc"})).content.decode()
    assert "应为数字" in broken and "完成值" in broken
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 1


def test_rows_can_be_added_removed_and_reordered(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    row = client.get(reverse("evaluations:row", args=[evaluation.pk, "ind"]), {"key": "77"}).content.decode()
    assert 'name="ind-n77-name"' in row and 'name="ind-row" value="n77"' in row
    post = form_post(world.seed_data, 1)
    order = post["ind-row"]
    # Move the last indicator to the top, drop the third, add a new one at the end.
    post["ind-row"] = [order[-1], order[0], order[1], *order[3:-1], "n77"]
    post.update({"ind-n77-orig": "", "ind-n77-name": "新增指标", "ind-n77-weight": "0", "ind-n77-level1": "产出"})
    assert client.post(reverse("evaluations:edit", args=[evaluation.pk]), post).status_code == 302
    saved = evaluation.versions.get(number=2).data["indicators"]
    old = world.seed_data["indicators"]
    assert [i["name"] for i in saved] == [old[-1]["name"], old[0]["name"], old[1]["name"], *[i["name"] for i in old[3:-1]], "新增指标"]
    # Fields the form does not show travel with their row.
    assert saved[0]["effect"] == old[-1]["effect"] and saved[1]["effect"] == old[0]["effect"]


def _yaml(data: dict[str, Any]) -> bytes:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True).encode()


def test_import_a_good_file_makes_a_new_version(world: World) -> None:
    evaluation = world.evaluation()
    data = dict(evaluation.versions.get().data, narrative={"problems": ["导入的问题"]})
    upload = SimpleUploadedFile("new.yaml", _yaml(data))
    client = world.client("prep_a1")
    response = client.post(reverse("evaluations:import", args=[evaluation.pk]), {"file": upload, "base_version": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "导入的问题" in page  # the preview, nothing saved yet
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(reverse("evaluations:import-confirm", args=[evaluation.pk]), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert evaluation.versions.get(number=2).data["narrative"]["problems"] == ["导入的问题"]


def test_a_broken_import_says_where_and_changes_nothing(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    url = reverse("evaluations:import", args=[evaluation.pk])
    broken = _yaml(world.seed_data).replace(b"weight: '30'", b"weight: thirty", 1)
    assert broken != _yaml(world.seed_data)
    response = client.post(url, {"file": SimpleUploadedFile("bad.yaml", broken), "base_version": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "bad.yaml" in page and "行" in page and "分值" in page and "未作任何修改" in page
    response = client.post(url, {"file": SimpleUploadedFile("x.yaml", b"budget: [1, 2"), "base_version": "1"})
    assert response.status_code == 400
    other_year = _yaml(dict(world.seed_data, year=2023))
    response = client.post(url, {"file": SimpleUploadedFile("y.yaml", other_year), "base_version": "1"})
    assert response.status_code == 400 and "2023" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ"), "base_version": "1"})
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 1


def test_new_blank_and_imported_evaluations(world: World) -> None:
    client = world.client("prep_a1")
    page = client.get(reverse("evaluations:new")).content.decode()
    assert "商务局本级" in page and ".xlsx" in page and "第一中学" not in page
    response = client.post(reverse("evaluations:new"), {"unit": world.unit_a1.pk, "year": "2025"})
    assert response.status_code == 302
    blank = Evaluation.objects.get(year=2025)
    assert blank.unit == world.unit_a1 and blank.department == world.dept_a and blank.current_version == 1
    response = client.post(reverse("evaluations:new"), {"unit": world.unit_a1.pk, "file": SimpleUploadedFile("s.yaml", _yaml(world.seed_data))})
    assert response.status_code == 302
    assert Evaluation.objects.filter(year=2024, unit=world.unit_a1).get().total_hundredths == 8500
    response = client.post(reverse("evaluations:new"), {"unit": world.unit_a1.pk, "year": "明年"})
    assert response.status_code == 400 and "年度" in response.content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["budget.initial", "ind-0-actual", "ind-1-weight", "ind-0-comparator", "filled_date",
                              "unit.staffing.actual", "prj-0-count", "kind", "unit.name", "ind-0-level1"]),
       text=st.text(max_size=12))
def test_any_typed_text_is_either_accepted_or_a_field_error(world: World, field: str, text: str) -> None:
    data, form = editing.read_form(_query(form_post(world.seed_data, 1, **{field: text})), world.seed_data)
    try:
        services.score(services.load_model(data))
    except InputError as error:
        form.attach(error.problems)
        assert form.error_count >= 1
        assert all(p.message for p in error.problems)


def test_typed_markup_is_escaped_when_shown_again(world: World) -> None:
    evaluation = world.evaluation()
    evil = '"><script>alert(1)</script>'
    post = form_post(evaluation.versions.get().data, 1, **{"unit.name": evil, "ind-0-name": evil, "ind-0-weight": "x"})
    page = world.client("prep_a1").post(reverse("evaluations:edit", args=[evaluation.pk]), post).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def _generic(path: str) -> str:
    """`budget.sources.fiscal.initial` → `budget.sources{}.initial` (the form of `core.labels.field_labels`)."""
    return re.sub(r"^budget\.sources\.[a-z_]+\.", "budget.sources{}.", path)


def test_every_field_of_the_model_has_an_input_or_a_reason_why_not() -> None:
    from jixiao.core.labels import field_labels

    paths = set(field_labels())
    leaves = {p for p in paths if not any(q.startswith((p + ".", p + "[]", p + "{}")) for q in paths)}
    in_form = {_generic(path) for path in editing.SPECS}
    in_form |= {f"{t.path}[].{s.path}" for t in editing.TABLES for s in t.columns + t.details}
    kept = tuple(editing.NOT_EDITED)
    missing = {p for p in leaves - in_form if not (p in kept or p.startswith(tuple(k + "{}" for k in kept)))}
    assert not missing, "fields the edit page cannot change"
    assert not set(kept) - paths  # a reason given for a field the model no longer has


def _typed(spec: editing.Spec, index: int) -> str:
    """A value a person could type into `spec`'s input (distinct per input, so a swap would show)."""
    if spec.widget == "select":
        return spec.choices[-1][0]
    if spec.widget == "date":
        return "2025-01-15"
    if spec.widget in ("number", "int"):
        return str(index + 1)
    if spec.widget == "lines":
        return f"第一条{index}\n第二条{index}"
    return f"填写的{spec.label}{index}"


def test_every_input_is_saved_and_shown_again(world: World) -> None:
    """Through the real form post: every field of every section, the new narrative ones among them,
    and a task row, reach the saved version and come back in their inputs and on the reviewer's page."""
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    url = reverse("evaluations:edit", args=[evaluation.pk])
    typed = {spec.path: _typed(spec, i) for i, spec in enumerate(editing.SPECS.values())}
    typed["kind"] = "department"  # a project evaluation would need its project fields to agree
    typed["unit.name"] = world.unit_a1.name
    post = form_post(world.seed_data, 1, **typed)
    post["task-row"] = ["n1"]
    post.update({"task-n1-orig": "", "task-n1-name": "招商引资", "task-n1-content": "全年引进项目\n20个"})
    post["ind-0-effect"] = "带动就业300人"
    post["ind-0-deduction"] = "1.5"
    response = client.post(url, post)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = evaluation.versions.get(number=2).data
    for path, value in typed.items():
        stored = editing.get_path(saved, path)
        if editing.SPECS[path].widget == "lines":
            assert stored == value.splitlines(), path
        else:
            assert str(stored) == value, path
    assert saved["narrative"]["tasks"] == [{"name": "招商引资", "content": "全年引进项目\n20个"}]
    assert saved["indicators"][0]["effect"] == "带动就业300人" and saved["indicators"][0]["deduction"] == "1.5"

    page = client.get(url).content.decode()
    for label in ("预算调整的效果和影响", "管理制度健全性", "资金使用合规性和安全性", "预算安排原则与说明",
                  "预算执行管理情况", "绩效分析导语", "评价结论导语", "基本支出管理和使用情况", "任务名称", "效益说明"):
        assert f">{label}<" in page, label
    assert '<textarea id="f-narrative.adjustment_effect" name="narrative.adjustment_effect">' in page
    assert typed["narrative.adjustment_effect"] in page and "全年引进项目\n20个</textarea>" in page
    review = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert typed["narrative.management_system"] in review and "招商引资" in review
