#!/usr/bin/python3
# widget-tags.py - reads `qpdf --json --json-key=qpdf FILE` on stdin and
# follows each widget annotation of each page into the structure tree (for
# the e2e tests): its /StructParent must be a key of the catalog's
# /StructTreeRoot /ParentTree (/Nums) whose element is a /Form element
# (a child of the Document element, on the widget's page) holding an /OBJR
# whose /Obj is that widget. Hidden widgets (flag 2) must have none. Prints
# "WIDGETS TAGGED HIDDEN" then "ok" or what is wrong, one problem a line.
import json
import sys

objs = {}
for part in json.load(sys.stdin)['qpdf'][1:]:
    for k, v in part.items():
        objs[k[4:]] = v.get('value')


def get(v):
    """v, or the object v refers to."""
    return objs.get(v) if isinstance(v, str) and v.endswith(' R') else v


root = next(v for v in objs.values()
            if isinstance(v, dict) and v.get('/Type') == '/Catalog')
st = get(root['/StructTreeRoot'])
nums = get(get(st['/ParentTree'])['/Nums'])
tree = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
doc_ref = st['/K']
bad, widgets, tagged, hidden = [], 0, 0, 0
keys = set()
pages = get(get(root['/Pages'])['/Kids'])
for pno, pref in enumerate(pages, 1):
    page = get(pref)
    for aref in get(page.get('/Annots', [])):
        a = get(aref)
        if a.get('/Subtype') != '/Widget':
            continue
        widgets += 1
        if a.get('/F', 0) & 2:
            hidden += 1
            if '/StructParent' in a:
                bad.append(f'hidden widget {aref} in the structure')
            continue
        k = a.get('/StructParent')
        if k is None:
            bad.append(f'page {pno}: widget {aref} has no /StructParent')
            continue
        if k in keys:
            bad.append(f'key {k} used twice')
        keys.add(k)
        el_ref = tree.get(k)
        el = get(el_ref)
        if not isinstance(el, dict):
            bad.append(f'widget {aref}: key {k} not in the parent tree')
            continue
        if el.get('/S') != '/Form':
            bad.append(f'widget {aref}: its element is {el.get("/S")}')
        if el.get('/P') != doc_ref:
            bad.append(f'widget {aref}: its element is not the Document\'s')
        elif el_ref not in get(get(doc_ref)['/K']):
            bad.append(f'widget {aref}: its element is not among the Document\'s kids')
        if el.get('/Pg') != pref:
            bad.append(f'widget {aref}: its element is on another page')
        objr = get(el.get('/K'))
        if not (isinstance(objr, dict) and objr.get('/Type') == '/OBJR'
                and objr.get('/Obj') == aref):
            bad.append(f'widget {aref}: its element holds no /OBJR to it')
        else:
            tagged += 1
    if widgets and page.get('/Tabs') != '/S':
        bad.append(f'page {pno}: tab order not the structure\'s (/Tabs /S)')
nk = st.get('/ParentTreeNextKey')
if not isinstance(nk, int) or nk <= max(tree):
    bad.append(f'/ParentTreeNextKey {nk} not above the keys (max {max(tree)})')
print(widgets, tagged, hidden)
print('\n'.join(bad) or 'ok')
