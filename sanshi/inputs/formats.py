"""Open whatever a county exported as sheets of cell values: .xlsx/.xlsm, .xls, .ods or a WPS .csv.

The format is found from the file's first bytes, not its extension, because year-end files
arrive renamed: an .xls that is really a web page, an .xlsx that is an encrypted OLE file, a
zip that is a Word document. Before any cell is parsed the file is checked against limits
(`MAX_SHEETS`, `MAX_EXPANDED`, `BOMB_RATIO`) so that a hostile or broken file fails in a
moment with a message instead of filling memory. Everything else is calamine.

The file is read once into memory and everything is parsed from those bytes, whose SHA-256 is the
one recorded (`RawBook.sha256`): a file replaced on disk while it is read cannot give one file's hash
for another file's data, nor fail half-way through with a truncated read.

For .xlsx the sheet XML is also scanned (only when it contains formulas or error cells) for
formulas that have no saved result: calamine reads those as empty, and an empty score that
is really an unsaved formula must not pass as blank.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import csv
import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from sanshi.errors import InputError, Problem, SanshiError
from sanshi.limits import WORKBOOK_LIMIT, read_limited

MAX_SHEETS = 1000  # a year's workbook has about ten; thousands means a broken or hostile file
MAX_EXPANDED = 4 << 30  # bytes all parts of a workbook may expand to (a 1,048,576-row sheet is ~0.5 GB)
BOMB_RATIO = 200  # a part over BOMB_FLOOR bytes that expands more than this is a zip bomb, not a sheet
BOMB_FLOOR = 32 << 20
MAX_CELL_CHARS = 32767  # Excel's own limit for one cell
SNIFF = 8192

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"  # the first bytes of a zip package: .xlsx, .xlsm, .ods
_EMPTY_ZIP = b"PK\x05\x06"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
RESAVE = "请在 Excel/WPS 中打开并保存后重试"


@dataclass
class RawSheet:
    """One sheet as cell values; `rows()` starts at A1 (row and column 0)."""

    name: str
    visible: bool
    rows: Callable[[], Iterator[list[Any]]]
    merged: Callable[[], list[tuple[int, int, int, int]]] = list  # 0-based first row, col, last row, col
    unsaved: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "公式" or the error value
    source: Any = None  # what loads the rows (a calamine sheet loaded on first use), when not a list in memory


@dataclass
class RawBook:
    kind: str  # xlsx, xls, ods, csv, or text (a text file under a workbook's name)
    sheets: list[RawSheet]
    sha256: str = ""  # of the bytes the sheets were parsed from


def read_once(path: Path, limit: int = WORKBOOK_LIMIT, what: str = "工作簿") -> tuple[bytes, str]:
    """The file's bytes, read in one pass, and their SHA-256: what is parsed is what is hashed. Only a regular
    file of at most `limit` bytes is read (a FIFO, a device such as /dev/zero or a huge file is a problem)."""
    try:
        data = read_limited(path, limit, what, shown=path.name)
    except SanshiError as exc:
        raise InputError([Problem(str(message), file=path.name) for message in exc.messages]) from None
    return data, hashlib.sha256(data).hexdigest()


def require_file(path: Path) -> None:
    """The first thing to fix about an input: that it is there, and is a file (before its name or year)."""
    if not path.exists():
        raise InputError([Problem("文件不存在,请检查路径", file=str(path))])
    if path.is_dir():
        raise InputError([Problem("这是一个文件夹,不是工作簿", file=str(path))])


def open_book(
    path: Path, limit: int = WORKBOOK_LIMIT, what: str = "工作簿", wanted: Callable[[str], bool] | None = None
) -> RawBook:
    """The sheets of a workbook or CSV file; InputError with one message for a file that cannot be one.

    `wanted` says which sheet names the caller will read: the biggest of those sheets (a national 干部 sheet)
    starts parsing in the background at once, while the rest of the file is checked and read."""
    source = path.name

    def fail(message: str) -> InputError:
        return InputError([Problem(message, file=source)])

    require_file(path)
    data, sha256 = read_once(path, limit, what)  # a FIFO or a device is refused before its size means anything
    if not data:
        raise fail("文件是空的(0 字节),可能导出或复制时中断了,请重新导出")
    book = _parse(data, path, fail, wanted)
    book.sha256 = sha256
    return book


def _parse(
    data: bytes, path: Path, fail: Callable[[str], InputError], wanted: Callable[[str], bool] | None = None
) -> RawBook:
    """The sheets in a file's bytes (`path` only for its name and extension)."""
    head = data[:SNIFF]
    if head.startswith(_OLE):
        if _is_encrypted_ole(data):
            raise fail("工作簿设置了打开密码(已加密),sanshi 不能读取:请在 Excel/WPS 中打开,取消密码后另存再试")
        return _calamine(data, "xls", fail)
    if head.startswith(ZIP_MAGIC) or head.startswith(_EMPTY_ZIP):
        return _zip_book(data, fail, wanted)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        raise fail("这是网页(HTML)格式的表格,只是扩展名为 .xls:请在 Excel/WPS 中打开后另存为 .xlsx 再试")
    if lowered.startswith(b"<?xml"):
        raise fail("这是 XML 格式(如 Excel 2003 XML 表格):请在 Excel/WPS 中打开后另存为 .xlsx 再试")
    if head.startswith(b"%PDF"):
        raise fail("这是 PDF 文件,不是工作簿:请提供 Excel/WPS 导出的 .xlsx、.xls 或 .csv 文件")
    if path.suffix.lower() in (".csv", ".txt") or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _csv_book(data, path.stem, "csv", fail)
    if _looks_like_text(head):  # some systems export CSV under an .xls name; read it, but say so if it is not one
        return _csv_book(data, path.stem, "text", fail)
    raise fail("不是工作簿:文件内容既不是 Excel(.xlsx/.xls)、WPS/ODS 表格,也不是 CSV 文本")


