/*
** xbar.c - write crossbar decks (the naming scheme is in xbar.h).
** See LICENSE for copyright.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "card.h"
#include "xbar.h"

/* The prefix of every name (xbar.h): "" when none. */
static const char *pfx(const lim_xbar_spec *x) { return x->prefix ? x->prefix : ""; }

void lim_xbar_default(lim_xbar_spec *x)
{
	memset(x, 0, sizeof *x);
	x->rows = x->cols = 4;
	x->barrier = LIM_XBAR_BARRIER_GLOBAL;
	/* a gate of (100 nm)^2 at Cox = 1e-2 F/m^2 (3.5 nm of SiO2) */
	x->c_gate_f = 0.1e-15;
	/* on-chip wire, about 0.2 fF/um, over a 100 nm cell pitch */
	x->c_line_f = 0.02e-15;
	/* the output resistance of a minimum-size driver */
	x->r_barrier_ohm = 1e4;
	x->v_read = 0.1;
	x->v_barrier = 0;
	lim_phys_dev_default(&x->card);
	x->analysis = ".op";
}

int lim_xbar_pcols(const lim_xbar_spec *x) { return x->differential ? 2 * x->cols : x->cols; }

int lim_xbar_barrier_lines(const lim_xbar_spec *x)
{
	switch (x->barrier) {
	case LIM_XBAR_BARRIER_ROW: return x->rows;
	case LIM_XBAR_BARRIER_COL: return lim_xbar_pcols(x);
	default: return 1;
	}
}

