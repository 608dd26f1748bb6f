#!/usr/bin/python3
# widget-tags.py - reads `qpdf --json --json-key=qpdf FILE` on stdin and
# follows each widget annotation of each page into the structure tree (for
# the e2e tests): its /StructParent must be a key of the catalog's
# /StructTreeRoot /ParentTree (/Nums) whose element is a /Form element
# (a child of the Document element, on the widget's page) holding an /OBJR
# whose /Obj is that widget. Hidden widgets (flag 2) must have none. Prints
# "WIDGETS TAGGED HIDDEN" then "ok" or what is wrong, one problem a line.
# What the specifications ask, checked too:
# - ISO 32000-1 7.9.7 (number trees): the keys of /Nums "shall be sorted in
#   numerical order", ascending; a reader looks a key up by bisection, so a
#   key out of order can be missed (each key once);
# - 14.7.4.4 (the parent tree): one entry per key, the key being a page's
#   /StructParents (its marked content) or an annotation's /StructParent:
#   no widget may share its key with a page (nor with another widget), or
#   one of the two is found in the other's place;
# - ISO 14289-1 (PDF/UA-1) 7.18.3: "every page on which there is an
#   annotation shall contain in its page dictionary the key Tabs, and its
#   value shall be S": on the pages with annotations (widgets or others),
#   not on the others (ISO 32000-1 table 30: Tabs is optional).
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
bad, widgets, tagged, hidden = [], 0, 0, 0
tree, prev = {}, None
for i in range(0, len(nums), 2):
    if not isinstance(nums[i], int):
        bad.append(f'/Nums: key {nums[i]} not an integer')
        continue
    if prev is not None and nums[i] <= prev:
        bad.append(f'/Nums: key {nums[i]} after key {prev} (not ascending)')
    prev = nums[i]
    tree.setdefault(nums[i], nums[i + 1])
doc_ref = st['/K']
pages = get(get(root['/Pages'])['/Kids'])
# the pages' keys (their marked content's entries in the parent tree)
keys = {}
for pno, pref in enumerate(pages, 1):
    k = get(pref).get('/StructParents')
    if k is not None:
        if k in keys:
            bad.append(f'page {pno}: /StructParents {k} also {keys[k]}\'s')
        elif not isinstance(get(tree.get(k)), list):
            bad.append(f'page {pno}: /StructParents {k}: no array of elements in the parent tree')
        keys[k] = f'page {pno}'
for pno, pref in enumerate(pages, 1):
    page = get(pref)
    annots = get(page.get('/Annots', []))
    for aref in annots:
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
            bad.append(f'page {pno}: widget {aref}: /StructParent {k} also {keys[k]}\'s key')
            continue
        keys[k] = f'widget {aref}'
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
    if annots and page.get('/Tabs') != '/S':
        bad.append(f'page {pno}: annotations, and the tab order not the structure\'s (/Tabs /S)')
nk = st.get('/ParentTreeNextKey')
if not isinstance(nk, int) or nk <= max(tree):
    bad.append(f'/ParentTreeNextKey {nk} not above the keys (max {max(tree)})')
print(widgets, tagged, hidden)
print('\n'.join(bad) or 'ok')