def _is_encrypted_ole(data: bytes) -> bool:
    """An encrypted .xlsx is an OLE container with an EncryptedPackage stream (MS-OFFCRYPTO)."""
    return data.find(_ENCRYPTED, 0, 64 << 20) != -1


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sniffed block
                return True
    return False


def _zip_book(data: bytes, fail: Callable[[str], InputError], wanted: Callable[[str], bool] | None = None) -> RawBook:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise fail(f"文件已损坏(压缩结构无法读取:{exc}),请重新导出") from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "xl/workbook.xml" in names:
            kind = "xlsx"
        elif "content.xml" in names and b"spreadsheet" in _member(archive, "mimetype", 200):
            kind = "ods"
        elif "word/document.xml" in names:
            raise fail("这是 Word 文档(.docx),不是工作簿")
        elif "ppt/presentation.xml" in names:
            raise fail("这是 PowerPoint 文档,不是工作簿")
        else:
            raise fail("这是一个压缩包,不是工作簿:请解压后提供其中的 .xlsx 文件")
        _check_expansion(infos, fail)
        parts = _xlsx_parts(archive) if kind == "xlsx" else {}
        if kind == "xlsx" and len(parts) > MAX_SHEETS:
            raise fail(
                f"工作簿有 {len(parts)} 个工作表,超过上限 {MAX_SHEETS} 个:文件可能已损坏,请只保留考核数据的工作表"
            )
        book = _calamine(data, kind, fail)
        if wanted is not None:
            _prefetch_biggest(book, data, {name: part for name, part in parts.items() if wanted(name)}, infos)
        unsaved = {name: _unsaved_cells(archive, part) for name, part in parts.items()}
    for sheet in book.sheets:
        sheet.unsaved = unsaved.get(sheet.name, {})
    return book


PREFETCH_BYTES = 4 << 20  # a sheet whose XML is smaller parses in a few hundredths of a second: not worth a thread


def _prefetch_biggest(book: RawBook, data: bytes, parts: dict[str, str], infos: list[zipfile.ZipInfo]) -> None:
    """Start parsing the biggest of `parts` (sheet name -> part) in a thread of its own, with a workbook of its
    own (calamine parses without holding the GIL, but one workbook parses one sheet at a time)."""
    sizes = {info.filename: info.file_size for info in infos}
    found = max(parts.items(), key=lambda item: sizes.get(item[1], 0), default=None)
    if found is None or sizes.get(found[1], 0) < PREFETCH_BYTES:
        return
    sheet = next((s for s in book.sheets if s.name == found[0] and isinstance(s.source, _LazySheet)), None)
    if sheet is not None:
        sheet.source.prefetch(data)


