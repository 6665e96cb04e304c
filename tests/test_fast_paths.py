"""The fast paths give exactly what the full paths give.

Reading: text that no normalization changes is returned as it is (`normalize.unchanged`), a column
remembers the values it has parsed (`_CellReader.known`) and reads chunk by chunk, column by column.
Writing: data rows are written as sheet XML directly instead of cell by cell through XlsxWriter.
Each is compared here with the path it short-cuts, on arbitrary text and on real workbooks.
"""

from __future__ import annotations

import unicodedata
import html
import json
import re
from fractions import Fraction
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi.errors import InputError
from sanshi.inputs import normalize, reader
from sanshi.inputs.normalize import _CONTROL, _IGNORABLE, _SPACE, _VARIANTS
from sanshi.inputs import records
from sanshi.inputs.records import SEVERAL, Cadre, CadreGrades, Votes
from sanshi.writers.xlsx import TableColumn, exact_format, new_workbook, save_workbook, write_table
from tests.conftest import write_book
from tests.profiles import examples

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def full_nfkc(text: str) -> str:
    return _IGNORABLE.sub("", unicodedata.normalize("NFKC", _IGNORABLE.sub("", text)))


def full_name_key(text: str) -> str:
    return _SPACE.sub("", _CONTROL.sub("", full_nfkc(text)).translate(_VARIANTS))


def full_clean_text(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub("", full_nfkc(text))).strip()


# Text with what names really hold (CJK, full-width forms, brackets, dots, spaces of every kind, controls).
tricky = st.text(
    alphabet=st.sampled_from(
        list("张伟云溪县(筹)()（）【】〔〕[]{}《》・•·●　 \t\n\u200b\ufeff\u00ad\u202e\uffa0\x07ＡＢａ１２-—/无空否")
        + [chr(c) for c in range(0x20, 0x7F)]
    ),
    max_size=12,
) | st.text(max_size=12)


