#!/usr/bin/python3
"""Copies the cells of old binary Excel workbooks (.xls) into .xlsx
workbooks beside them: every sheet, every cell's value (a formula's as
Excel saved it), and the workbook's named ranges. Formats, charts and
formulas are not copied. Uses Debian's python3-xlrd and python3-openpyxl.

    /usr/bin/python3 scripts/xls_to_xlsx.py FILE.xls ...
"""
import sys

import openpyxl
import xlrd
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName


def convert(path):
    book = xlrd.open_workbook(path)
    out = openpyxl.Workbook()
    out.remove(out.active)
    for sh in book.sheets():
        ws = out.create_sheet(sh.name)
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#N/A")
                ws.cell(row=r + 1, column=c + 1, value=value)
    for nm in book.name_obj_list:
        if nm.result is None or nm.result.kind != xlrd.oREF:
            continue
        for ref in nm.result.value:
            s0, s1, r0, r1, c0, c1 = ref.coords
            sheet = book.sheet_by_index(s0).name
            dest = "%s!$%s$%d:$%s$%d" % (quote_sheetname(sheet), get_column_letter(c0 + 1), r0 + 1, get_column_letter(c1), r1)
            out.defined_names.append(DefinedName(nm.name, attr_text=dest))
    target = path[: -len(".xls")] + ".xlsx"
    out.save(target)
    print(target)


for p in sys.argv[1:]:
    convert(p)
