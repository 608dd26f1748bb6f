/* scan.c - a returned form's marks in an image: its QR code (libzbar), its
 * registration marks, its tick boxes (scan.h). */
#include "pdf/scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#define DARK 128          /* a pixel darker than this is ink */
#define WINDOW 0.15       /* the corner searched for a mark: share of a side */
#define MARKED 0.10       /* a box with this share of ink inside is ticked */
#define CLEAN 0.04        /* ... and one with less (over the noise) is empty */
#define NOISE 0.02        /* the most ink an empty box is taken to show */
#define RING_ANGLES 48    /* directions looked along around a box */
#define CIRCLED 0.8       /* a box with ink around it in this share of them */

static int dark(const scan_image *im, long x, long y)
{
	return x >= 0 && y >= 0 && x < im->w && y < im->h &&
		im->px[(size_t)y * (size_t)im->w + (size_t)x] < DARK;
}

/* A copy of im in black and white with its speckle gone: each pixel the
 * majority of its 3x3 neighbourhood. NULL px when out of memory. */
static scan_image despeckled(const scan_image *im)
{
	scan_image o = { im->w, im->h, malloc((size_t)im->w * (size_t)im->h),
			 im->xres, im->yres };
	for (long y = 0; o.px && y < im->h; y++)
		for (long x = 0; x < im->w; x++) {
			int n = 0;
			for (long dy = -1; dy <= 1; dy++)
				for (long dx = -1; dx <= 1; dx++)
					n += dark(im, x + dx, y + dy);
			o.px[y * im->w + x] = n >= 5 ? 0 : 255;
		}
	return o;
}

/* How many times taller than wide a pixel of im is on the page (xres over
 * yres: 204 / 98 on a fax), 1 when its resolution is not known. */
static double aspect(const scan_image *im)
{
	return im->xres > 0 && im->yres > 0 ? im->xres / im->yres : 1;
}

/* The clockwise turn of a QR code on the page (in points) from its corners
 * in im's pixels (zbar gives them in the code's own order: top-left,
 * bottom-left, bottom-right, top-right). */
static double qr_turn(const scan_image *im, const zbar_symbol_t *s)
{
	if (zbar_symbol_get_loc_size(s) < 4)
		return 0;
	double dx = 0, dy = 0;
	for (int k = 0; k < 2; k++) { /* its top and bottom edges */
		unsigned a = k ? 1 : 0, b = k ? 2 : 3;
		dx += zbar_symbol_get_loc_x(s, b) - zbar_symbol_get_loc_x(s, a);
		dy += zbar_symbol_get_loc_y(s, b) - zbar_symbol_get_loc_y(s, a);
	}
	return atan2(dy * aspect(im), dx) * 180 / M_PI;
}

static int qr_once(const scan_image *im, bt_buf *text, double *turn)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *z = zbar_image_create();
	int found = 0;
	if (!sc || !z)
		found = -1;
	if (found == 0) {
		zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
		zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
		zbar_image_set_format(z, zbar_fourcc('Y', '8', '0', '0'));
		zbar_image_set_size(z, (unsigned)im->w, (unsigned)im->h);
		zbar_image_set_data(z, im->px, (unsigned long)im->w *
				    (unsigned long)im->h, NULL);
		if (zbar_scan_image(sc, z) > 0) {
			const zbar_symbol_t *s = zbar_image_first_symbol(z);
			for (; s && !found; s = zbar_symbol_next(s))
				if (zbar_symbol_get_type(s) == ZBAR_QRCODE) {
					bt_buf_reset(text);
					*turn = qr_turn(im, s);
					found = bt_buf_adds(text,
						zbar_symbol_get_data(s)) < 0 ? -1 : 1;
				}
		}
	}
	if (z)
		zbar_image_destroy(z);
	if (sc)
		zbar_image_scanner_destroy(sc);
	return found;
}


int scan_qr(const scan_image *im, bt_buf *text, double *turn)
{
	*turn = 0;
	int found = qr_once(im, text, turn);
	if (found == 0) { /* a fax's speckle can hide it */
		scan_image d = despeckled(im);
		found = d.px ? qr_once(&d, text, turn) : -1;
		free(d.px);
	}
	return found;
}

int scan_qr_page(char *text)
{
	char *p = strrchr(text, ':');
	if (!p || p[1] != 'p' || !p[2] || strspn(p + 2, "0123456789") !=
	    strlen(p + 2) || strlen(p + 2) > 4 || p[2] == '0')
		return 0;
	int n = atoi(p + 2);
	*p = 0;
	return n;
}