@settings(max_examples=examples(500), deadline=None)
@given(tricky)
def test_name_key_and_clean_text_shortcut_equal_the_full_normalization(text):
    assert normalize.name_key(text) == full_name_key(text)
    assert normalize.clean_text(text) == full_clean_text(text)


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell through the full checks: no remembered values, no verbatim text, one row per chunk."""
    monkeypatch.setattr(reader, "_CACHE_LIMIT", 0)
    monkeypatch.setattr(reader, "unchanged", lambda text: False)
    monkeypatch.setattr(normalize, "unchanged", lambda text: False)
    monkeypatch.setattr(reader, "CHUNK_ROWS", 1)


def _tables(path: Path) -> dict[str, tuple[list[dict], list[int]]]:
    book = reader.read_workbook(path)
    return {name: (table.rows, table.row_numbers) for name, table in book.tables.items()}


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_sample_workbooks_read_the_same_without_the_shortcuts(year, monkeypatch):
    fast = _tables(SAMPLE / f"{year}.xlsx")
    _slow(monkeypatch)
    assert _tables(SAMPLE / f"{year}.xlsx") == fast


def test_problems_are_the_same_and_in_reading_order_without_the_shortcuts(tmp_path, monkeypatch):
    rows = [["单位", "综合得分", "类别", "不得评优"]]
    rows += [[f"单位{i}", 90 + i / 10, "设区市", "否"] for i in range(30)]
    rows[5][1] = "约95"
    rows[7][0] = None
    rows[9][1] = "九十"
    rows[9][0] = "单位3"  # a duplicate unit
    rows[12] = [" ", None, None, None]  # a blank row, skipped
    rows[15][2] = "省级 部门"
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": rows})

    def problems() -> list[str]:
        with pytest.raises(InputError) as caught:
            reader.read_workbook(path)
        return [str(p) for p in caught.value.problems]

    fast = problems()
    assert [p.split(" › ")[2].split(":")[0] for p in fast] == ["B6", "A8", "B10", "A10"]
    _slow(monkeypatch)
    assert problems() == fast


def test_rows_written_directly_read_back_with_their_types_and_text(tmp_path):
    book = new_workbook("t")
    rows = [
        ("a&b<c>", Decimal("92.125"), date(2024, 3, 9), 3, None),
        (" 前后有空格 ", Decimal("100"), datetime(2023, 12, 31, 0, 0), 0, "第一行\n第二行"),
        ("_x0041_ 照原样", Decimal("-1.5"), None, 10**12, "=SUM(A1)"),
    ]
    write_table(
        book,
        "表",
        (
            TableColumn("文本"),
            TableColumn("数"),
            TableColumn("日期", "yyyy-mm-dd"),
            TableColumn("整数"),
            TableColumn("说明", wrap=True),
        ),
        rows,
    )
    path = tmp_path / "t.xlsx"
    save_workbook(book, path)
    sheet = openpyxl.load_workbook(path)["表"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [
        ["a&b<c>", 92.125, datetime(2024, 3, 9), 3, None],
        [" 前后有空格 ", 100, datetime(2023, 12, 31), 0, "第一行\n第二行"],
        ["_x005F_x0041_ 照原样", -1.5, None, 10**12, "=SUM(A1)"],
    ]
    # A literal _x0041_ is stored escaped, as Excel and XlsxWriter store it; openpyxl shows the escape,
    # Excel and calamine (the reader) give the text back.
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()[3][0] == "_x0041_ 照原样"
    assert sheet["E4"].data_type == "s"  # text, never a formula
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.max_row == 4 and sheet.dimensions == "A1:E4"


def test_a_score_keeps_its_decimals_in_the_number_format(tmp_path):
    """exact_format looks at the Decimal's own places (92.45 shows 92.45, 100 shows 100), not at the float."""
    book = new_workbook("t")
    write_table(
        book,
        "表",
        (TableColumn("单位"), TableColumn("综合得分", exact_format)),
        [("甲", Decimal("92.45")), ("乙", Decimal("100")), ("丙", Decimal("88.125"))],
    )
    path = tmp_path / "t.xlsx"
    save_workbook(book, path)
    sheet = openpyxl.load_workbook(path)["表"]
    assert [sheet[f"B{row}"].number_format for row in (2, 3, 4)] == ["#,##0.00", "#,##0", "#,##0.000"]


# ---- earlier years' 干部 as grades by person --------------------------------------------------------------


def _plain_find(rows: list[Cadre], cadre: Cadre) -> tuple[bool, str | None, str]:
    """The lookup CadreGrades short-cuts, over the Cadre records themselves: by 干部编号 when the earlier sheet
    has any (the last row of an id), else the one row of that 姓名+单位 (several is SEVERAL)."""
    if cadre.cadre_id and any(r.cadre_id for r in rows):
        found = [r for r in rows if r.cadre_id == cadre.cadre_id]
        return bool(found), found[-1].grade if found else None, "干部编号"
    found = [r for r in rows if normalize.name_key(r.name) == normalize.name_key(cadre.name) and r.unit == cadre.unit]
    if len(found) > 1:
        return False, None, SEVERAL
    return bool(found), found[0].grade if found else None, "姓名+单位"


people = st.builds(
    Cadre,
    name=st.sampled_from(["张伟", "张 伟", "李娜", "王芳"]),
    unit=st.sampled_from(["甲县", "乙县"]),
    cadre_id=st.sampled_from([None, "X1", "X2", "X3"]),
    grade=st.sampled_from([None, "优秀", "称职", "基本称职"]),
)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(people, max_size=8), st.lists(people, min_size=1, max_size=4))
def test_cadre_grades_find_what_a_search_of_the_records_finds(earlier, now):
    grades = CadreGrades(
        [c.cadre_id for c in earlier], [c.name for c in earlier], [c.unit for c in earlier], [c.grade for c in earlier]
    )
    for cadre in now:
        assert grades.find(cadre) == _plain_find(earlier, cadre)


