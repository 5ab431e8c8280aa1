"""One-for-one translation tables: the same text as the dict tables applied in turn, on every real report."""

from pathlib import Path

import pytest

from jixiao.core.chars import one_for_one

DATA = Path(__file__).parents[1] / "audit" / "data"
WIDTH = str.maketrans("０１２，：（）萬", "012,:()万")
TRADITIONAL = str.maketrans("萬預數", "万预数")


def test_the_list_table_translates_as_the_dict_tables_in_turn() -> None:
    table = one_for_one(WIDTH, TRADITIONAL)
    texts = [p.read_text("utf-8") for p in sorted(DATA.glob("**/*.txt"))]
    assert len(texts) > 20
    for text in [*texts, "預算數：１２，萬元（全年）", "𠀀 astral 😀 stays"]:
        assert text.translate(table) == text.translate(WIDTH).translate(TRADITIONAL)


def test_a_table_that_would_shift_offsets_is_refused() -> None:
    with pytest.raises(ValueError, match="not one character"):
        one_for_one(str.maketrans({"a": "bc"}))
    with pytest.raises(ValueError, match="not one character"):
        one_for_one(str.maketrans("", "", "x"))  # deletion
    with pytest.raises(ValueError, match="Basic Multilingual Plane"):
        one_for_one({0x20000: "a"})


def test_traditional_script_reads_as_simplified_one_for_one() -> None:
    from jixiao.core.chars import traditional_table

    written = "項目支出績效自評表 實施單位 麗江市古城區 年度資金總額 當年財政撥款 度量單位 違法行為責停率"
    read = written.translate(traditional_table())
    assert read == "项目支出绩效自评表 实施单位 丽江市古城区 年度资金总额 当年财政拨款 度量单位 违法行为责停率"
    assert len(read) == len(written)


def test_simplified_reports_are_left_as_written() -> None:
    from jixiao.core.chars import traditional_table

    for path in [DATA / "seed.txt", *sorted((DATA / "real-reports").glob("*.txt"))]:
        text = path.read_text("utf-8")
        if "績效" not in text and "監控" not in text:  # the traditional-script mirrors are the exception
            assert text.translate(traditional_table()) == text, path.name


def test_simplified_is_the_translation_whether_or_not_a_text_holds_a_traditional_character() -> None:
    from jixiao.core.chars import simplified, traditional_pairs, traditional_table

    texts = [p.read_text("utf-8") for p in sorted(DATA.glob("**/*.txt"))]
    every = "".join(map(chr, traditional_pairs()))
    for text in [*texts, "預算數", "薴", every, ""]:
        assert simplified(text) == text.translate(traditional_table())
    assert simplified("预算数") == "预算数"
