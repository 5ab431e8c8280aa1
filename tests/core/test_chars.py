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