def test_an_earlier_cadre_sheet_decoded_for_some_fields_holds_those_of_the_full_decode(tmp_path):
    from sanshi.history.store import HistoryStore
    from sanshi.pipeline import EARLIER_CADRE_FIELDS

    with HistoryStore.open(tmp_path / "sanshi.db") as store:
        store.import_book(reader.read_workbook(SAMPLE / "2022.xlsx"), 2022)
        full = store.tables(2022)["干部"]
        some = store.tables(2022, fields={"干部": EARLIER_CADRE_FIELDS})["干部"]
    assert len(full.rows) > 100
    assert set(some.values) == set(EARLIER_CADRE_FIELDS)  # the other fields are not decoded
    assert {f: some.column(f) for f in EARLIER_CADRE_FIELDS} == {f: full.column(f) for f in EARLIER_CADRE_FIELDS}
    assert some.rows == [{**row, **dict.fromkeys(set(row) - set(EARLIER_CADRE_FIELDS))} for row in full.rows]
    assert (some.row_numbers, some.letters, some.columns) == (full.row_numbers, full.letters, full.columns)


def test_the_three_stored_forms_of_a_table_decode_alike():
    """Stores hold tables in the form of the sanshi that imported them: one JSON object per row (None values left
    out), then one object with an array per field ("values"), now a head line and one line per field. All three
    decode to the same table; the first two are written here by hand as those versions wrote them."""
    from sanshi.history.store import _decode, _encode

    head = {"columns": ["score", "unit"], "letters": {"unit": "A", "score": "B"}, "row_numbers": [3, 4]}
    by_rows = json.dumps({**head, "rows": [{"unit": "甲县", "score": "91.50"}, {"unit": "乙县"}]}, ensure_ascii=False)
    by_values = json.dumps(
        {**head, "count": 2, "values": {"score": ["91.50", None], "unit": ["甲县", "乙县"]}}, ensure_ascii=False
    )
    old = _decode("目标责任考核", by_rows)
    assert old.rows[0]["score"] == Decimal("91.50") and old.rows[1]["score"] is None
    assert old.rows[1]["unit"] == "乙县" and old.rows[1]["group"] is None
    by_lines = _encode(old)
    assert by_lines.split("\n") == [
        '{"columns": ["score", "unit"], "letters": {"unit": "A", "score": "B"}, "row_numbers": [3, 4], "count": 2, '
        '"fields": ["score", "unit"]}',
        '["91.50", null]',
        '["甲县", "乙县"]',
    ]
    for form in (by_values, by_lines):
        new = _decode("目标责任考核", form)
        assert (new.rows, new.row_numbers, new.letters, new.columns) == (
            old.rows,
            old.row_numbers,
            old.letters,
            old.columns,
        )
    for form in (by_rows, by_values, by_lines):
        some = _decode("目标责任考核", form, only=("unit",))
        assert some.values == {"unit": ["甲县", "乙县"]}
        assert some.column("score") == [None, None]  # not decoded


def test_a_line_in_a_value_stays_in_its_line():
    """A line break inside a value is written as \\n in JSON: the lines of a stored table stay one per field."""
    from sanshi.history.store import _decode, _encode
    from sanshi.inputs import schema

    table = reader.Table(
        schema.FINDINGS,
        columns={"unit", "area", "level", "note"},
        row_numbers=[2],
        values={"unit": ["甲县"], "area": ["安全生产"], "level": ["较大"], "note": ["第一行\n第二行"]},
        count=1,
    )
    stored = _encode(table)
    assert stored.count("\n") == 4  # the head and four fields
    assert _decode("责任认定", stored).values == table.values


def test_a_column_of_the_wrong_length_does_not_decode():
    from sanshi.history.store import _decode

    cut = '{"columns": ["unit"], "letters": {}, "row_numbers": [3, 4], "count": 2, "values": {"unit": ["甲县"]}}'
    with pytest.raises(ValueError, match="unit 列有 1 个值,表有 2 行"):
        _decode("目标责任考核", cut)
    head = '{"columns": ["unit"], "letters": {}, "row_numbers": [3, 4], "count": 2, "fields": ["unit"]}'
    with pytest.raises(ValueError, match="unit 列有 1 个值,表有 2 行"):
        _decode("目标责任考核", head + '\n["甲县"]')
    with pytest.raises(ValueError, match="表有 1 列的值,存有 0 行"):
        _decode("目标责任考核", head)


