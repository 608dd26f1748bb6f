#!/bin/bash
# User story: the secretariat creates the database with the Member State list,
# looks the list up at a date, and imports a revised list.
. "$(dirname "$0")/lib.sh"

# --- init ---
ok "no database before init" test ! -e "$BALLOT_DB"
expect_exit 0 ballot init
ok "init creates the database file" test -s "$BALLOT_DB"

expect_exit 0 ballot members --as-of 2030-01-01 --json
is "$(jlen .)" 194 "the default list has 194 Member States"

sum=$(db_sum)
expect_exit 0 ballot init
like "$OUT
$ERR" '[Aa]lready|[Ee]xist' "a second init says the database is already there"
is "$(db_sum)" "$sum" "a second init changes nothing"

# --db overrides BALLOT_DB
expect_exit 0 ballot --db "$T/other.db" init
ok "--db FILE creates that file" test -s "$T/other.db"
is "$(db_sum)" "$sum" "... and leaves \$BALLOT_DB alone"

# --- members --as-of ---
expect_exit 0 ballot members --as-of 2020-01-01 --json
is "$(jlen .)" 193 "members --as-of 2020-01-01: 193"
is "$(jwhere . code PLW code)" "" "Palau is not a member on 2020-01-01"
expect_exit 0 ballot members --as-of 2024-09-18 --json
is "$(jlen .)" 193 "members --as-of 2024-09-18 (day before Palau): 193"
expect_exit 0 ballot members --as-of 2024-09-19 --json
is "$(jlen .)" 194 "members --as-of 2024-09-19 (Palau's admission day): 194"
expect_exit 0 ballot members --as-of 2025-01-01 --json
is "$(jlen .)" 194 "members --as-of 2025-01-01: 194"
is "$(jwhere . code PLW code)" PLW "Palau is a member on 2025-01-01"

expect_exit 0 ballot members --as-of 2020-01-01
unlike "$OUT" '\bPLW\b' "text list of 2020 does not show PLW"
like "$OUT" '\bCHE\b' "text list of 2020 shows CHE"
like "$OUT" 'Switzerland' "text list shows names"
expect_exit 0 ballot members --as-of 2025-01-01
like "$OUT" '\bPLW\b' "text list of 2025 shows PLW"

# --- members --json shape ---
expect_exit 0 ballot members --as-of 2030-01-01 --json
is "$(jtype .)" array "members --json is a list"
is "$(jtype '.[0]')" object "... of objects"
like "$(jcol . code | sort -u | grep -Ec '^[A-Z]{3}$')" '^194$' "... each with a distinct alpha-3 code"
is "$(jwhere . code CHE name)" Switzerland "... and a name (CHE: Switzerland)"
is "$(jwhere . code PLW name)" Palau "PLW: Palau"
like "$(jwhere . code PLW .)" '"2024-09-19"' "PLW's entry carries its admission date 2024-09-19"
is "$(jcol . code | sort | tr '\n' ' ')" "$(jcol . code | tr '\n' ' ')" "members are listed by code"

# --- members import ---
mkdir -p "$T/in"
printf 'alpha3\talpha2\tname\tmember_since\n# a comment line\nCHE\tCH\tSwiss Confederation\t\nCOK\tCK\tCook Islands\t2025-06-01\n' >"$T/in/members.tsv"
expect_exit 0 ballot members import "$T/in/members.tsv"
expect_exit 0 ballot members --as-of 2030-01-01 --json
is "$(jlen .)" 195 "import added a member (195)"
is "$(jwhere . code CHE name)" "Swiss Confederation" "import replaced CHE's name"
is "$(jwhere . code COK name)" "Cook Islands" "the new member is listed"
is "$(jwhere . code FRA name)" "France" "members not in the file are kept unchanged"
expect_exit 0 ballot members --as-of 2025-01-01 --json
is "$(jlen .)" 194 "the new member is not a member before its date"
expect_exit 0 ballot members --as-of 2025-06-01 --json
is "$(jlen .)" 195 "... and is from its date"
ok "the old name is kept in the history (still in the database)" \
	sh -c 'sqlite3 "$1" .dump | grep -q "Switzerland"' sh "$BALLOT_DB"

# bad files: exit 2, one line, nothing imported
printf 'alpha3\talpha2\tname\tmember_since\nFRA\tFR\tFrench Republic\t\nXKX\tXK\tKosovo\t2020-02-30\nNIU\tNU\tNiue\t2026-01-01\n' >"$T/in/bad-date.tsv"
refused 2020-02-30 ballot members import "$T/in/bad-date.tsv"
err_names "bad-date.tsv line 3: member_since" "  ... with the file and line, like every other refusal of the import"
printf 'alpha3\talpha2\tname\tmember_since\nFRA\tFR\tFrench Republic\t\nNIU\tNU\n' >"$T/in/bad-columns.tsv"
refused 3 ballot members import "$T/in/bad-columns.tsv"
printf 'FRA\tFR\tFrench Republic\t\n' >"$T/in/no-header.tsv"
refused header ballot members import "$T/in/no-header.tsv"
printf 'alpha3\talpha2\tname\tmember_since\nFRA\tFR\tFrench Republic\t\nN1U\tNU\tNiue\t\n' >"$T/in/bad-code.tsv"
refused N1U ballot members import "$T/in/bad-code.tsv"
refused "$T/in/missing.tsv" ballot members import "$T/in/missing.tsv"
expect_exit 0 ballot members --as-of 2030-01-01 --json
is "$(jwhere . code FRA name)" "France" "after the refused imports FRA is still France"

# An import never changes an admission date: empty keeps it, a different one is refused.
printf 'alpha3\talpha2\tname\tmember_since\nPLW\tPW\tPalau\t\n' >"$T/keep.tsv"
expect_exit 0 ballot members import "$T/keep.tsv"
run ballot members --as-of 2020-01-01 --json
is "$(jlen .)" 193 "an empty member_since keeps Palau's admission date (not in 2020)"
printf 'alpha3\talpha2\tname\tmember_since\nCHE\tCH\tSwitzerland\t2021-01-01\n' >"$T/redate.tsv"
refused 2021-01-01 ballot members import "$T/redate.tsv"
printf 'alpha3\talpha2\tname\tmember_since\n' >"$T/empty.tsv"
refused "$T/empty.tsv" ballot --db "$T/empty.db" init --members "$T/empty.tsv"
ok "... and leaves no database behind" test ! -e "$T/empty.db"

done_testing