/* im turned by a quarter turns clockwise (1, 2 or 3), exactly. */
static int quarter(scan_image *im, int q)
{
	long w = im->w, h = im->h, ow = q == 2 ? w : h, oh = q == 2 ? h : w;
	unsigned char *o = malloc((size_t)(w * h));
	if (!o)
		return -1;
	for (long y = 0; y < h; y++)
		for (long x = 0; x < w; x++) {
			long nx = q == 1 ? h - 1 - y : q == 2 ? w - 1 - x : y;
			long ny = q == 1 ? x : q == 2 ? h - 1 - y : w - 1 - x;
			o[ny * ow + nx] = im->px[y * w + x];
		}
	free(im->px);
	im->px = o;
	im->w = (int)ow;
	im->h = (int)oh;
	if (q != 2) { /* across is down now */
		double r = im->xres;
		im->xres = im->yres;
		im->yres = r;
	}
	return 0;
}

/* im turned by deg degrees clockwise about its centre on the page (in
 * points: a row of a fax is turned as far as a column), bilinear, white
 * outside. */
static int skew(scan_image *im, double deg)
{
	long w = im->w, h = im->h;
	unsigned char *o = malloc((size_t)(w * h));
	if (!o)
		return -1;
	double t = -deg * M_PI / 180, c = cos(t), s = sin(t), ar = aspect(im);
	double cx = (double)(w - 1) / 2, cy = (double)(h - 1) / 2;
	for (long y = 0; y < h; y++)
		for (long x = 0; x < w; x++) { /* where (x, y) comes from */
			double dx = (double)x - cx, dy = ((double)y - cy) * ar;
			double u = c * dx - s * dy + cx;
			double v = (s * dx + c * dy) / ar + cy;
			long x0 = (long)floor(u), y0 = (long)floor(v);
			double fx = u - (double)x0, fy = v - (double)y0, p[4];
			for (int k = 0; k < 4; k++) {
				long px = x0 + (k & 1), py = y0 + (k >> 1);
				p[k] = px < 0 || py < 0 || px >= w || py >= h ? 255 :
					im->px[py * w + px];
			}
			o[y * w + x] = (unsigned char)lround(
				(p[0] * (1 - fx) + p[1] * fx) * (1 - fy) +
				(p[2] * (1 - fx) + p[3] * fx) * fy);
		}
	free(im->px);
	im->px = o;
	return 0;
}

int scan_upright(scan_image *im, double turn)
{
	int q = (int)lround(turn / 90); /* -2 .. 2 */
	double rest = turn - 90.0 * q;
	q = (q % 4 + 4) % 4; /* the quarter turns back: clockwise */
	if (q && quarter(im, 4 - q) < 0)
		return -1;
	return fabs(rest) < SCAN_SKEW_KEPT ? 0 : skew(im, -rest);
}

/* A filled square of about sw x sh pixels in the window x0..x1, y0..y1
 * nearest its corner (cx, cy): its centre into *mx, *my; 1 when found. */
static int find_mark(const scan_image *im, long x0, long y0, long x1,
		     long y1, double sw, double sh, double cx, double cy,
		     double *mx, double *my)
{
	long ww = x1 - x0, wh = y1 - y0;
	unsigned char *seen = calloc((size_t)(ww * wh), 1);
	long *stack = malloc((size_t)(ww * wh) * sizeof *stack);
	double best = -1;
	for (long s = 0; seen && stack && s < ww * wh; s++) {
		if (seen[s] || !dark(im, x0 + s % ww, y0 + s / ww))
			continue;
		long n = 0, top = 0, bx0 = ww, by0 = wh, bx1 = -1, by1 = -1;
		double sx = 0, sy = 0;
		stack[top++] = s;
		seen[s] = 1;
		while (top) {
			long p = stack[--top], px = p % ww, py = p / ww;
			n++, sx += (double)px, sy += (double)py;
			bx0 = px < bx0 ? px : bx0, bx1 = px > bx1 ? px : bx1;
			by0 = py < by0 ? py : by0, by1 = py > by1 ? py : by1;
			static const int d[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };
			for (int k = 0; k < 4; k++) {
				long qx = px + d[k][0], qy = py + d[k][1];
				if (qx < 0 || qy < 0 || qx >= ww || qy >= wh)
					continue;
				long q = qy * ww + qx;
				if (!seen[q] && dark(im, x0 + qx, y0 + qy)) {
					seen[q] = 1;
					stack[top++] = q;
				}
			}
		}
		double bw = (double)(bx1 - bx0 + 1), bh = (double)(by1 - by0 + 1);
		if (bw < 0.6 * sw || bw > 1.6 * sw + 2 || bh < 0.6 * sh ||
		    bh > 1.6 * sh + 2 || (double)n < 0.7 * bw * bh)
			continue;
		double ux = x0 + sx / (double)n, uy = y0 + sy / (double)n;
		double dist = hypot(ux - cx, uy - cy);
		if (best < 0 || dist < best) {
			best = dist;
			*mx = ux;
			*my = uy;
		}
	}
	free(seen);
	free(stack);
	return best >= 0;
}

