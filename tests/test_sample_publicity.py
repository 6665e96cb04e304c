"""sample_data/2023-公示.xlsx is the 2023 workbook as it stood at the 公示, three corrections before 2023.xlsx:
the README's 公示 → 复核 → 定稿 example rests on exactly these differences."""

from __future__ import annotations

from pathlib import Path

import openpyxl

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def cells(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {
        (sheet.title, f"{cell.column_letter}{cell.row}"): cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_the_publicity_version_differs_from_the_final_one_by_three_corrections():
    before, after = cells(SAMPLE / "2023-公示.xlsx"), cells(SAMPLE / "2023.xlsx")
    changed = {
        key: (before.get(key), after.get(key))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }
    # 云岭市's score (目标责任考核, column C) and 汤志's 基本称职票 (干部, column J) corrected; the 容错认定 sheet's
    # last row, 碧乐县 秦组容〔2023〕7号, added after the 公示.
    score = next(k for k, v in changed.items() if k[0] == "目标责任考核")
    votes = next(k for k, v in changed.items() if k[0] == "干部")
    assert changed[score] == (94.19, 91.49) and changed[votes] == (9, 10)
    late = {k: v for k, v in changed.items() if k[0] == "容错认定"}
    assert {v[1] for v in late.values()} >= {"碧乐县", "秦组容〔2023〕7号", "减责"} and all(
        v[0] is None for v in late.values()
    )
    assert len(changed) == 2 + len(late)
