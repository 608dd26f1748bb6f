#!/usr/bin/python3
"""form-edit.py IN OUT MODE : IN (a filled Annex 2 form) with one
adversarial change made with pypdf, as a hand-edited file would have it.
MODE: dup-choice (a second top-level draft.Q.5051.choice, not-authorize),
dup-ref (a second form.reference naming FRA), dup-signatory (a second
signatory.name without a widget, "Someone Else"), pdfdoc (signatory.name in
PDFDocEncoding with the undefined bytes 0x9f and 0x7f), surrogate
(signatory.name in UTF-16 with an unpaired high surrogate), dup-front (a
text field "note" twice, ahead of every other field: the reader stops before
any Annex 2 field)."""
import sys
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, ByteStringObject, DictionaryObject, NameObject, NumberObject,
                           TextStringObject)

src, out, mode = sys.argv[1:4]
w = PdfWriter()
w.clone_reader_document_root(PdfReader(src))
af = w._root_object["/AcroForm"]


def field(name, ft, value):
    return w._add_object(DictionaryObject({NameObject("/T"): TextStringObject(name), NameObject("/FT"): NameObject(ft),
                                           NameObject("/V"): value}))


def signatory():
    for p in w.pages:
        for a in p.get("/Annots", []):
            a = a.get_object()
            f = a if "/T" in a else a["/Parent"].get_object()
            par = f.get("/Parent")
            if f.get("/T") == "name" and par is not None and par.get_object().get("/T") == "signatory":
                return f
    raise SystemExit("no signatory.name")


if mode == "dup-choice":
    d = field("draft.Q.5051.choice", "/Btn", NameObject("/not-authorize"))
    d.get_object()[NameObject("/Ff")] = NumberObject(49152)
    af["/Fields"].append(d)
elif mode == "dup-ref":
    af["/Fields"].append(field("form.reference", "/Tx", TextStringObject("ballot:205:FRA:en:0123456789abcdef")))
elif mode == "dup-signatory":
    af["/Fields"].append(field("signatory.name", "/Tx", TextStringObject("Someone Else")))
elif mode == "pdfdoc":
    signatory()[NameObject("/V")] = ByteStringObject(b"Jos\xe9 \x9f\x7f")
elif mode == "surrogate":
    signatory()[NameObject("/V")] = ByteStringObject(b"\xfe\xff\x00A\xd8\x00\x00B")
elif mode == "dup-front":
    af["/Fields"].insert(0, field("note", "/Tx", TextStringObject("a")))
    af["/Fields"].insert(0, field("note", "/Tx", TextStringObject("b")))
else:
    raise SystemExit("unknown mode " + mode)
w.write(out)
