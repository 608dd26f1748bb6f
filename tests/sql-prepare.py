#!/usr/bin/python3
"""sql-prepare.py DB SQL_C - every statement of the engine's one SQL file
compiles against the schema a fresh `ballot init` makes (EXPLAIN prepares
each one without running it), so a typo in a statement that only a rare
path runs is found by make check, not by a user.

The migrations (SQL_MIGRATIONS, several statements each) are run by every
init and are left out; so are constants that are no SQL statement."""
import re
import subprocess
import sys

db, src = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
lit = r'"(?:[^"\\]|\\.)*"'
text = text.replace("\\\n", " ")  # a #define continued on the next line


def unquote(parts):
    return "".join(bytes(p[1:-1], "utf-8").decode("unicode_escape") for p in parts)


def expand(init, macros):
    """The string an initializer of literals and macro names spells."""
    out = []
    for tok in re.findall(lit + r"|[A-Z_][A-Z0-9_]*", init):
        out.append(unquote([tok]) if tok.startswith('"') else macros[tok])
    return "".join(out)


macros = {}
for m in re.finditer(r"^#define ([A-Z_][A-Z0-9_]*)[ \t]+(.*)$", text, flags=re.M):
    if re.fullmatch(r"(?:\s*(?:" + lit + r"|[A-Z_][A-Z0-9_]*))+\s*", m.group(2)):
        macros[m.group(1)] = expand(m.group(2), macros)
stmts = {}
for m in re.finditer(r"const char (SQL_[A-Z0-9_]+)\[\]\s*=\s*((?:\s*(?:" + lit + r"|[A-Z_][A-Z0-9_]*))+)\s*;", text):
    stmts[m.group(1)] = expand(m.group(2), macros)
declared = re.findall(r"^const char (SQL_[A-Z0-9_]+)\[\]", text, flags=re.M)
missing = sorted(set(declared) - set(stmts))
if missing:
    print(f"sql-prepare: cannot read {', '.join(missing)} in {src}: the parser is out of date")
    sys.exit(1)
if len(stmts) < 100:
    print(f"sql-prepare: only {len(stmts)} statements found in {src}: the parser is out of date")
    sys.exit(1)
# db_stmt caches every statement it prepares (store.h BT_STMT_CACHE) and
# refuses one more: the cache must hold all of them.
import os
hdr = open(os.path.join(os.path.dirname(src), "store.h"), encoding="utf-8").read()
cache = int(re.search(r"#define BT_STMT_CACHE (\d+)", hdr).group(1))
bad = 0
if len(stmts) > cache:
    bad += 1
    print(f"sql-prepare: {len(stmts)} statements but BT_STMT_CACHE is {cache}: raise it in store.h")
for name, sql in sorted(stmts.items()):
    r = subprocess.run(["sqlite3", "-bail", db, "EXPLAIN " + sql], capture_output=True, text=True)
    if r.returncode != 0:
        bad += 1
        print(f"sql-prepare: {name} does not compile: {r.stderr.strip()}")
print(f"sql-prepare: {len(stmts)} statements (cache {cache}), {bad} problems")
sys.exit(1 if bad else 0)