int lim_xbar_check(const lim_xbar_spec *x, char *err, size_t n)
{
	char why[256];
	int i, cells = x->rows * lim_xbar_pcols(x);

	if (x->rows < 1 || x->rows > LIM_XBAR_MAX_SIDE || x->cols < 1 ||
	    lim_xbar_pcols(x) > LIM_XBAR_MAX_SIDE) {
		snprintf(err, n, "the array is %d x %d physical: expected 1 to %d on each side",
		         x->rows, lim_xbar_pcols(x), LIM_XBAR_MAX_SIDE);
		return -1;
	}
	if (!(x->r_wire_ohm >= 0) || !(x->r_source_ohm >= 0) || !(x->r_barrier_ohm >= 0) ||
	    !(x->c_gate_f >= 0) ||
	    !(x->c_line_f >= 0)) {
		snprintf(err, n, "wire and source resistance and the capacitances must be >= 0");
		return -1;
	}
	/* a prefix ending in a digit would run into the device's indices:
	** "1" and "" both name device (12, 3) a12_3 */
	if (strlen(pfx(x)) > LIM_XBAR_PREFIX_MAX ||
	    strspn(pfx(x), "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(pfx(x)) ||
	    (*pfx(x) && isdigit((unsigned char)pfx(x)[strlen(pfx(x)) - 1]))) {
		snprintf(err, n, "prefix '%s': expected at most %d lower-case letters, digits "
		         "and '_', not ending in a digit", pfx(x), LIM_XBAR_PREFIX_MAX);
		return -1;
	}
	if (lim_phys_dev_check(&x->card, why, sizeof why) != LIM_PHYS_OK) {
		snprintf(err, n, "card: %s", why);
		return -1;
	}
	for (i = 0; x->w0 && i < cells; i++)
		if (!(x->w0[i] >= 0 && x->w0[i] <= 1)) {
			snprintf(err, n, "initial state of device (%d, %d) is %g: expected 0..1",
			         i / lim_xbar_pcols(x), i % lim_xbar_pcols(x), x->w0[i]);
			return -1;
		}
	return 0;
}

void lim_xbar_row_node(const lim_xbar_spec *x, int i, int p, char *buf, size_t n)
{
	if (x->r_wire_ohm > 0)
		snprintf(buf, n, "%sr%d_%d", pfx(x), i, p);
	else
		snprintf(buf, n, "%sr%d", pfx(x), i);
}

void lim_xbar_col_node(const lim_xbar_spec *x, int p, int i, char *buf, size_t n)
{
	if (x->r_wire_ohm > 0)
		snprintf(buf, n, "%sc%d_%d", pfx(x), p, i);
	else
		snprintf(buf, n, "%sc%d", pfx(x), p);
}

/* A barrier line's own suffix: "" for the global line, else its index. */
static void line_id(const lim_xbar_spec *x, int k, char *buf, size_t n)
{
	if (lim_xbar_barrier_lines(x) == 1)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%d", k);
}

void lim_xbar_line_node(const lim_xbar_spec *x, int k, char *buf, size_t n)
{
	char id[16];

	line_id(x, k, id, sizeof id);
	snprintf(buf, n, "%sbl%s", pfx(x), id);
}

/* The barrier line of device (i, p). */
static void barrier_node(const lim_xbar_spec *x, int i, int p, char *buf, size_t n)
{
	switch (x->barrier) {
	case LIM_XBAR_BARRIER_ROW: lim_xbar_line_node(x, i, buf, n); break;
	case LIM_XBAR_BARRIER_COL: lim_xbar_line_node(x, p, buf, n); break;
	default: lim_xbar_line_node(x, 0, buf, n); break;
	}
}

int lim_xbar_nsources(const lim_xbar_spec *x)
{
	return x->rows + lim_xbar_pcols(x) + lim_xbar_barrier_lines(x);
}

void lim_xbar_source_at(const lim_xbar_spec *x, int k, lim_xbar_kind *kind, int *idx)
{
	if (k < x->rows) {
		*kind = LIM_XBAR_ROW;
		*idx = k;
	} else if (k < x->rows + lim_xbar_pcols(x)) {
		*kind = LIM_XBAR_SENSE;
		*idx = k - x->rows;
	} else {
		*kind = LIM_XBAR_BARRIER;
		*idx = k - x->rows - lim_xbar_pcols(x);
	}
}

void lim_xbar_source_name(const lim_xbar_spec *x, lim_xbar_kind kind, int idx, char *buf, size_t n)
{
	char id[16];

	if (kind == LIM_XBAR_BARRIER)
		line_id(x, idx, id, sizeof id);
	else
		snprintf(id, sizeof id, "%d", idx);
	snprintf(buf, n, "v%s%c%s", pfx(x), (char)kind, id);
}

void lim_xbar_branch_name(const lim_xbar_spec *x, lim_xbar_kind kind, int idx, char *buf, size_t n)
{
	char name[48];

	lim_xbar_source_name(x, kind, idx, name, sizeof name);
	snprintf(buf, n, "%s#branch", name);
}

/* A driver node behind a source resistance: d<i> (rows), db<k> (lines). */
static void driver_node(const lim_xbar_spec *x, lim_xbar_kind kind, int idx, char *buf, size_t n)
{
	char id[16];

	if (kind == LIM_XBAR_BARRIER)
		line_id(x, idx, id, sizeof id);
	else
		snprintf(id, sizeof id, "%d", idx);
	snprintf(buf, n, "%sd%s%s", pfx(x), kind == LIM_XBAR_BARRIER ? "b" : "", id);
}

void lim_xbar_source_node(const lim_xbar_spec *x, lim_xbar_kind kind, int idx, char *buf, size_t n)
{
	switch (kind) {
	case LIM_XBAR_ROW:
		if (x->r_source_ohm > 0)
			driver_node(x, kind, idx, buf, n);
		else
			lim_xbar_row_node(x, idx, 0, buf, n);
		break;
	case LIM_XBAR_SENSE:
		lim_xbar_col_node(x, idx, x->rows - 1, buf, n);
		break;
	default:
		if (x->r_barrier_ohm > 0)
			driver_node(x, kind, idx, buf, n);
		else
			lim_xbar_line_node(x, idx, buf, n);
		break;
	}
}

/* Reads "<digits>" at s into *idx: 0, or -1 when s is not all digits. */
static int read_index(const char *s, int *idx)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > 100000)
			return -1;
		v = 10 * v + (*s - '0');
	}
	*idx = (int)v;
	return 0;
}

/* name = "v" prefix kind index, any case; the global line has no index. */
static int parse_with(const char *prefix, const char *name, lim_xbar_kind *kind, int *idx)
{
	size_t lp = strlen(prefix);
	char k;

	if (tolower((unsigned char)name[0]) != 'v' || strncasecmp(name + 1, prefix, lp) != 0)
		return -1;
	name += 1 + lp;
	k = (char)tolower((unsigned char)name[0]);
	if (k != LIM_XBAR_ROW && k != LIM_XBAR_SENSE && k != LIM_XBAR_BARRIER)
		return -1;
	*kind = (lim_xbar_kind)k;
	if (k == LIM_XBAR_BARRIER && !name[1])
		return *idx = -1, 0;
	return read_index(name + 1, idx);
}

