/* pack.c - a finished PDF rewritten with object streams (pdf/pack.h).
 *
 * libharu's output is regular: a header, "N 0 obj" ... "endobj" for each
 * object in turn, a classic cross-reference table and a trailer naming /Root
 * and /Info. Each object is found by the table's offset and ends where the
 * next begins. Objects other than streams are written again with the
 * fewest separators (a space only between two tokens that would run
 * together) into one compressed object stream; streams are kept byte for
 * byte, their dictionaries tightened, their /Length written in place of
 * libharu's indirect number (whose object goes). A compressed
 * cross-reference stream (PNG "Up" rows) ends the file; its /ID is the
 * first 16 bytes of the SHA-256 of what precedes it, so the same input
 * gives the same bytes. No parse of the whole document, no copy of a
 * stream's data but the one into the output. */
#include "pdf/pack.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <zlib.h>

typedef struct tok {
	const char *s;
	size_t n;
	char kind; /* 'd' delimiter, 'n' name, 'r' regular, 's' string */
} tok;

typedef struct obj {
	size_t off, end;   /* the object's bytes in the input */
	size_t body, blen; /* its value (a stream: its dictionary) */
	size_t data, dlen; /* a stream's data */
	size_t zoff, zlen; /* its data compressed here (flate) */
	int stream, gone, present, flate;
} obj;

typedef struct pack {
	const unsigned char *in;
	size_t len;
	obj *o;
	size_t n;       /* objects 0 .. n-1 */
	tok *t;
	size_t nt, ct;
	long root, info;
	int version;
} pack;

static int is_space(int c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	       c == 0;
}

static int is_delim(int c)
{
	return c && strchr("()<>[]{}/%", c) != NULL;
}

/* The tokens of s[0..n) into p->t (strings kept whole). -1 when out of
 * memory or unbalanced. */
