/*
** xbar.c - write crossbar decks (the naming scheme is in xbar.h).
** See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xbar.h"

void xbar_default(xbar_spec *x)
{
	memset(x, 0, sizeof *x);
	x->rows = x->cols = 4;
	x->barrier = XBAR_BARRIER_GLOBAL;
	/* a gate of (100 nm)^2 at Cox = 1e-2 F/m^2 (3.5 nm of SiO2) */
	x->c_gate_f = 0.1e-15;
	/* on-chip wire, about 0.2 fF/um, over a 100 nm cell pitch */
	x->c_line_f = 0.02e-15;
	/* the output resistance of a minimum-size driver */
	x->r_barrier_ohm = 1e4;
	x->v_read = 0.1;
	x->v_barrier = 0;
	phys_dev_default(&x->card);
	x->analysis = ".op";
}

int xbar_pcols(const xbar_spec *x) { return x->differential ? 2 * x->cols : x->cols; }

int xbar_barrier_lines(const xbar_spec *x)
{
	switch (x->barrier) {
	case XBAR_BARRIER_ROW: return x->rows;
	case XBAR_BARRIER_COL: return xbar_pcols(x);
	default: return 1;
	}
}

int xbar_check(const xbar_spec *x, char *err, size_t n)
{
	char why[256];
	int i, cells = x->rows * xbar_pcols(x);

	if (x->rows < 1 || x->rows > XBAR_MAX_SIDE || x->cols < 1 ||
	    xbar_pcols(x) > XBAR_MAX_SIDE) {
		snprintf(err, n, "the array is %d x %d physical: expected 1 to %d on each side",
		         x->rows, xbar_pcols(x), XBAR_MAX_SIDE);
		return -1;
	}
	if (!(x->r_wire_ohm >= 0) || !(x->r_source_ohm >= 0) || !(x->r_barrier_ohm >= 0) ||
	    !(x->c_gate_f >= 0) ||
	    !(x->c_line_f >= 0)) {
		snprintf(err, n, "wire and source resistance and the capacitances must be >= 0");
		return -1;
	}
	if (phys_dev_check(&x->card, why, sizeof why) != PHYS_OK) {
		snprintf(err, n, "card: %s", why);
		return -1;
	}
	for (i = 0; x->w0 && i < cells; i++)
		if (!(x->w0[i] >= 0 && x->w0[i] <= 1)) {
			snprintf(err, n, "initial state of device (%d, %d) is %g: expected 0..1",
			         i / xbar_pcols(x), i % xbar_pcols(x), x->w0[i]);
			return -1;
		}
	return 0;
}

void xbar_row_node(const xbar_spec *x, int i, int p, char *buf, size_t n)
{
	if (x->r_wire_ohm > 0)
		snprintf(buf, n, "r%d_%d", i, p);
	else
		snprintf(buf, n, "r%d", i);
}

void xbar_col_node(const xbar_spec *x, int p, int i, char *buf, size_t n)
{
	if (x->r_wire_ohm > 0)
		snprintf(buf, n, "c%d_%d", p, i);
	else
		snprintf(buf, n, "c%d", p);
}

/* The barrier line of device (i, p), as a node name suffix. */
static void barrier_node(const xbar_spec *x, int i, int p, char *buf, size_t n)
{
	switch (x->barrier) {
	case XBAR_BARRIER_ROW: snprintf(buf, n, "bl%d", i); break;
	case XBAR_BARRIER_COL: snprintf(buf, n, "bl%d", p); break;
	default: snprintf(buf, n, "bl"); break;
	}
}