int lim_xbar_parse_source(const lim_xbar_spec *x, const char *name, lim_xbar_kind *kind, int *idx)
{
	int count;

	if (parse_with(pfx(x), name, kind, idx) != 0)
		return -1;
	count = *kind == LIM_XBAR_ROW ? x->rows : *kind == LIM_XBAR_SENSE ? lim_xbar_pcols(x) :
	        lim_xbar_barrier_lines(x);
	if (*kind == LIM_XBAR_BARRIER && *idx == -1)
		*idx = count == 1 ? 0 : -1;       /* "vb" is the global line only */
	else if (*kind == LIM_XBAR_BARRIER && count == 1)
		*idx = -1;                        /* the global line has no index */
	return *idx >= 0 && *idx < count ? 0 : -1;
}

int lim_xbar_parse_name(const char *name, lim_xbar_kind *kind, int *idx)
{
	return parse_with("", name, kind, idx);
}

void lim_xbar_probe_name(const lim_xbar_spec *x, int i, int p, const char *probe, char *buf,
                         size_t n)
{
	snprintf(buf, n, "@%c%s%d_%d[%s]", x->osdi ? 'n' : 'a', pfx(x), i, p, probe);
}

static const char *source_text(const lim_xbar_spec *x, char kind, int idx, double dflt,
                               char *buf, size_t n)
{
	const char *s = x->source ? x->source(x->source_ctx, kind, idx, buf, n) : NULL;

	if (s)
		return s;
	snprintf(buf, n, "dc %.15g", dflt);
	return buf;
}

/* A device's state is a count of carriers: w0 rounds to the nearest
** multiple of 1/n_c (level), and devices at the same level share a card. */
static long level_of(const lim_xbar_spec *x, double w0) { return lround(w0 * x->card.n_c); }

static double state_of(const lim_xbar_spec *x, long level)
{
	double w = level / x->card.n_c;

	return w > 1 ? 1 : w;
}

static void write_card(FILE *f, const lim_xbar_spec *x, long level)
{
	lim_phys_dev d = x->card;
	char name[LIM_XBAR_PREFIX_MAX + 32], card[LIM_CARD_MAX];

	/* devices at one level share the card, seed included: a device's
	** stream is keyed by its nodes (the OSDI device: its name) too, so
	** each still draws its own */
	d.w0 = level < 0 ? x->card.w0 : state_of(x, level);
	if (level < 0)
		snprintf(name, sizeof name, "%smw", pfx(x));
	else
		snprintf(name, sizeof name, "%smw%ld", pfx(x), level);
	lim_card_format(&d, name, card, sizeof card);
	fprintf(f, "%s\n", card);
}

/* A source, and its resistor where one sits between it and its line: rs<i>
** for a row, rb<k> for a barrier line. */
static void write_source(FILE *f, const lim_xbar_spec *x, lim_xbar_kind kind, int idx,
                         const char *line, double r_ohm, double dflt)
{
	char name[48], node[48], src[4096];

	lim_xbar_source_name(x, kind, idx, name, sizeof name);
	lim_xbar_source_node(x, kind, idx, node, sizeof node);
	fprintf(f, "%s %s 0 %s\n", name, node, source_text(x, (char)kind, idx, dflt, src,
	                                                   sizeof src));
	if (r_ohm > 0)
		fprintf(f, "r%s%c%s %s %s %.15g\n", pfx(x), kind == LIM_XBAR_ROW ? 's' : 'b',
		        name + 2 + strlen(pfx(x)), node, line, r_ohm);
}

static void write_rows(FILE *f, const lim_xbar_spec *x)
{
	int i, p, pc = lim_xbar_pcols(x);
	char a[32], b[32];

	fprintf(f, "* row drivers and row lines\n");
	for (i = 0; i < x->rows; i++) {
		lim_xbar_row_node(x, i, 0, a, sizeof a);
		write_source(f, x, LIM_XBAR_ROW, i, a, x->r_source_ohm, x->v_read);
		for (p = 1; x->r_wire_ohm > 0 && p < pc; p++) {
			lim_xbar_row_node(x, i, p - 1, a, sizeof a);
			lim_xbar_row_node(x, i, p, b, sizeof b);
			fprintf(f, "r%swr%d_%d %s %s %.15g\n", pfx(x), i, p, a, b, x->r_wire_ohm);
		}
	}
}

