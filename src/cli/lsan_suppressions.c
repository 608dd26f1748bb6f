/* lsan_suppressions.c - the leaks LeakSanitizer is not to report, built into
 * the ASan binary (build-asan/ballot) so that every ASan run (make check's
 * second pass, the fault and valgrind-style scripts, any ASAN_OPTIONS) has
 * them: only a library's own leaks that no call of ours can free.
 *
 * libfontconfig.so.1: 288 bytes (256 + 32) lost while fontconfig parses its
 * configuration files (FcInitLoadConfigAndFonts, from poppler's
 * GlobalParams::findSystemFontFile when poppler draws a filled form's typed
 * values with a system font: `scan` of a filled PDF). The block is
 * unreachable (a direct leak) once the configuration is loaded: FcFini after
 * the last poppler use does not free it (tried). Fontconfig 2.14 (Debian 12).
 * Matched by module, as the fast unwinder stops at fontconfig's first frame. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/* the suppressions used are not listed on stderr (a refusal stays one
 * line); LSAN_OPTIONS=print_suppressions=1 lists them */
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so.1\n";
}
#else
typedef int lsan_suppressions_none; /* not an empty translation unit */
#endif
