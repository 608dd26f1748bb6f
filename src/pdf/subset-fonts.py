#!/usr/bin/python3
"""subset-fonts.py - the fast fonts of the PDF documents, made at build time.

libharu 2.3.0 looks up every one of the 65 536 BMP code points in a font's
cmap, segment by segment, for each font of each document it writes; with the
2 656 cmap segments of AR PL UMing that alone costs 60 ms a form, and the
whole font is embedded (500 KB). So `make` derives from the Debian fonts
small subsets whose cmaps are a few contiguous segments (code points the
subset lacks map to glyph 0, and ballot falls back to the full font listed
after it in forms/fonts.tsv):
  latin-regular.ttf, latin-bold.ttf  Liberation Sans: Latin, Greek, Cyrillic,
                                     punctuation
  cjk.ttf                            AR PL UMing (face 0): the characters of
                                     the Chinese templates and Member State
                                     names, CJK punctuation, fullwidth forms
  cjk-full.ttf                       AR PL UMing (face 0) whole, the fallback
  arabic.ttf                         KacstBook whole (206 glyphs, 22 cmap
                                     segments: fast as it is)
Every font also gets non-empty 'cvt ', 'fpgm' and 'prep' tables (a no-op
program): libharu 2.3.0 fails to save a document when it embeds a font that
lacks one of them and its font buffer happens to end on an 8 KiB boundary
(libharu issue #305, fixed only in 2.4.4). Liberation Sans has them; UMing and
KacstBook do not, so they are never embedded as shipped.
Usage: subset-fonts.py FORMS_DIR OUT_DIR
Needs python3-fonttools (Debian). Same inputs, same bytes.
"""
import gettext
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables.DefaultTable import DefaultTable

LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSans-%s.ttf"
KACST = "/usr/share/fonts/truetype/kacst/KacstBook.ttf"
UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
ZH_MO = "/usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo"

# Latin-1, Latin Extended-A, the Romanian comma letters, modern Cyrillic,
# punctuation, the euro sign: every Member State name in en/fr/es/ru.
LATIN_CODES = [(0x20, 0x7E), (0xA0, 0x17F), (0x218, 0x21B), (0x2C6, 0x2C7),
               (0x2D8, 0x2DD), (0x400, 0x45F), (0x490, 0x491),
               (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC)]
LATIN = [(0x20, 0x45F), (0x2010, 0x20AC)]
CJK_BLOCKS = [(0x3000, 0x303F), (0x4E00, 0x9FA5), (0xFF01, 0xFF5E)]


def cjk_text(forms):
    """Every character of the Chinese templates and names."""
    chars = set()
    for rel in ("annex2/zh.txt", "report/zh.txt", "names/zh.tsv"):
        path = os.path.join(forms, rel)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                chars |= set(f.read())
    with open(ZH_MO, "rb") as f:
        mo = gettext.GNUTranslations(f)
    with open(os.path.join(forms, "member-states.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or cols[0] == "alpha3" or len(cols) < 3:
                continue
            chars |= set(mo.gettext(cols[2]))
    for lo, hi in CJK_BLOCKS[0::2]:  # punctuation and fullwidth forms
        chars |= {chr(c) for c in range(lo, hi + 1)}
    return {ord(c) for c in chars if ord(c) >= 0x2E80}


def rename(font, family):
    """A subset or copy gets a name of its own: libharu finds fonts by
    PostScript name, and would take the subset for the full font listed
    after it (and the OFL keeps reserved names for unmodified fonts)."""
    style = "Bold" if "Bold" in (font["name"].getDebugName(2) or "") else "Regular"
    ps = "Ballot" + family + "-" + style
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = "Ballot " + family
        elif rec.nameID in (4, 18):
            rec.string = "Ballot " + family + " " + style
        elif rec.nameID in (3, 6):
            rec.string = ps


def add_programs(font):
    """Non-empty 'cvt ', 'fpgm', 'prep' (SVTCA[y]: no stack, no effect)."""
    for tag, data in (("cvt ", b"\x00\x00"), ("fpgm", b"\x00"),
                      ("prep", b"\x00")):
        if tag not in font:
            table = DefaultTable(tag)
            table.data = data
            font[tag] = table


def copy(src, out, family, face=0):
    """The whole font, with the programs added."""
    font = TTFont(src, fontNumber=face, lazy=True, recalcBBoxes=False,
                  recalcTimestamp=False)
    add_programs(font)
    rename(font, family)
    font.save(out, reorderTables=False)


def make(src, out, family, codes, blocks, face=0):
    opts = subset.Options()
    opts.hinting = False
    opts.glyph_names = False
    opts.drop_tables += ["GPOS", "GSUB", "GDEF", "kern", "FFTM", "BDF",
                         "EBDT", "EBLC", "EBSC", "morx", "feat"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    font = TTFont(src, fontNumber=face, recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=codes)
    sub.subset(font)
    # one contiguous segment per block: gaps map to glyph 0
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if t.format == 4]
    for t in cmap.tables:
        for lo, hi in blocks:
            for c in range(lo, hi + 1):
                t.cmap.setdefault(c, ".notdef")
    add_programs(font)
    rename(font, family)
    font.save(out)


def main():
    forms, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    latin = {c for lo, hi in LATIN_CODES for c in range(lo, hi + 1)}
    for style, name in (("Regular", "latin-regular"), ("Bold", "latin-bold")):
        make(LIBERATION % style, os.path.join(out, name + ".ttf"), "Latin",
             latin, LATIN)
    make(UMING, os.path.join(out, "cjk.ttf"), "CJK", cjk_text(forms),
         CJK_BLOCKS)
    copy(UMING, os.path.join(out, "cjk-full.ttf"), "CJKFull")
    copy(KACST, os.path.join(out, "arabic.ttf"), "Arabic")


if __name__ == "__main__":
    main()
