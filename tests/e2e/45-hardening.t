#!/usr/bin/env bash
# 45-hardening.t - the build a distribution sees (README, "Install"):
# - build/ballot and the binary `make install` installs are hardened:
#   hardening-check (devscripts) finds PIE, stack protector, fortified
#   functions, read-only relocations, immediate binding, control-flow
#   protection where the compiler has it;
# - CFLAGS, CPPFLAGS and LDFLAGS given on the command line or in the
#   environment add to what the build needs: a whole `make CFLAGS=-O0` build
#   of a copy of the sources succeeds (no _FORTIFY_SOURCE without -O, the
#   include paths kept) and its binary runs; a builder's CPPFLAGS that set
#   _FORTIFY_SOURCE are not contradicted;
# - -Werror only in the project's own builds: a git checkout, or WERROR=-Werror
#   (make check passes it); not in a tarball's build or with WERROR=.
# The binaries checked are the plain ones (BALLOT_BIN is not used).
. "$(dirname "$0")/lib.sh"

for tool in hardening-check make gcc; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done

for bin in build/ballot build/dist/ballot; do
	run hardening-check "$REPO/$bin"
	is "$RC" 0 "hardening-check $bin passes"
	[ "$RC" = 0 ] || diag "$OUT"
	for what in "Position Independent Executable" "Stack protected" "Fortify Source functions" \
		"Read-only relocations" "Immediate binding"; do
		like "$OUT" "$what: yes" "$bin: $what"
	done
	if gcc -fcf-protection -E -x c /dev/null >/dev/null 2>&1; then
		like "$OUT" "Control flow integrity: yes" "$bin: control flow integrity (CET)"
	fi
done

# A copy of the sources as a release tarball has them (no .git).
S=$T/src
mkdir -p "$S/build"
cp -R "$REPO/GNUmakefile" "$REPO/src" "$REPO/include" "$REPO/forms" "$S/"
M=(make -s --no-print-directory -C "$S")

flags() { # flags ARGS... : the command that compiles src/cli/main.o
	"${M[@]}" -n -B "$@" build/obj/src/cli/main.o | grep -- '-c -o build/obj/src/cli/main.o'
}
f=$(flags CFLAGS=-O0)
like "$f" ' -O0 ' "make CFLAGS=-O0: the builder's -O0 is used"
like "$f" '-Iinclude -Isrc' "make CFLAGS=-O0: the include paths are kept"
unlike "$f" '_FORTIFY_SOURCE' "make CFLAGS=-O0: no _FORTIFY_SOURCE without optimization"
like "$f" '-fstack-protector-strong' "make CFLAGS=-O0: still hardened"
f=$(CFLAGS="-O1 -g" CPPFLAGS=-DBT_FROM_ENV flags)
like "$f" '-DBT_FROM_ENV.* -O1 -g .*-Iinclude.*-D_FORTIFY_SOURCE=3' "CFLAGS and CPPFLAGS from the environment are added to"
f=$(flags CPPFLAGS=-D_FORTIFY_SOURCE=2)
is "$(grep -o '_FORTIFY_SOURCE=[0-9]' <<<"$f" | tr '\n' ' ')" "_FORTIFY_SOURCE=2 " \
	"a builder's _FORTIFY_SOURCE is the only one"
l=$("${M[@]}" -n -B LDFLAGS=-Wl,--as-needed build/ballot | grep -- '-o build/ballot ')
like "$l" '-Wl,--as-needed.*-pie -Wl,-z,relro,-z,now' "LDFLAGS are added to on the link line"

unlike "$(flags)" '-Werror' "a build from a tarball (no .git): no -Werror"
like "$(flags WERROR=-Werror)" '-Werror' "WERROR=-Werror (make check): -Werror"
touch "$S/.git"
like "$(flags)" '-Werror' "a git checkout: -Werror"
unlike "$(flags WERROR=)" '-Werror' "a git checkout with WERROR=: no -Werror"

start=$(date +%s)
ok "make CFLAGS=-O0 builds (a whole build, -Werror on)" "${M[@]}" -j2 CFLAGS=-O0 build/ballot
diag "the -O0 build took $(($(date +%s) - start)) s"
ok "the -O0 binary runs: init" "$S/build/ballot" --db "$T/o0.db" init
ok "the -O0 binary runs: consultation create" "$S/build/ballot" --db "$T/o0.db" consultation create \
	--circular 205 --group 11 --date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13
done_testing
