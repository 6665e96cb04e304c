"""The run-time dependencies are exactly what sanshi imports: nothing declared for nothing, nothing imported
that an install would not bring (pandas serves the Python API's frames, openpyxl the --fill copy)."""

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_NAMES = {"python-calamine": "python_calamine", "xlsxwriter": "xlsxwriter"}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[\[<>=!~ ]", spec, maxsplit=1)[0].lower() for spec in project["dependencies"]}
    return {IMPORT_NAMES.get(name, name.replace("-", "_")) for name in names}


def _imported() -> set[str]:
    found = set()
    for path in (ROOT / "sanshi").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name not in ("sanshi", "__future__")}


def test_every_declared_dependency_is_imported_and_every_import_declared():
    assert _declared() == _imported()


def test_pandas_and_openpyxl_are_imported_only_inside_the_calls_that_use_them():
    """The command line never loads pandas or openpyxl unless asked for frames or --fill (start-up, issue 7): no
    module of sanshi imports either at its top level."""
    at_top = set()
    heavy = {"pandas", "openpyxl"}
    for path in (ROOT / "sanshi").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] in heavy for a in node.names):
                at_top.add(path.name)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in heavy:
                at_top.add(path.name)
    assert at_top == set()
    assert heavy <= _declared()


def test_the_private_names_the_fill_relies_on_are_there():
    """sanshi.writers.fill reads a sheet's cells without creating any (Worksheet._cells) and copies a cell's whole
    look at once (Cell._style): neither is public API, so an upgrade that removes them must fail here."""
    import openpyxl

    sheet = openpyxl.Workbook().active
    cell = sheet.cell(1, 1, "单位")
    assert sheet._cells[(1, 1)] is cell
    assert hasattr(cell, "_style")


def test_the_private_calls_the_workbook_writer_relies_on_are_there():
    """sanshi.writers.xlsx asks XlsxWriter for a format's index in styles.xml and sets a zip entry's deflate level:
    neither is public API, so an upgrade that removes them must fail here, not in a user's year end."""
    import zipfile

    from xlsxwriter.format import Format

    assert callable(getattr(Format, "_get_xf_index", None))
    assert hasattr(zipfile.ZipInfo("sheet1.xml"), "_compresslevel")
