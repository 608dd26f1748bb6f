#!/usr/bin/python3
"""fill-form.py IN OUT NAME=VALUE... : fills an Annex 2 form's fields with
pypdf (Debian's python3-pypdf), an independent tool, as an administration's
PDF viewer would. A radio field's VALUE is the state's name (authorize,
authorize-with-comments, not-authorize); NAME=A+B ticks the buttons of both
states (a form with two choices; the field's value is A).
fill-form.py --list IN : prints each terminal field's full name, type and
tooltip, tab-separated.
fill-form.py --widgets IN : prints each widget: page, full name, its states
("-" for a text field), whether it has a normal appearance stream for each
state (ap / no-ap), its rectangle.
fill-form.py --strip IN OUT : the document without its form (no /AcroForm,
no widgets)."""
import sys
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject


def fullname(obj):
    parts = []
    while obj is not None:
        if "/T" in obj:
            parts.append(str(obj["/T"]))
        obj = obj.get("/Parent")
        obj = obj.get_object() if obj is not None else None
    return ".".join(reversed(parts))


def main():
    if sys.argv[1] == "--list":
        r = PdfReader(sys.argv[2])
        for name, f in r.get_fields().items():
            if f.get("/FT") is not None:
                print("%s\t%s\t%s" % (name, f.get("/FT"), f.get("/TU", "")))
        return
    if sys.argv[1] == "--widgets":
        r = PdfReader(sys.argv[2])
        for n, page in enumerate(r.pages, 1):
            for ref in page.get("/Annots", []):
                a = ref.get_object()
                if a.get("/Subtype") != "/Widget":
                    continue
                ap = a.get("/AP", {}).get("/N")
                ap = ap.get_object() if ap is not None else None
                if ap is not None and "/Subtype" not in ap:  # states
                    states = ",".join(sorted(k[1:] for k in ap.keys()))
                    has = all(ap[k].get_object().get("/Subtype") == "/Form"
                              for k in ap.keys())
                else:
                    states = "-"
                    has = ap is not None and ap.get_object().get("/Subtype") == "/Form"
                rect = " ".join("%.2f" % float(x) for x in a["/Rect"])
                print("%d\t%s\t%s\t%s\t%s" % (n, fullname(a), states,
                                              "ap" if has else "no-ap", rect))
        return
    if sys.argv[1] == "--strip":
        r = PdfReader(sys.argv[2])
        w = PdfWriter()
        w.clone_document_from_reader(r)
        del w._root_object["/AcroForm"]
        for page in w.pages:
            if "/Annots" in page:
                del page["/Annots"]
        with open(sys.argv[3], "wb") as f:
            w.write(f)
        return
    r = PdfReader(sys.argv[1])
    w = PdfWriter()
    w.clone_document_from_reader(r)
    want = dict(a.split("=", 1) for a in sys.argv[3:])
    seen = set()
    for page in w.pages:
        for ref in page.get("/Annots", []):
            a = ref.get_object()
            field = a if "/T" in a else a["/Parent"].get_object()
            name = fullname(field)
            if name not in want:
                continue
            seen.add(name)
            v = want[name]
            if field.get("/FT") == "/Btn":
                ticked = v.split("+")
                states = [k for k in a["/AP"]["/N"].keys() if k != "/Off"]
                on = [k for k in states if k[1:] in ticked]
                a[NameObject("/AS")] = NameObject(on[0] if on else "/Off")
                field[NameObject("/V")] = NameObject("/" + ticked[0])
            else:
                field[NameObject("/V")] = TextStringObject(v)
    missing = set(want) - seen
    if missing:
        sys.exit("fill-form.py: no field " + ", ".join(sorted(missing)))
    # the text fields' looks: left to the viewer, as pypdf does
    w.set_need_appearances_writer()
    with open(sys.argv[2], "wb") as f:
        w.write(f)


main()
