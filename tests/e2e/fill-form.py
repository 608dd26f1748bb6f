#!/usr/bin/python3
"""fill-form.py IN OUT NAME=VALUE... : fills an Annex 2 form's fields with
pypdf (Debian's python3-pypdf), an independent tool, as an administration's
PDF viewer would. A radio field's VALUE is the state's name (authorize,
authorize-with-comments, not-authorize); NAME=A+B ticks the buttons of both
states (a form with two choices; the field's value is A).
fill-form.py --no-look IN OUT NAME=VALUE... : the same, with the filled text
fields' appearance streams removed (a viewer must build their look from
/DA: poppler and MuPDF only do so for a widget without one).
fill-form.py --list IN : prints each terminal field's full name, type and
tooltip, tab-separated.
fill-form.py --widgets IN : prints each widget: page, full name, its states
("-" for a text field), whether it has a normal appearance stream for each
state (ap / no-ap), its rectangle.
fill-form.py --strip IN OUT : the document without its form (no /AcroForm,
no widgets).
fill-form.py --update IN OUT NAME=VALUE : IN with an incremental update
appended (IN's bytes kept as they are, as after a signature) that sets a
field's value (a radio state: its field and widgets' states), or, with
NAME "info", only rewrites the document's Info dictionary (an update that
changes no field)."""
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


def serialize(obj):
    import io
    b = io.BytesIO()
    obj.write_to_stream(b, None)
    return b.getvalue()


def update(src, dst, arg):
    """Appends a classic xref section with the changed objects."""
    from pypdf.generic import IndirectObject
    data = open(src, "rb").read()
    r = PdfReader(src)
    name, value = arg.split("=", 1)
    changed = {}
    if name == "info":
        ref = r.trailer.raw_get("/Info")
        info = ref.get_object()
        info[NameObject("/Producer")] = TextStringObject("an update")
        changed[ref.idnum] = info
    else:
        for page in r.pages:
            for ref in page.get("/Annots", []):
                a = ref.get_object()
                field_ref = ref if "/T" in a else a.raw_get("/Parent")
                field = field_ref.get_object()
                if fullname(field) != name:
                    continue
                if field.get("/FT") == "/Btn":
                    on = [k for k in a["/AP"]["/N"].keys() if k != "/Off"]
                    a[NameObject("/AS")] = NameObject(on[0] if on[0] == "/" + value else "/Off")
                    field[NameObject("/V")] = NameObject("/" + value)
                    changed[ref.idnum] = a
                else:
                    field[NameObject("/V")] = TextStringObject(value)
                changed[field_ref.idnum] = field
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for num, obj in sorted(changed.items()):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + serialize(obj) + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    prev = int(data[data.rindex(b"startxref") + 9:].split()[0])
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d /ID %s >>\n" % (
        int(r.trailer["/Size"]), r.trailer.raw_get("/Root").idnum,
        r.trailer.raw_get("/Info").idnum, prev, serialize(r.trailer["/ID"]))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    open(dst, "wb").write(bytes(out))


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
    if sys.argv[1] == "--update":
        update(sys.argv[2], sys.argv[3], sys.argv[4])
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
    no_look = sys.argv[1] == "--no-look"
    if no_look:
        del sys.argv[1]
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
                if no_look and "/AP" in a:
                    del a["/AP"]
    missing = set(want) - seen
    if missing:
        sys.exit("fill-form.py: no field " + ", ".join(sorted(missing)))
    # the text fields' looks: left to the viewer, as pypdf does
    w.set_need_appearances_writer()
    with open(sys.argv[2], "wb") as f:
        w.write(f)


main()