static int tokenize(pack *p, const char *s, size_t n)
{
	p->nt = 0;
	size_t i = 0;
	while (i < n) {
		if (is_space((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (p->nt == p->ct) {
			size_t c = p->ct ? 2 * p->ct : 256;
			tok *v = realloc(p->t, c * sizeof *v);
			if (!v)
				return -1;
			p->t = v;
			p->ct = c;
		}
		tok *t = &p->t[p->nt++];
		size_t j = i + 1;
		t->s = s + i;
		if (s[i] == '(') {
			int depth = 1;
			for (; j < n && depth; j++) {
				if (s[j] == '\\')
					j++;
				else if (s[j] == '(')
					depth++;
				else if (s[j] == ')')
					depth--;
			}
			if (depth)
				return -1;
			t->kind = 's';
		} else if (s[i] == '<' && i + 1 < n && s[i + 1] != '<') {
			while (j < n && s[j] != '>')
				j++;
			if (j++ >= n)
				return -1;
			t->kind = 's';
		} else if ((s[i] == '<' || s[i] == '>') && i + 1 < n &&
			   s[i + 1] == s[i]) {
			j = i + 2;
			t->kind = 'd';
		} else if (strchr("[]{}", s[i])) {
			t->kind = 'd';
		} else {
			t->kind = s[i] == '/' ? 'n' : 'r';
			while (j < n && !is_space((unsigned char)s[j]) &&
			       !is_delim((unsigned char)s[j]))
				j++;
		}
		t->n = j - i;
		i = j;
	}
	return 0;
}

static int tok_is(const tok *t, const char *s)
{
	return t->n == strlen(s) && memcmp(t->s, s, t->n) == 0;
}

static long tok_long(const tok *t)
{
	char b[24];
	size_t n = t->n < sizeof b - 1 ? t->n : sizeof b - 1;
	memcpy(b, t->s, n);
	b[n] = 0;
	return strtol(b, NULL, 10);
}

/* The literal string s[0..n) (with its parentheses) written again with
 * the fewest escapes: libharu writes \ooo for every byte outside printable
 * ASCII and for / [ ] < > and more; a literal string needs a backslash
 * only before \ ( ) (and a carriage return kept as \r). */
static int literal(bt_buf *out, const char *s, size_t n)
{
	if (bt_buf_add(out, "(", 1) < 0)
		return -1;
	for (size_t i = 1; i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' && i + 2 < n) {
			c = (unsigned char)s[++i];
			if (c >= '0' && c <= '7') {
				unsigned v = 0;
				for (int k = 0; k < 3 && i + 1 < n && s[i] >= '0' &&
				     s[i] <= '7'; k++)
					v = v * 8 + (unsigned)(s[i++] - '0');
				i--;
				c = (unsigned char)v;
			} else {
				switch (c) {
				case '\n': continue; /* a line continued */
				case 'n': c = '\n'; break;
				case 'r': c = '\r'; break;
				case 't': c = '\t'; break;
				case 'b': c = '\b'; break;
				case 'f': c = '\f'; break;
				default: break; /* \\ \( \) and the rest: itself */
				}
			}
		}
		if ((c == '\\' || c == '(' || c == ')' || c == '\r') &&
		    bt_buf_add(out, "\\", 1) < 0)
			return -1;
		if (bt_buf_addc(out, c == '\r' ? 'r' : (char)c) < 0)
			return -1;
	}
	return bt_buf_add(out, ")", 1) < 0 ? -1 : 0;
}

/* Appends name s, each "#2320" in it as "#20": libharu writes a space in a
 * name as it is (the name then ends there), so a name with spaces (a font's
 * "family style": acroform.c's fallbacks) is given to it with "#20", which
 * it writes "#2320". 0 or -1 (buffer). */
static int name_space(bt_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int sp = i + 5 <= n && memcmp(s + i, "#2320", 5) == 0;
		if (bt_buf_add(out, sp ? "#20" : s + i, sp ? 3 : 1) < 0)
			return -1;
		i += sp ? 4 : 0;
	}
	return 0;
}

/* Appends token s of kind after the one of kind *prev, with a space only
 * where the two would run together. 0 or -1 (buffer). */
static int put(bt_buf *out, char *prev, const char *s, size_t n, char kind)
{
	if (kind == 'r' && (*prev == 'r' || *prev == 'n') &&
	    bt_buf_add(out, " ", 1) < 0)
		return -1;
	*prev = kind;
	if (kind == 's' && s[0] == '(')
		return literal(out, s, n);
	for (size_t i = 0; kind == 'n' && i + 5 <= n; i++)
		if (memcmp(s + i, "#2320", 5) == 0)
			return name_space(out, s, n);
	return bt_buf_add(out, s, n);
}

/* ---- reading libharu's layout ---- */

static const unsigned char *find(const unsigned char *h, size_t hn,
				 const char *needle)
{
	size_t n = strlen(needle);
	for (const unsigned char *q = h; hn >= n && q <= h + hn - n; q++) {
		q = memchr(q, needle[0], (size_t)(h + hn - n - q) + 1);
		if (!q)
			return NULL;
		if (memcmp(q, needle, n) == 0)
			return q;
	}
	return NULL;
}

/* The trailer's reference under key (its object number), or -1. */
static long trailer_ref(const pack *p, size_t from, const char *key)
{
	const unsigned char *k = find(p->in + from, p->len - from, key);
	if (!k)
		return -1;
	return strtol((const char *)k + strlen(key), NULL, 10);
}

static int cmp_off(const void *a, const void *b)
{
	size_t x = (*(const obj *const *)a)->off,
	       y = (*(const obj *const *)b)->off;
	return x < y ? -1 : x > y;
}

/* Each object's extent and, for a stream, its dictionary and data. */
static int objects(pack *p)
{
	obj **byoff = malloc(p->n * sizeof *byoff);
	size_t k = 0;
	if (!byoff)
		return -1;
	for (size_t i = 1; i < p->n; i++)
		if (p->o[i].present)
			byoff[k++] = &p->o[i];
	qsort(byoff, k, sizeof *byoff, cmp_off);
	int rc = 0;
	for (size_t i = 0; i < k && rc == 0; i++) {
		obj *o = byoff[i];
		o->end = i + 1 < k ? byoff[i + 1]->off : p->len;
		const unsigned char *s = p->in + o->off;
		const unsigned char *nl = memchr(s, '\n', o->end - o->off);
		const unsigned char *eo = NULL;
		for (size_t j = o->end; j > o->off + 6 && !eo; j--)
			if (memcmp(p->in + j - 6, "endobj", 6) == 0)
				eo = p->in + j - 6;
		if (!nl || !eo || eo < nl) {
			rc = -1;
			break;
		}
		o->body = (size_t)(nl + 1 - p->in);
		o->blen = (size_t)(eo - p->in) - o->body;
		const unsigned char *st = find(nl, (size_t)(eo - nl),
					       ">>\nstream\r\n");
		if (st) {
			o->stream = 1;
			o->data = (size_t)(st + 11 - p->in);
			o->blen = (size_t)(st + 2 - p->in) - o->body;
			const unsigned char *es = eo;
			while (es > st + 11 && memcmp(es - 9, "endstream", 9))
				es--;
			if (es <= st + 11 + 9) {
				rc = -1;
				break;
			}
			o->dlen = (size_t)(es - 9 - p->in) - o->data;
			if (o->dlen && p->in[o->data + o->dlen - 1] == '\n')
				o->dlen--; /* libharu's line before endstream */
		}
	}
	free(byoff);
	return rc;
}

static int layout(pack *p)
{
	const unsigned char *sx = NULL;
	for (size_t j = p->len; j >= 9 && !sx; j--)
		if (memcmp(p->in + j - 9, "startxref", 9) == 0)
			sx = p->in + j - 9;
	if (!sx || p->len < 9 || memcmp(p->in, "%PDF-1.", 7))
		return -1;
	p->version = p->in[7] - '0';
	size_t xref = (size_t)strtoul((const char *)sx + 9, NULL, 10);
	if (xref + 5 >= p->len || memcmp(p->in + xref, "xref", 4))
		return -1;
	char *end;
	const char *s = (const char *)p->in + xref + 4;
	long first = strtol(s, &end, 10), count = strtol(end, &end, 10);
	while (*end == '\r' || *end == '\n' || *end == ' ')
		end++;
	if (first != 0 || count < 2 || count > 1000000 ||
	    (size_t)(end - (const char *)p->in) + (size_t)count * 20 > p->len)
		return -1;
	p->n = (size_t)count;
	p->o = calloc(p->n, sizeof *p->o);
	if (!p->o)
		return -1;
	for (long i = 1; i < count; i++) {
		const char *e = end + 20 * i;
		if (e[17] != 'n')
			continue;
		p->o[i].off = (size_t)strtoul(e, NULL, 10);
		p->o[i].present = p->o[i].off < xref;
	}
	size_t tr = (size_t)(end - (const char *)p->in) + (size_t)count * 20;
	p->root = trailer_ref(p, tr, "/Root ");
	p->info = trailer_ref(p, tr, "/Info ");
	if (p->root <= 0 || p->root >= count)
		return -1;
	return objects(p);
}

/* the streams' level: zlib's default, as libharu's (9 makes a page's
 * contents 1 % smaller for 6 % more of a form's time) */
#define LEVEL_STREAM 6

/* in compressed with zlib at level appended to out, with a window no
 * larger than the input (most of a small deflate's time is setting up and
 * clearing its tables). */
static int deflate_into(bt_buf *out, const void *in, size_t n, int level)
{
	int w = 9;
	while (w < 15 && ((size_t)1 << w) < n + 262)
		w++;
	z_stream z = { 0 };
	if (deflateInit2(&z, level, Z_DEFLATED, w, w - 7 > 1 ?
			 w - 7 : 1, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	uLong cap = deflateBound(&z, (uLong)n);
	unsigned char *dst = malloc(cap);
	int rc;
	if (dst) {
		z.next_in = (Bytef *)(uintptr_t)in;
		z.avail_in = (uInt)n;
		z.next_out = dst;
		z.avail_out = (uInt)cap;
		rc = deflate(&z, Z_FINISH) == Z_STREAM_END &&
			bt_buf_add(out, dst, cap - z.avail_out) == 0 ? 0 : -1;
	} else {
		rc = -1;
	}
	deflateEnd(&z);
	free(dst);
	return rc;
}

/* ---- writing ---- */

/* A stream's dictionary, tightened, its /Length the data's (libharu's
 * indirect number marked gone) and a filter array of one name written as
 * the name (when there is no /DecodeParms). */
static int stream_dict(pack *p, obj *o, bt_buf *out)
{
	if (tokenize(p, (const char *)p->in + o->body, o->blen) < 0)
		return -1;
	int parms = 0, depth = 0;
	char prev = 'd';
	for (size_t i = 0; i < p->nt; i++)
		if (tok_is(&p->t[i], "/DecodeParms"))
			parms = 1;
	for (size_t i = 0; i < p->nt; i++) {
		const tok *t = &p->t[i];
		depth += tok_is(t, "<<") - tok_is(t, ">>");
		if (depth == 1 && tok_is(t, "/Length") && i + 1 < p->nt) {
			char len[24];
			if (i + 3 < p->nt && tok_is(&p->t[i + 3], "R")) {
				long k = tok_long(&p->t[i + 1]);
				if (k > 0 && (size_t)k < p->n)
					p->o[k].gone = 1;
				i += 2;
			}
			i++;
			snprintf(len, sizeof len, "%zu", o->flate ? o->zlen :
				 o->dlen);
			if (put(out, &prev, "/Length", 7, 'n') < 0 ||
			    put(out, &prev, len, strlen(len), 'r') < 0)
				return -1;
			continue;
		}
		if (depth == 1 && tok_is(t, "/Filter") && !parms &&
		    i + 3 < p->nt && tok_is(&p->t[i + 1], "[") &&
		    p->t[i + 2].kind == 'n' && tok_is(&p->t[i + 3], "]")) {
			if (put(out, &prev, t->s, t->n, 'n') < 0 ||
			    put(out, &prev, p->t[i + 2].s, p->t[i + 2].n, 'n') < 0)
				return -1;
			i += 3;
			continue;
		}
		if (depth == 0 && o->flate && (put(out, &prev, "/Filter", 7,
						   'n') < 0 ||
		    put(out, &prev, "/FlateDecode", 12, 'n') < 0))
			return -1;
		if (put(out, &prev, t->s, t->n, t->kind) < 0)
			return -1;
	}
	return 0;
}

/* The last streams of 1 KB or more compressed, for every document of the
 * process: the forms of a circular embed the same font subsets, mostly
 * (the same glyphs), and compressing them is most of a form's time.
 * Entries are kept until the process ends (reachable). */
#define CACHE_N 32
#define CACHE_MIN 1024
static struct cached {
	unsigned char *raw, *z;
	size_t n, zn;
} cache[CACHE_N];
static unsigned cache_next;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* 1 when data's compressed bytes were cached (added to z), 0 if not. */
static int cache_get(const unsigned char *data, size_t n, bt_buf *z)
{
	int hit = 0;
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < CACHE_N && !hit; i++)
		if (cache[i].n == n && memcmp(cache[i].raw, data, n) == 0)
			hit = bt_buf_add(z, cache[i].z, cache[i].zn) == 0 ? 1 : -1;
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

static void cache_put(const unsigned char *data, size_t n,
		      const unsigned char *zd, size_t zn)
{
	unsigned char *raw = malloc(n), *z = malloc(zn);
	if (!raw || !z) {
		free(raw);
		free(z);
		return;
	}
	memcpy(raw, data, n);
	memcpy(z, zd, zn);
	pthread_mutex_lock(&cache_lock);
	struct cached *c = &cache[cache_next++ % CACHE_N];
	free(c->raw);
	free(c->z);
	*c = (struct cached){ raw, z, n, zn };
	pthread_mutex_unlock(&cache_lock);
}

/* A stream libharu left as it is (no /Filter: the page contents, the
 * fonts, small tables) compressed into z, when that saves more than the
 * filter's name costs. */
static int squeeze(pack *p, obj *o, bt_buf *z)
{
	if (o->dlen < 48 || find(p->in + o->body, o->blen, "/Filter"))
		return 0;
	size_t at = z->len;
	const unsigned char *data = p->in + o->data;
	int hit = o->dlen >= CACHE_MIN ? cache_get(data, o->dlen, z) : 0;
	if (hit < 0)
		return -1;
	if (!hit && deflate_into(z, data, o->dlen, LEVEL_STREAM) < 0)
		return -1;
	if (!hit && o->dlen >= CACHE_MIN)
		cache_put(data, o->dlen, (const unsigned char *)z->data + at,
			  z->len - at);
	if (z->len - at + 20 >= o->dlen) {
		z->len = at; /* not worth it */
		return 0;
	}
	o->flate = 1;
	o->zoff = at;
	o->zlen = z->len - at;
	return 0;
}

/* Every object that is not a stream, tightened, into one object stream's
 * bytes (its offsets table in head); *count objects. */
static int obj_stream(pack *p, bt_buf *head, bt_buf *body, size_t *count)
{
	*count = 0;
	for (size_t i = 1; i < p->n; i++) {
		obj *o = &p->o[i];
		if (!o->present || o->stream || o->gone)
			continue;
		if (tokenize(p, (const char *)p->in + o->body, o->blen) < 0)
			return -1;
		if (*count && bt_buf_add(body, "\n", 1) < 0)
			return -1;
		if (bt_buf_addf(head, "%s%zu %zu", *count ? " " : "", i,
				body->len) < 0)
			return -1;
		char prev = 'd';
		for (size_t k = 0; k < p->nt; k++)
			if (put(body, &prev, p->t[k].s, p->t[k].n,
				p->t[k].kind) < 0)
				return -1;
		o->data = (*count)++; /* its index in the object stream */
	}
	return 0;
}

static int bytes_for(size_t v)
{
	int b = 1;
	while (v >>= 8)
		b++;
	return b;
}

/* The cross-reference stream (object n + 1; the object stream is n) with
 * PNG Up rows, the trailer's keys and the /ID, then startxref. */
static int xref_stream(pack *p, size_t *off, size_t ostm, const char *hex,
		       bt_buf *out)
{
	size_t size = p->n + 2, xoff = out->len, big = xoff, idx = 1;
	for (size_t i = 0; i < p->n; i++)
		if (!p->o[i].stream && p->o[i].present && !p->o[i].gone &&
		    p->o[i].data > idx)
			idx = p->o[i].data;
	int w2 = bytes_for(big), w3 = bytes_for(idx), cols = 1 + w2 + w3;
	unsigned char *rows = calloc(size, (size_t)cols + 1),
		*prev = calloc(1, (size_t)cols), *cur = malloc((size_t)cols);
	int rc = rows && prev && cur ? 0 : -1;
	for (size_t i = 0; i < size && rc == 0; i++) {
		size_t type = 0, f2 = 0, f3 = 0;
		const obj *o = i < p->n ? &p->o[i] : NULL;
		if (i == p->n || i == p->n + 1 || (o && o->present && o->stream)) {
			type = 1;
			f2 = off[i];
		} else if (o && o->present && !o->gone) {
			type = 2;
			f2 = ostm;
			f3 = o->data;
		}
		cur[0] = (unsigned char)type;
		for (int b = 0; b < w2; b++)
			cur[1 + b] = (unsigned char)(f2 >> (8 * (w2 - 1 - b)));
		for (int b = 0; b < w3; b++)
			cur[1 + w2 + b] = (unsigned char)(f3 >> (8 * (w3 - 1 - b)));
		unsigned char *r = rows + i * ((size_t)cols + 1);
		r[0] = 2; /* Up */
		for (int b = 0; b < cols; b++)
			r[1 + b] = (unsigned char)(cur[b] - prev[b]);
		memcpy(prev, cur, (size_t)cols);
	}
	bt_buf z = BT_BUF_INIT;
	z.max = (size_t)-1;
	if (rc == 0)
		rc = deflate_into(&z, rows, size * ((size_t)cols + 1),
				  Z_BEST_COMPRESSION);
	if (rc == 0 && (bt_buf_addf(out, "%zu 0 obj\n<</Type/XRef/Size %zu"
		"/W[1 %d %d]/Root %ld 0 R", p->n + 1, size, w2, w3, p->root) < 0 ||
	    (p->info > 0 && bt_buf_addf(out, "/Info %ld 0 R", p->info) < 0) ||
	    bt_buf_addf(out, "/ID[<%s><%s>]/Filter/FlateDecode/DecodeParms"
			"<</Columns %d/Predictor 12>>/Length %zu>>\nstream\n",
			hex, hex, cols, z.len) < 0 ||
	    bt_buf_add(out, z.data, z.len) < 0 ||
	    bt_buf_addf(out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n",
			xoff) < 0))
		rc = -1;
	bt_buf_release(&z);
	free(rows);
	free(prev);
	free(cur);
	return rc;
}

/* The object stream (object p->n: every object but the streams) into out,
 * and the /ID: a digest of the objects and of the streams' dictionaries
 * (with their lengths). */
static int write_objstm(pack *p, const bt_buf *dicts, size_t *off, char *id,
			bt_buf *out)
{
	bt_buf head = BT_BUF_INIT, body = BT_BUF_INIT, z = BT_BUF_INIT;
	head.max = body.max = z.max = (size_t)-1;
	size_t count = 0;
	int rc = obj_stream(p, &head, &body, &count);
	size_t first = head.len + 1;
	if (rc == 0)
		rc = bt_buf_add(&head, "\n", 1) < 0 ||
			bt_buf_add(&head, body.data, body.len) < 0 ? -1 : 0;
	gnutls_hash_hd_t hd;
	if (rc == 0 && gnutls_hash_init(&hd, GNUTLS_DIG_SHA256) == 0) {
		unsigned char dg[32];
		gnutls_hash(hd, dicts->data, dicts->len);
		gnutls_hash(hd, head.data, head.len);
		gnutls_hash_deinit(hd, dg);
		for (int i = 0; i < 16; i++)
			snprintf(id + 2 * i, 3, "%02x", dg[i]);
	} else {
		rc = -1;
	}
	if (rc == 0 && count) {
		rc = deflate_into(&z, head.data, head.len, Z_BEST_COMPRESSION);
		off[p->n] = out->len;
		if (rc == 0 && (bt_buf_addf(out, "%zu 0 obj\n<</Type/ObjStm/N %zu"
			"/First %zu/Filter/FlateDecode/Length %zu>>\nstream\n",
			p->n, count, first, z.len) < 0 ||
		    bt_buf_add(out, z.data, z.len) < 0 ||
		    bt_buf_add(out, "\nendstream\nendobj\n", 18) < 0))
			rc = -1;
	}
	bt_buf_release(&head);
	bt_buf_release(&body);
	bt_buf_release(&z);
	return rc;
}

/* The packed document into out (offsets of objects in off[]). */
static int write_all(pack *p, bt_buf *out, size_t *off, bt_buf *zs)
{
	char id[33];
	bt_buf dicts = BT_BUF_INIT;
	dicts.max = (size_t)-1;
	int rc = bt_buf_addf(out, "%%PDF-1.%d\n%%\xbf\xf7\xa2\xfe\n",
			     p->version > 5 ? p->version : 5) < 0 ? -1 : 0;
	/* the streams' dictionaries first: they mark the lengths gone */
	size_t *dend = calloc(p->n, sizeof *dend);
	if (!dend)
		rc = -1;
	for (size_t i = 1; i < p->n && rc == 0; i++)
		if (p->o[i].present && p->o[i].stream) {
			rc = squeeze(p, &p->o[i], zs);
			if (rc == 0)
				rc = stream_dict(p, &p->o[i], &dicts);
			dend[i] = dicts.len;
		}
	if (rc == 0)
		rc = write_objstm(p, &dicts, off, id, out);
	size_t d0 = 0;
	for (size_t i = 1; i < p->n && rc == 0; i++) {
		const obj *o = &p->o[i];
		if (!o->present || !o->stream)
			continue;
		off[i] = out->len;
		if (bt_buf_addf(out, "%zu 0 obj\n", i) < 0 ||
		    bt_buf_add(out, dicts.data + d0, dend[i] - d0) < 0 ||
		    bt_buf_add(out, "\nstream\n", 8) < 0 ||
		    (o->flate ? bt_buf_add(out, zs->data + o->zoff, o->zlen) :
		     bt_buf_add(out, p->in + o->data, o->dlen)) < 0 ||
		    bt_buf_add(out, "\nendstream\nendobj\n", 18) < 0)
			rc = -1;
		d0 = dend[i];
	}
	off[p->n + 1] = out->len;
	if (rc == 0)
		rc = xref_stream(p, off, p->n, id, out);
	free(dend);
	bt_buf_release(&dicts);
	return rc;
}

int pdf_pack(bt_buf *pdf, bt_err *e)
{
	pack p = { 0 };
	p.in = (const unsigned char *)pdf->data;
	p.len = pdf->len;
	if (!p.in || layout(&p) < 0) {
		free(p.o);
		free(p.t);
		return bt_fail(e, BT_EFAIL, "PDF: libharu's document not as "
			       "expected (objects, cross-reference table)");
	}
	bt_buf out;
	bt_buf_init(&out, pdf->max);
	size_t *off = calloc(p.n + 2, sizeof *off);
	bt_buf zs = BT_BUF_INIT;
	zs.max = (size_t)-1;
	int rc = off ? write_all(&p, &out, off, &zs) : -1;
	bt_buf_release(&zs);
	free(off);
	free(p.o);
	free(p.t);
	if (rc < 0) {
		bt_buf_release(&out);
		bt_buf_release(pdf);
		return bt_fail(e, BT_EFAIL, "PDF larger than %zu bytes, or out "
			       "of memory", pdf->max);
	}
	bt_buf_release(pdf);
	*pdf = out;
	return BT_OK;
}