static void write_cols(FILE *f, const lim_xbar_spec *x)
{
	int i, p, pc = lim_xbar_pcols(x);
	char a[32], b[32];

	fprintf(f, "* column lines and sense sources (virtual ground)\n");
	for (p = 0; p < pc; p++) {
		for (i = 1; x->r_wire_ohm > 0 && i < x->rows; i++) {
			lim_xbar_col_node(x, p, i - 1, a, sizeof a);
			lim_xbar_col_node(x, p, i, b, sizeof b);
			fprintf(f, "r%swc%d_%d %s %s %.15g\n", pfx(x), p, i, a, b, x->r_wire_ohm);
		}
		write_source(f, x, LIM_XBAR_SENSE, p, NULL, 0, 0);
	}
}

static void write_barrier(FILE *f, const lim_xbar_spec *x)
{
	int k, lines = lim_xbar_barrier_lines(x);
	int cells = x->rows * lim_xbar_pcols(x) / lines;
	double c = cells * (x->c_gate_f + x->c_line_f);

	fprintf(f, "* barrier control lines: %d cells each, %.4g F per line\n", cells, c);
	for (k = 0; k < lines; k++) {
		char line[48], name[48];
		lim_xbar_line_node(x, k, line, sizeof line);
		write_source(f, x, LIM_XBAR_BARRIER, k, line, x->r_barrier_ohm, x->v_barrier);
		lim_xbar_source_name(x, LIM_XBAR_BARRIER, k, name, sizeof name);
		if (c > 0)       /* cb<k>: the source's name with c for v */
			fprintf(f, "c%s %s 0 %.15g\n", name + 1, line, c);
	}
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* One card per distinct level: ngspice finds a device's card by walking
** the list of cards, so a card per device makes a 256 x 256 parse take
** minutes instead of seconds. */
static int write_devices(FILE *f, const lim_xbar_spec *x)
{
	int i, p, pc = lim_xbar_pcols(x), cells = x->rows * pc;
	long *lv = malloc((size_t)cells * sizeof *lv), prev = -1;
	char r[32], c[32], b[32];

	if (!lv)
		return -1;
	for (i = 0; i < cells; i++)
		lv[i] = level_of(x, x->w0 ? x->w0[i] : x->card.w0);
	if (x->osdi) {
		/* instance parameters: one card, each state on its own line */
		fprintf(f, "* devices (OSDI); w0 = L/n_c on each instance, card mw\n");
		for (i = 0; i < x->rows; i++)
			for (p = 0; p < pc; p++) {
				lim_xbar_row_node(x, i, p, r, sizeof r);
				lim_xbar_col_node(x, p, i, c, sizeof c);
				barrier_node(x, i, p, b, sizeof b);
				fprintf(f, "n%s%d_%d %s %s %s 0 %smw w0=%.17g\n", pfx(x), i, p, r, c, b,
				        pfx(x), state_of(x, lv[i * pc + p]));
			}
		write_card(f, x, -1);
		free(lv);
		return 0;
	}
	fprintf(f, "* devices; card mw<L> holds the state w0 = L/n_c\n");
	for (i = 0; i < x->rows; i++)
		for (p = 0; p < pc; p++) {
			lim_xbar_row_node(x, i, p, r, sizeof r);
			lim_xbar_col_node(x, p, i, c, sizeof c);
			barrier_node(x, i, p, b, sizeof b);
			fprintf(f, "a%s%d_%d %%gd(%s %s) %%vd(%s 0) %smw%ld\n", pfx(x), i, p, r, c,
			        b, pfx(x), lv[i * pc + p]);
		}
	qsort(lv, (size_t)cells, sizeof *lv, cmp_long);
	for (i = 0; i < cells; i++)
		if (lv[i] != prev)
			write_card(f, x, prev = lv[i]);
	free(lv);
	return 0;
}

/* What the drivers need: every source's current and the node it drives
** (and a barrier line's own node behind its driver's resistor). */
static void write_saves(FILE *f, const lim_xbar_spec *x)
{
	int i, p, k, pc = lim_xbar_pcols(x);
	char a[48], b[48];

	if (x->save_none)
		fprintf(f, ".save none\n");
	for (k = 0; k < lim_xbar_nsources(x); k++) {
		lim_xbar_kind kind;
		int idx;
		lim_xbar_source_at(x, k, &kind, &idx);
		lim_xbar_branch_name(x, kind, idx, a, sizeof a);
		if (kind == LIM_XBAR_BARRIER)   /* the line, and the driver node behind rb */
			lim_xbar_line_node(x, idx, b, sizeof b);
		else
			lim_xbar_source_node(x, kind, idx, b, sizeof b);
		fprintf(f, ".save %s v(%s)", a, b);
		if (kind == LIM_XBAR_BARRIER && x->r_barrier_ohm > 0) {
			lim_xbar_source_node(x, kind, idx, b, sizeof b);
			fprintf(f, " v(%s)", b);
		}
		fputc('\n', f);
	}
	for (i = 0; x->save_nodes && i < x->rows; i++)
		for (p = 0; p < pc; p++) {
			lim_xbar_row_node(x, i, p, a, sizeof a);
			lim_xbar_col_node(x, p, i, b, sizeof b);
			fprintf(f, ".save v(%s) v(%s)\n", a, b);
		}
	for (i = 0; x->save_probes && i < x->rows; i++)
		for (p = 0; p < pc; p++) {
			static const char *const probes[] = {"w", "e_trans", "e_joule"};
			fprintf(f, ".save");
			for (k = 0; k < 3; k++) {
				lim_xbar_probe_name(x, i, p, probes[k], a, sizeof a);
				fprintf(f, " %s", a);
			}
			fputc('\n', f);
		}
}

static void write_control(FILE *f, const lim_xbar_spec *x)
{
	int p, pc = lim_xbar_pcols(x);
	char a[48];

	if (x->osdi)   /* one thread: ngspice 46 runs OSDI loads as OpenMP tasks */
		fprintf(f, ".control\npre_osdi %s\nset num_threads=1\nrun\n", x->cm_path);
	else
		fprintf(f, ".control\npre_codemodel %s\nrun\n", x->cm_path);
	fprintf(f, "echo \"column currents [A], positive into the sense source\"\n");
	for (p = 0; p < pc; p++) {
		lim_xbar_branch_name(x, LIM_XBAR_SENSE, p, a, sizeof a);
		fprintf(f, "print %s\n", a);
	}
	fprintf(f, "quit 0\n.endc\n");
}

/* One array's part of a deck: its title comment, lines, devices, saves. */
static int write_array(FILE *f, const lim_xbar_spec *x)
{
	fprintf(f, "* limspice crossbar%s%s: %d x %d weights%s, %d x %d devices\n",
	        *pfx(x) ? " " : "", pfx(x), x->rows, x->cols,
	        x->differential ? " as differential pairs" : "", x->rows, lim_xbar_pcols(x));
	fprintf(f, "* wire %.6g ohm per segment, driver %.6g ohm, barrier lines %s; "
	        "names: README.md (Crossbar netlists)\n", x->r_wire_ohm, x->r_source_ohm,
	        x->barrier == LIM_XBAR_BARRIER_ROW ? "per row" :
	        x->barrier == LIM_XBAR_BARRIER_COL ? "per column" : "global");
	write_rows(f, x);
	write_cols(f, x);
	write_barrier(f, x);
	if (write_devices(f, x) != 0)
		return -1;
	write_saves(f, x);
	return 0;
}

int lim_xbar_write(FILE *f, const lim_xbar_spec *x)
{
	return lim_xbar_write_deck(f, x, 1);
}

int lim_xbar_write_deck(FILE *f, const lim_xbar_spec *x, int n)
{
	int k;

	for (k = 0; k < n; k++) {
		lim_xbar_spec a = x[k];
		/* ".save none" once, before every .save of the deck */
		a.save_none = k == 0 && x[0].save_none;
		if (write_array(f, &a) != 0)
			return -1;
	}
	fprintf(f, "%s\n", x->analysis ? x->analysis : ".op");
	if (x->cm_path)
		write_control(f, x);
	fprintf(f, ".end\n");
	return ferror(f) ? -1 : 0;
}

int lim_xbar_read_states(lim_session *s, const lim_xbar_spec *x, double *w, char *err, size_t n)
{
	int pcols = lim_xbar_pcols(x), c;
	char name[LIM_XBAR_PREFIX_MAX + 48];

	for (c = 0; c < x->rows * pcols; c++) {
		lim_xbar_probe_name(x, c / pcols, c % pcols, "w", name, sizeof name);
		if (lim_sess_last(s, name, &w[c]) != 0) {
			snprintf(err, n, "no vector %s: the deck must save the probes", name);
			return -1;
		}
	}
	return 0;
}
