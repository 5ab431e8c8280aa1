import io

from PIL import Image

from jixiao.core.evaluate import Result
from jixiao.report.charts import _pyplot, budget_chart_png, indicator_chart_png


def test_cjk_font_is_found() -> None:
    from matplotlib import font_manager

    _pyplot()
    path = font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)
    assert "CJK" in path


def test_charts_are_pngs_of_reasonable_size(results: dict[str, Result]) -> None:
    for result in results.values():
        budget = budget_chart_png(result.evaluation, result.scorecard)
        assert budget is not None
        for png in (budget, indicator_chart_png(result.evaluation, result.scorecard)):
            image = Image.open(io.BytesIO(png))
            assert image.format == "PNG" and image.width > 500 and image.height > 200