static const char *source_text(const xbar_spec *x, char kind, int idx, double dflt,
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
static long level_of(const xbar_spec *x, double w0) { return lround(w0 * x->card.n_c); }

static double state_of(const xbar_spec *x, long level)
{
	double w = level / x->card.n_c;

	return w > 1 ? 1 : w;
}

static void write_card(FILE *f, const xbar_spec *x, long level)
{
	const phys_dev *d = &x->card;

	/* devices at one level share the card, seed included: a device's
	** stream is keyed by its nodes too, so each still draws its own */
	fprintf(f, ".model mw%ld lim_synapse(r_max=%.15g e_b0=%.15g kappa=%.15g "
	        "e_min=%.15g z=%.15g lambda=%.15g n_c=%.15g g_min=%.15g g_max=%.15g "
	        "w0=%.15g dtemp=%.15g noise=%.15g seed=%.15g sigma_e_b0=%.15g "
	        "sigma_kappa=%.15g sigma_g_min=%.15g sigma_g_max=%.15g sigma_r_max=%.15g)\n",
	        level, d->r_max, d->e_b0, d->kappa, d->e_min, d->z, d->lambda, d->n_c, d->g_min,
	        d->g_max, state_of(x, level), d->dtemp, d->noise, d->seed, d->sigma_e_b0,
	        d->sigma_kappa, d->sigma_g_min, d->sigma_g_max, d->sigma_r_max);
}

static void write_rows(FILE *f, const xbar_spec *x)
{
	int i, p, pc = xbar_pcols(x);
	char a[32], b[32], src[4096];

	fprintf(f, "* row drivers and row lines\n");
	for (i = 0; i < x->rows; i++) {
		xbar_row_node(x, i, 0, a, sizeof a);
		if (x->r_source_ohm > 0) {
			fprintf(f, "vr%d d%d 0 %s\n", i, i, source_text(x, 'r', i, x->v_read, src, sizeof src));
			fprintf(f, "rs%d d%d %s %.15g\n", i, i, a, x->r_source_ohm);
		} else {
			fprintf(f, "vr%d %s 0 %s\n", i, a, source_text(x, 'r', i, x->v_read, src, sizeof src));
		}
		for (p = 1; x->r_wire_ohm > 0 && p < pc; p++) {
			xbar_row_node(x, i, p - 1, a, sizeof a);
			xbar_row_node(x, i, p, b, sizeof b);
			fprintf(f, "rwr%d_%d %s %s %.15g\n", i, p, a, b, x->r_wire_ohm);
		}
	}
}

static void write_cols(FILE *f, const xbar_spec *x)
{
	int i, p, pc = xbar_pcols(x);
	char a[32], b[32], src[4096];

	fprintf(f, "* column lines and sense sources (virtual ground)\n");
	for (p = 0; p < pc; p++) {
		for (i = 1; x->r_wire_ohm > 0 && i < x->rows; i++) {
			xbar_col_node(x, p, i - 1, a, sizeof a);
			xbar_col_node(x, p, i, b, sizeof b);
			fprintf(f, "rwc%d_%d %s %s %.15g\n", p, i, a, b, x->r_wire_ohm);
		}
		xbar_col_node(x, p, x->rows - 1, a, sizeof a);
		fprintf(f, "vs%d %s 0 %s\n", p, a, source_text(x, 's', p, 0, src, sizeof src));
	}
}

static void write_barrier(FILE *f, const xbar_spec *x)
{
	int k, lines = xbar_barrier_lines(x);
	int cells = x->rows * xbar_pcols(x) / lines;
	double c = cells * (x->c_gate_f + x->c_line_f);
	char src[4096];

	fprintf(f, "* barrier control lines: %d cells each, %.4g F per line\n", cells, c);
	for (k = 0; k < lines; k++) {
		char node[16];
		if (lines == 1)
			snprintf(node, sizeof node, "bl");
		else
			snprintf(node, sizeof node, "bl%d", k);
		if (x->r_barrier_ohm > 0) {
			fprintf(f, "vb%s db%s 0 %s\n", node + 2, node + 2,
			        source_text(x, 'b', k, x->v_barrier, src, sizeof src));
			fprintf(f, "rb%s db%s %s %.15g\n", node + 2, node + 2, node, x->r_barrier_ohm);
		} else {
			fprintf(f, "vb%s %s 0 %s\n", node + 2, node,
			        source_text(x, 'b', k, x->v_barrier, src, sizeof src));
		}
		if (c > 0)
			fprintf(f, "cb%s %s 0 %.15g\n", node + 2, node, c);
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
static int write_devices(FILE *f, const xbar_spec *x)
{
	int i, p, pc = xbar_pcols(x), cells = x->rows * pc;
	long *lv = malloc((size_t)cells * sizeof *lv), prev = -1;
	char r[32], c[32], b[32];

	if (!lv)
		return -1;
	for (i = 0; i < cells; i++)
		lv[i] = level_of(x, x->w0 ? x->w0[i] : x->card.w0);
	fprintf(f, "* devices; card mw<L> holds the state w0 = L/n_c\n");
	for (i = 0; i < x->rows; i++)
		for (p = 0; p < pc; p++) {
			xbar_row_node(x, i, p, r, sizeof r);
			xbar_col_node(x, p, i, c, sizeof c);
			barrier_node(x, i, p, b, sizeof b);
			fprintf(f, "a%d_%d %%gd(%s %s) %%vd(%s 0) mw%ld\n", i, p, r, c, b,
			        lv[i * pc + p]);
		}
	qsort(lv, (size_t)cells, sizeof *lv, cmp_long);
	for (i = 0; i < cells; i++)
		if (lv[i] != prev)
			write_card(f, x, prev = lv[i]);
	free(lv);
	return 0;
}

/* What the drivers need: every source's current and the node it drives. */
static void write_saves(FILE *f, const xbar_spec *x)
{
	int i, p, k, pc = xbar_pcols(x), lines = xbar_barrier_lines(x);
	char a[32];

	for (i = 0; i < x->rows; i++) {
		if (x->r_source_ohm > 0)
			snprintf(a, sizeof a, "d%d", i);
		else
			xbar_row_node(x, i, 0, a, sizeof a);
		fprintf(f, ".save vr%d#branch v(%s)\n", i, a);
	}
	for (p = 0; p < pc; p++) {
		xbar_col_node(x, p, x->rows - 1, a, sizeof a);
		fprintf(f, ".save vs%d#branch v(%s)\n", p, a);
	}
	for (k = 0; k < lines; k++) {
		char id[16] = "";
		if (lines > 1)
			snprintf(id, sizeof id, "%d", k);
		fprintf(f, ".save vb%s#branch v(bl%s)", id, id);
		if (x->r_barrier_ohm > 0)
			fprintf(f, " v(db%s)", id);
		fputc('\n', f);
	}
	for (i = 0; x->save_nodes && i < x->rows; i++)
		for (p = 0; p < pc; p++) {
			char b[32];
			xbar_row_node(x, i, p, a, sizeof a);
			xbar_col_node(x, p, i, b, sizeof b);
			fprintf(f, ".save v(%s) v(%s)\n", a, b);
		}
	for (i = 0; x->save_probes && i < x->rows; i++)
		for (p = 0; p < pc; p++)
			fprintf(f, ".save @a%d_%d[w] @a%d_%d[e_trans] @a%d_%d[e_joule]\n", i, p, i,
			        p, i, p);
}

static void write_control(FILE *f, const xbar_spec *x)
{
	int p, pc = xbar_pcols(x);

	fprintf(f, ".control\npre_codemodel %s\nrun\n", x->cm_path);
	fprintf(f, "echo \"column currents [A], positive into the sense source\"\n");
	for (p = 0; p < pc; p++)
		fprintf(f, "print vs%d#branch\n", p);
	fprintf(f, "quit 0\n.endc\n");
}

int xbar_write(FILE *f, const xbar_spec *x)
{
	fprintf(f, "* limspice crossbar: %d x %d weights%s, %d x %d devices\n", x->rows,
	        x->cols, x->differential ? " as differential pairs" : "", x->rows,
	        xbar_pcols(x));
	fprintf(f, "* wire %.6g ohm per segment, driver %.6g ohm, barrier lines %s; "
	        "names: README.md (Crossbar netlists)\n", x->r_wire_ohm, x->r_source_ohm,
	        x->barrier == XBAR_BARRIER_ROW ? "per row" :
	        x->barrier == XBAR_BARRIER_COL ? "per column" : "global");
	write_rows(f, x);
	write_cols(f, x);
	write_barrier(f, x);
	if (write_devices(f, x) != 0)
		return -1;
	write_saves(f, x);
	fprintf(f, "%s\n", x->analysis ? x->analysis : ".op");
	if (x->cm_path)
		write_control(f, x);
	fprintf(f, ".end\n");
	return ferror(f) ? -1 : 0;
}