# ---- protected names in the terminal's line breaker -------------------------------------------------------


def _regex_name_spans(text: str, protect: tuple[str, ...]) -> list[tuple[int, int]]:
    """What the line breaker's name index short-cuts: one alternation of every name, longest first."""
    names = sorted({n for n in protect if n and len(n) > 1}, key=len, reverse=True)
    return [m.span() for m in re.finditer("|".join(map(re.escape, names)), text)] if names else []


@settings(max_examples=examples(500), deadline=None)
@given(
    st.text(alphabet="甲乙丙县局厅省人力资源社会保障 1", max_size=30),
    st.lists(st.text(alphabet="甲乙丙县局厅省人力资源社会保障", max_size=6), max_size=8),
)
def test_protected_names_are_found_as_an_alternation_of_them_finds_them(text, names):
    from sanshi.writers.wrap import _Names

    assert _Names(tuple(names)).spans(text) == _regex_name_spans(text, tuple(names))


def test_widths_known_without_wcwidth_are_wcwidths_for_every_code_point():
    from wcwidth import wcwidth

    from sanshi.writers.wrap import known_width

    differ = [
        hex(cp) for cp in range(0x110000) if (known := known_width(chr(cp))) is not None and known != wcwidth(chr(cp))
    ]
    assert differ == []
    assert known_width("张") == 2 and known_width("\uff08") == 2 and known_width("a") == 1 and known_width("·") == 1


# ---- 7(1)–7(3): who is held, and the counties' percentiles ------------------------------------------------------


def _plain_reasons(entries, name, unit, cadre_id):
    """The search the held-person index short-cuts: every entry, in order."""
    return [
        why
        for n, u, i, why in entries
        if (cadre_id and i and cadre_id == i)
        or (not (cadre_id and i) and normalize.name_key(n) == normalize.name_key(name) and u == unit)
    ]


entries = st.lists(
    st.tuples(
        st.sampled_from(["张伟", "张 伟", "李娜"]),
        st.sampled_from(["甲县", "乙县"]),
        st.sampled_from([None, "", "X1", "X2"]),
        st.text(alphabet="原因甲乙", min_size=1, max_size=3),
    ),
    max_size=8,
)


@settings(max_examples=examples(300), deadline=None)
@given(
    entries,
    st.sampled_from(["张伟", "李娜", "王芳"]),
    st.sampled_from(["甲县", "乙县"]),
    st.sampled_from([None, "X1", "X3"]),
)
def test_held_reasons_are_found_as_a_search_of_every_entry_finds_them(held, name, unit, cadre_id):
    from sanshi.rules.promotion import _Reasons

    assert _Reasons(held).of(name, unit, cadre_id) == _plain_reasons(held, name, unit, cadre_id)


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["县", "城区"]), st.integers(1, 6), st.integers(80, 84), st.integers(70, 72)),
        min_size=1,
        max_size=10,
    )
)
def test_county_percentiles_are_counted_as_a_pass_over_every_county_counts_them(rows):
    from sanshi.inputs.records import AreaRank, AssessedUnit
    from sanshi.rules import promotion
    from sanshi.rules.params import load_pack

    units = [f"县{i}" for i in range(len(rows))]
    ranks = [AreaRank(u, area, rank) for u, (area, rank, _, _) in zip(units, rows)]
    target = [AssessedUnit(u, Decimal(score)) for u, (_, _, score, _) in zip(units, rows)]
    poverty = [AssessedUnit(u, Decimal(score)) for u, (_, _, _, score) in zip(units, rows)]
    ranked = promotion.county_ranking(ranks, target, poverty, load_pack("shaanxi-2018"), promotion.PromotionOutcome())
    values = {
        "目标责任考核": {t.unit: t.score for t in target},
        "脱贫攻坚": {p.unit: p.score for p in poverty},
        "县域监测": {r.unit: Decimal(-r.rank) for r in ranks},
    }
    area = {r.unit: r.area_type for r in ranks}
    for county in ranked:
        for part in county.components:
            population = [u for u in units if part.assessment != "县域监测" or area[u] == area[county.unit]]
            mine = values[part.assessment][county.unit]
            worse = sum(1 for u in population if values[part.assessment][u] < mine)
            assert part.rank == 1 + sum(1 for u in population if values[part.assessment][u] > mine)
            assert part.count == len(population)
            assert part.percentile == (Fraction(worse, len(population) - 1) if len(population) > 1 else 1)


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(st.sampled_from([*"(),:;a1 .张、“”(),", "&#x4e00;", "&amp;", "&#40;"]), max_size=16).map("".join))
def test_report_text_without_chinese_or_separators_is_converted_as_the_full_rule_converts_it(text):
    """The page's shortcut (nothing to convert without a separator and something Chinese) equals the rule itself."""
    from sanshi.writers import punctuation

    raw = punctuation._CHARACTER.findall(text)
    full = "".join(punctuation._full_width([html.unescape(r) for r in raw], raw))
    assert punctuation._full_width_text(text) == full