/* Solves the affine map through three pairs (u, v) -> (x, y). */
static int affine(const double u[3], const double v[3], const double x[3],
		  const double y[3], scan_place *o)
{
	double det = u[0] * (v[1] - v[2]) - v[0] * (u[1] - u[2]) +
		(u[1] * v[2] - u[2] * v[1]);
	if (fabs(det) < 1e-9)
		return 0;
	const double *t[2] = { x, y };
	double r[2][3];
	for (int k = 0; k < 2; k++) {
		const double *z = t[k];
		r[k][0] = (z[0] * (v[1] - v[2]) - v[0] * (z[1] - z[2]) +
			   (z[1] * v[2] - z[2] * v[1])) / det;
		r[k][1] = (u[0] * (z[1] - z[2]) - z[0] * (u[1] - u[2]) +
			   (u[1] * z[2] - u[2] * z[1])) / det;
		r[k][2] = (u[0] * (v[1] * z[2] - v[2] * z[1]) -
			   v[0] * (u[1] * z[2] - u[2] * z[1]) +
			   z[0] * (u[1] * v[2] - u[2] * v[1])) / det;
	}
	o->a = r[0][0], o->b = r[0][1], o->tx = r[0][2];
	o->c = r[1][0], o->d = r[1][1], o->ty = r[1][2];
	return o->a > 0 && o->d > 0;
}

int scan_locate(const scan_image *im, float w, float h, scan_place *out)
{
	double k = ANNEX2_REG_INSET + ANNEX2_REG_SIDE / 2.0;
	double pu[4] = { k, w - k, k, w - k }, pv[4] = { k, k, h - k, h - k };
	double sx = im->w / (double)w, sy = im->h / (double)h;
	long ww = (long)(im->w * WINDOW), wh = (long)(im->h * WINDOW);
	double u[3], v[3], x[3], y[3];
	int n = 0;
	for (int c = 0; c < 4 && n < 3; c++) {
		long x0 = c & 1 ? im->w - ww : 0, y0 = c & 2 ? im->h - wh : 0;
		double mx = 0, my = 0;
		if (!find_mark(im, x0, y0, x0 + ww, y0 + wh,
			       ANNEX2_REG_SIDE * sx, ANNEX2_REG_SIDE * sy,
			       c & 1 ? im->w : 0, c & 2 ? im->h : 0, &mx, &my))
			continue;
		u[n] = pu[c], v[n] = pv[c], x[n] = mx, y[n] = my;
		n++;
	}
	return n == 3 && affine(u, v, x, y, out);
}

static void to_px(const scan_place *p, double u, double v, long *x, long *y)
{
	*x = lround(p->a * u + p->b * v + p->tx);
	*y = lround(p->c * u + p->d * v + p->ty);
}

/* Ink within r pixels of the page's point (u, v). */
static int ink_near(const scan_image *im, const scan_place *p, double u,
		    double v, long r)
{
	long x, y;
	to_px(p, u, v, &x, &y);
	for (long dy = -r; dy <= r; dy++)
		for (long dx = -r; dx <= r; dx++)
			if (dark(im, x + dx, y + dy))
				return 1;
	return 0;
}

static int is_circle(const annex2_box *b)
{
	return b->choice != BT_NOT_AUTHORIZE;
}