def _member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except KeyError:
        return b""


def _check_expansion(infos: list[zipfile.ZipInfo], fail: Callable[[str], InputError]) -> None:
    """Refuse a zip bomb from its directory, before anything is inflated."""
    total = sum(info.file_size for info in infos)
    if total > MAX_EXPANDED:
        raise fail(
            f"工作簿解压后有 {total / (1 << 30):.1f} GB,超过上限 {MAX_EXPANDED >> 30} GB:"
            "这不像考核数据(可能是恶意构造的压缩文件),已停止读取"
        )
    for info in infos:
        if info.file_size > BOMB_FLOOR and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
            raise fail(
                f"工作簿中的 {info.filename} 压缩比超过 {BOMB_RATIO}:1(解压后 {info.file_size >> 20} MB):"
                "这不像考核数据(可能是恶意构造的压缩文件),已停止读取"
            )


def _xlsx_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package, from xl/workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    parts = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        part = targets.get(sheet.get(f"{_REL_NS}id"))
        if part is not None:
            parts[sheet.get("name", "")] = part
    return parts


def _unsaved_cells(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """Cells whose value calamine cannot give: a formula never calculated, or an error such as #DIV/0!."""
    if not _contains(archive, part, (b"<f", b't="e"')):
        return {}
    found: dict[tuple[int, int], str] = {}
    with archive.open(part) as handle:
        for _, element in ElementTree.iterparse(handle):
            if element.tag != f"{_MAIN_NS}c":
                continue
            value = element.find(f"{_MAIN_NS}v")
            formula = element.find(f"{_MAIN_NS}f")
            where = _CELL_REF.match(element.get("r", ""))
            if where is not None:
                if element.get("t") == "e":
                    found[_position(where)] = value.text if value is not None and value.text else "错误值"
                elif formula is not None and (value is None or (not value.text and element.get("t") != "str")):
                    found[_position(where)] = "公式"
            element.clear()
    return found


def _contains(archive: zipfile.ZipFile, part: str, needles: tuple[bytes, ...]) -> bool:
    tail = b""
    try:
        handle = archive.open(part)
    except KeyError:
        return False
    with handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            block = tail + chunk
            if any(needle in block for needle in needles):
                return True
            tail = block[-8:]
    return False


def _position(match: re.Match[str]) -> tuple[int, int]:
    letters, row = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(row) - 1, col - 1


def _calamine(data: bytes, kind: str, fail: Callable[[str], InputError]) -> RawBook:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several error types for damaged files
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise fail(
                "工作簿设置了打开密码(已加密),sanshi 不能读取:请在 Excel/WPS 中打开,取消密码后另存再试"
            ) from None
        raise fail(f"工作簿已损坏,无法打开({text}):请在 Excel/WPS 中打开并另存为 .xlsx 后重试") from None
    metadata = workbook.sheets_metadata
    if len(metadata) > MAX_SHEETS:
        raise fail(
            f"工作簿有 {len(metadata)} 个工作表,超过上限 {MAX_SHEETS} 个:文件可能已损坏,请只保留考核数据的工作表"
        )
    sheets = []
    for meta in metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart sheets and macro sheets hold no table
        lazy = _LazySheet(workbook, meta.name)
        sheets.append(
            RawSheet(
                name=meta.name,
                visible=meta.visible == SheetVisibleEnum.Visible,
                rows=lazy.rows,
                merged=lazy.merged,
                source=lazy,
            )
        )
    return RawBook(kind=kind, sheets=sheets)


def _parse_sheet(data: bytes, name: str) -> Any:
    """One sheet of a workbook's bytes, parsed by calamine (in a thread: see `_LazySheet.prefetch`)."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name)


class _LazySheet:
    """A calamine sheet loaded on first use: unknown sheets of a big workbook are never parsed."""

    def __init__(self, workbook: Any, name: str) -> None:
        self._workbook, self._name, self._sheet = workbook, name, None
        self._pending: concurrent.futures.Future[Any] | None = None

    def prefetch(self, data: bytes) -> None:
        """Parse the sheet now in a background thread, from a workbook opened on `data` for that thread alone."""

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="sanshi-sheet")
        self._pending = pool.submit(_parse_sheet, data, self._name)
        pool.shutdown(wait=False)  # the thread ends with the parse

    def _loaded(self) -> Any:
        if self._sheet is None:
            try:
                if self._pending is not None:
                    pending, self._pending = self._pending, None
                    self._sheet = pending.result()
                else:
                    self._sheet = self._workbook.get_sheet_by_name(self._name)
            except Exception as exc:
                raise InputError([Problem(f"工作表无法读取({exc}):{RESAVE}", sheet=self._name)]) from None
        return self._sheet

    def rows(self) -> Iterator[list[Any]]:
        sheet = self._loaded()
        if sheet.start is None:
            return
        pad = [None] * sheet.start[1]  # calamine starts rows at row 1 but columns at the first used one
        if not pad:
            yield from sheet.iter_rows()
            return
        for row in sheet.iter_rows():
            yield pad + row

    def merged(self) -> list[tuple[int, int, int, int]]:
        return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in self._loaded().merged_cell_ranges or []]


_ENCODING_NAMES = {"utf-16": "UTF-16(Unicode 文本)", "utf-8-sig": "UTF-8", "gb18030": "GBK"}
_SAVE_AS = "请在 Excel/WPS 中打开,另存为 .xlsx 或“CSV UTF-8”再试"


def _decode_csv(data: bytes, fail: Callable[[str], InputError]) -> str:
    """The text of a CSV file that is wholly valid in one encoding; otherwise an InputError naming the first line
    that is not. GB18030 decodes almost any bytes, so a UTF-8 line in a GBK file (or a GBK line in a UTF-8 file)
    would read as mojibake (鐪佹煇鏌愬眬): the lines that are not ASCII must all be UTF-8 or all not be."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    furthest: tuple[int, str] = (-1, "")
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start > furthest[0]:
                furthest = (exc.start, encoding)
            continue
        if encoding == "gb18030":
            _check_one_encoding(data, fail)
        return text
    start, encoding = furthest
    line = data[:start].decode(encoding, errors="replace").count("\n") + 1
    raise fail(
        f"CSV 文件第 {line} 行有按 {_ENCODING_NAMES[encoding]} 无法读取的字节(文件的编码应为 UTF-8 或 GBK,"
        f"且全文一致):{_SAVE_AS}"
    )


def _check_one_encoding(data: bytes, fail: Callable[[str], InputError]) -> None:
    """A file that is not UTF-8 as a whole, read as GBK: the lines that are valid UTF-8 (and not ASCII) were
    written in another encoding than the rest. The encoding of most such lines is taken as the file's, and the
    first line in the other one is named."""
    utf8: list[int] = []
    other: list[int] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)
    if not utf8 or not other:
        return
    if len(utf8) > len(other):
        found, rest, wrong = other[0], "UTF-8", "不是 UTF-8(可能是 GBK)"
    else:
        found, rest, wrong = utf8[0], "GBK", "是 UTF-8"
    more = len(other if len(utf8) > len(other) else utf8) - 1
    also = f"(另有 {more} 行同样)" if more else ""
    raise fail(f"CSV 文件混用了两种编码:第 {found} 行{wrong}{also},其余各行是 {rest},按一种编码读会成乱码:{_SAVE_AS}")


def _csv_book(data: bytes, name: str, kind: str, fail: Callable[[str], InputError]) -> RawBook:
    """A single table exported as CSV: UTF-8 (with or without BOM) or GBK/GB18030, as WPS and Excel write it,
    or Excel's “Unicode 文本” (UTF-16 with BOM, tab-separated)."""
    text = _decode_csv(data, fail)
    if "\x00" in text:
        raise fail("CSV 文件中有空字符(可能是 UTF-16 编码或二进制文件):请另存为 .xlsx 或“CSV UTF-8”再试")
    sample = text[:SNIFF]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return RawBook(kind=kind, sheets=[RawSheet(name=name, visible=True, rows=lambda: iter(rows))])
