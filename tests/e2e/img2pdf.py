#!/usr/bin/python3
"""img2pdf.py OUT.pdf PAGE.jpg... : a PDF whose pages are the grey JPEG
images given (DCTDecode, DeviceGray), each drawn over an A4 page: a scanned
form as a copier's "scan to PDF" makes it (pages as images, no fields, no
text). Written here because ImageMagick's policy on Debian refuses to write
PDF; the JPEG bytes are embedded as they are."""
import struct
import sys


def jpeg_size(b):
    """(width, height, components) from a JPEG's SOF marker."""
    i = 2
    while i < len(b):
        if b[i] != 0xFF:
            raise ValueError("not a JPEG marker")
        m = b[i + 1]
        n = struct.unpack(">H", b[i + 2:i + 4])[0]
        if m in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", b[i + 5:i + 9])
            return w, h, b[i + 9]
        i += 2 + n
    raise ValueError("no SOF marker")


def main():
    out, pages = sys.argv[1], sys.argv[2:]
    objs = []  # bodies, object i + 1

    def add(body):
        objs.append(body)
        return len(objs)

    kids = []
    pages_id = 2  # reserved below
    add(b"")  # 1: catalog, filled last
    add(b"")  # 2: pages, filled last
    for p in pages:
        data = open(p, "rb").read()
        w, h, comps = jpeg_size(data)
        cs = b"/DeviceGray" if comps == 1 else b"/DeviceRGB"
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                  b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, cs, len(data))
                  + data + b"\nendstream")
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q\n"
        content = add(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"endstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, img, content)))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs):
        offs.append(len(pdf))
        pdf += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        pdf += b"%010d 00000 n \n" % o
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    open(out, "wb").write(pdf)


main()
