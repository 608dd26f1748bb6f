/* datadir.c - where ballot finds its data: the forms directory (templates,
 * names, fonts.tsv) and the fonts directory ({fonts}/ in fonts.tsv).
 *
 * Alone in its file on purpose: libballot-pdf.a carries the checkout's path
 * (BALLOT_FORMS_DIR from GNUmakefile's PDF_CFLAGS), so
 * build/ballot, the unit tests and the fuzz harnesses run from the checkout;
 * the binary `make install` installs links a copy of this file compiled with
 * $(PREFIX)/share/ballot/... ahead of the library, and the linker then never
 * pulls this member out of the archive. */
#include "pdf/doc.h"
#include "pdf/lang.h"

#include <stdlib.h>

#ifndef BALLOT_FORMS_DIR
#define BALLOT_FORMS_DIR "forms"
#endif
/* Debian's fonts, the same for the checkout and the installed binary */
#ifndef BALLOT_FONTS_DIR
#define BALLOT_FONTS_DIR "/usr/share/fonts"
#endif

const char *pdf_forms_dir(void)
{
	const char *env = getenv("BALLOT_FORMS");
	return env && *env ? env : BALLOT_FORMS_DIR;
}

const char *pdf_fonts_dir(void)
{
	const char *env = getenv("BALLOT_FONTS");
	return env && *env ? env : BALLOT_FONTS_DIR;
}