def _cadre_of_row(row: dict, at_name: str, at_last_grade: str) -> Cadre:
    """A Cadre as records built them from each row before they were built from the columns."""
    votes = Votes(
        row.get("votes_excellent"),
        row.get("votes_competent"),
        row.get("votes_basic"),
        row.get("votes_incompetent"),
        row.get("votes_total"),
    )
    return Cadre(
        name=row["name"],
        unit=row["unit"],
        cadre_id=row.get("cadre_id"),
        position=row.get("position"),
        role=row.get("role"),
        grade=row.get("grade"),
        last_grade=row.get("last_grade"),
        votes=votes,
        cell=at_name,
        last_grade_cell=at_last_grade,
    )


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_cadre_records_built_by_column_are_those_built_row_by_row(year):
    table = reader.read_workbook(SAMPLE / f"{year}.xlsx").tables["干部"]
    plain = [
        _cadre_of_row(row, f"{table.letters['name']}{number}", f"{table.letters.get('last_grade', '')}{number}")
        for row, number in zip(table.rows, table.row_numbers)
    ]
    assert len(plain) > 100
    assert records.cadres(table) == plain
    some = sorted({c.unit for c in plain})[::3]
    assert records.cadres(table, set(some)) == [c for c in plain if c.unit in some]


def test_a_table_gives_its_columns_as_rows_with_every_field_of_the_sheet():
    from sanshi.inputs import schema

    table = reader.Table(
        schema.TARGET,
        columns={"unit", "score"},
        row_numbers=[3, 4],
        letters={"unit": "A", "score": "B"},
        values={"unit": ["甲县", "乙县"], "score": [Decimal("91.5"), None]},
        count=2,
    )
    assert len(table) == 2 and table.column("group") == [None, None]
    first = table.rows[0]
    assert first["unit"] == "甲县" and first["score"] == Decimal("91.5") and first["group"] is None
    assert set(first) == {col.field for col in schema.TARGET.columns}
    reader.rename_units(table, {"甲县": "甲市"})
    assert table.column("unit") == ["甲市", "乙县"] and [row["unit"] for row in table.rows] == ["甲市", "乙县"]
    again = reader.Table(schema.TARGET, table.rows, table.columns, table.row_numbers, table.letters)
    assert again.rows == table.rows and again.count == 2


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.none() | st.integers(min_value=0, max_value=60), min_size=5, max_size=5))
def test_votes_given_and_cast_are_what_the_plain_sums_say(counts):
    votes = Votes(*counts)
    assert votes.given == any(v is not None for v in counts)
    assert votes.cast == sum(v or 0 for v in counts[:4])
