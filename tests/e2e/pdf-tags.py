#!/usr/bin/python3
# pdf-tags.py FILE - the tagged structure of a PDF, read with pypdf (Debian's
# python3-pypdf; for the e2e tests). Prints the structure types and their
# counts (Document=1 H1=1 P=28) on one line, then "ok" or what is wrong:
# an element whose /P is not its parent, a catalog not /Marked, a page whose
# MCIDs (in its content stream) do not match its parent-tree array, an MCID
# missing from its element's /K, text (BT) outside marked content, marked
# content unbalanced or nested, a table that is not rows of header and
# data cells (Table > TR > TH|TD), a Figure without alternate text (/Alt).
import re
import sys
from collections import Counter

import pypdf

r = pypdf.PdfReader(sys.argv[1])
root = r.trailer['/Root']
st = root['/StructTreeRoot']
types, bad = Counter(), []


# what each table element may hold (elements only; TH and TD hold
# marked content or paragraphs)
ALLOWED = {'Table': {'TR'}, 'TR': {'TH', 'TD'}, 'TH': {'P'}, 'TD': {'P'}}


def walk(e):
    e = e.get_object()
    s = str(e['/S'])[1:]
    types[s] += 1
    if s == 'Figure' and not str(e.get('/Alt', '')).strip():
        bad.append('a Figure without /Alt')
    for c in e.get('/K', []):
        c = c.get_object()
        if isinstance(c, pypdf.generic.DictionaryObject):
            if c['/P'].get_object() != e:
                bad.append('a child whose /P is not its parent')
            cs = str(c['/S'])[1:]
            if s in ALLOWED and cs not in ALLOWED[s]:
                bad.append(f'{cs} inside {s}')
            if cs in ('TR', 'TH', 'TD') and s not in ('Table', 'TR'):
                bad.append(f'{cs} outside a table row')
            walk(c)


walk(st['/K'])
if not root['/MarkInfo']['/Marked']:
    bad.append('not /Marked')
nums = st['/ParentTree']['/Nums']
parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
for i, p in enumerate(r.pages):
    data = p.get_contents().get_data().decode('latin-1')
    mcids = [int(m) for m in re.findall(r'/MCID (\d+)>> BDC', data)]
    elems = parents.get(p.get('/StructParents'), [])
    if mcids != list(range(len(elems))):
        bad.append(f'page {i + 1}: MCIDs {len(mcids)}, parent tree {len(elems)}')
    for k, el in enumerate(elems):
        if k not in el.get_object()['/K']:
            bad.append(f'page {i + 1}: MCID {k} not in its element')
    depth = 0
    for t in re.findall(r'(BDC|BMC|EMC|BT)\n', data):
        depth += {'BDC': 1, 'BMC': 1, 'EMC': -1}.get(t, 0)
        if t == 'BT' and depth != 1:
            bad.append(f'page {i + 1}: text outside marked content')
        if depth < 0 or depth > 1:
            bad.append(f'page {i + 1}: marked content unbalanced')
    if depth:
        bad.append(f'page {i + 1}: marked content left open')
print(' '.join(f'{k}={types[k]}' for k in sorted(types)))
print('; '.join(sorted(set(bad))) or 'ok')