double scan_fit(const scan_image *im, const scan_place *pl,
		const annex2_layout *lay, int page)
{
	long r = lround(0.8 * sqrt(fabs(pl->a * pl->d)));
	long hit = 0, all = 0;
	r = r < 1 ? 1 : r;
	for (size_t i = 0; i < lay->n; i++) {
		const annex2_box *b = &lay->v[i];
		if (b->page != page)
			continue;
		double s = b->side, cx = b->x + s / 2, cy = b->y + s / 2;
		for (int k = 0; k < 48; k++) {
			double u, v, t = (double)k / 48;
			if (is_circle(b)) {
				u = cx + (s / 2 - 0.3) * cos(2 * M_PI * t);
				v = cy + (s / 2 - 0.3) * sin(2 * M_PI * t);
			} else {
				int side = k / 12;
				double f = (double)(k % 12) / 12;
				u = side == 0 ? b->x + f * s : side == 1 ? b->x + s :
					side == 2 ? b->x + s - f * s : b->x;
				v = side == 0 ? b->y : side == 1 ? b->y + f * s :
					side == 2 ? b->y + s : b->y + s - f * s;
			}
			hit += ink_near(im, pl, u, v, r);
			all++;
		}
	}
	return all ? (double)hit / (double)all : 0;
}

double scan_box_ink(const scan_image *im, const scan_place *pl,
		    const annex2_box *b)
{
	double in = 3.0, s = b->side, cx = b->x + s / 2, cy = b->y + s / 2;
	long hit = 0, all = 0;
	for (double v = b->y + in; v <= b->y + s - in; v += 0.5)
		for (double u = b->x + in; u <= b->x + s - in; u += 0.5) {
			if (is_circle(b) && hypot(u - cx, v - cy) > s / 2 - in)
				continue;
			long x, y;
			to_px(pl, u, v, &x, &y);
			hit += dark(im, x, y);
			all++;
		}
	return all ? (double)hit / (double)all : 0;
}

double scan_box_ring(const scan_image *im, const scan_place *pl,
		     const annex2_box *b)
{
	double s = b->side, cx = b->x + s / 2, cy = b->y + s / 2;
	int hit = 0;
	for (int k = 0; k < RING_ANGLES; k++) {
		double t = 2 * M_PI * k / RING_ANGLES;
		int found = 0;
		for (double r = s / 2 + 2; r <= s / 2 + 6 && !found; r += 0.5) {
			long x, y;
			to_px(pl, cx + r * cos(t), cy + r * sin(t), &x, &y);
			found = dark(im, x, y);
		}
		hit += found;
	}
	return (double)hit / RING_ANGLES;
}

/* A box circled (ring[i] >= CIRCLED): its choice when it is the only one
 * and no other box is clearly ticked (a circle's line crosses into its
 * neighbours' insides a little), else uncertain. */
static bt_choice circled(const double *ink, const double *ring,
			 const bt_choice *choices, size_t n,
			 double *confidence, const char **why)
{
	size_t k = n, count = 0;
	for (size_t i = 0; i < n; i++)
		if (ring[i] >= CIRCLED)
			k = i, count++;
	for (size_t i = 0; count == 1 && i < n; i++)
		if (i != k && ink[i] >= 0.5)
			count = 2;
	if (count != 1) {
		*why = "several boxes circled or ticked";
		return BT_CHOICE_NONE;
	}
	*confidence = ring[k];
	*why = NULL;
	return choices[k];
}

bt_choice scan_decide(const double *ink, const double *ring,
		      const bt_choice *choices, size_t n, double *confidence,
		      const char **why)
{
	*confidence = 0;
	for (size_t i = 0; i < n; i++)
		if (ring[i] >= CIRCLED)
			return circled(ink, ring, choices, n, confidence, why);
	size_t top = 0;
	double second = 0;
	for (size_t i = 1; i < n; i++)
		if (ink[i] > ink[top])
			top = i;
	for (size_t i = 0; i < n; i++)
		if (i != top && ink[i] > second)
			second = ink[i];
	if (n == 0 || ink[top] < MARKED) {
		*why = "no box ticked";
		return BT_CHOICE_NONE;
	}
	if (second >= MARKED) {
		*why = "several boxes ticked";
		return BT_CHOICE_NONE;
	}
	/* the noise floor: the cleanest box's ink (a fax's speckle and a box's
	 * edge seen through a slight skew reach every box alike), counted up to
	 * NOISE at most, so that two boxes with faint marks stay uncertain */
	double floor = 1;
	for (size_t i = 0; i < n; i++)
		if (i != top && ink[i] < floor)
			floor = ink[i];
	if (n < 3 || floor > NOISE)
		floor = n < 3 ? 0 : NOISE;
	if (second > CLEAN + floor) {
		*why = "another box has marks";
		return BT_CHOICE_NONE;
	}
	double c = (ink[top] - second) / 0.25;
	*confidence = c > 1 ? 1 : c;
	*why = NULL;
	return choices[top];
}
