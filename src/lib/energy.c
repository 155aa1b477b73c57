/*
** energy.c - supply energy from source voltages and currents.
** See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "energy.h"
#include "xbar.h"

double lim_energy_window(const double *t, const double *v, const double *i, size_t n,
                         double t0, double t1)
{
	double e = 0;
	size_t k;

	for (k = 1; k < n; k++) {
		double a = t[k - 1], b = t[k], lo = a > t0 ? a : t0, hi = b < t1 ? b : t1;
		double fl, fh;
		if (hi <= lo || b <= a)
			continue;
		fl = (lo - a) / (b - a);
		fh = (hi - a) / (b - a);
		/* the charge of the piece times its mean voltage */
		e += (v[k - 1] + (v[k] - v[k - 1]) * (fl + fh) / 2) *
		     (i[k - 1] + (i[k] - i[k - 1]) * (fl + fh) / 2) * (hi - lo);
	}
	return e;
}

long lim_energy_unresolved(const double *v, const double *i, size_t n)
{
	double imax = 0, vmax = 0;
	long count = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		imax = fabs(i[k]) > imax ? fabs(i[k]) : imax;
		vmax = fabs(v[k]) > vmax ? fabs(v[k]) : vmax;
	}
	for (k = 1; k < n; k++) {
		int zigzag = k + 1 < n && fabs(i[k]) > 1e-3 * imax && i[k - 1] * i[k] < 0 &&
		             i[k] * i[k + 1] < 0;
		/* from the operating point (k = 1) a jump is the circuit's own:
		** state that DC holds starts moving at once */
		int collapse = k > 1 && fabs(v[k] - v[k - 1]) <= 1e-9 * vmax &&
		               fabs(i[k] - i[k - 1]) > 0.5 * imax;
		count += zigzag || collapse;
	}
	return count;
}

const char *lim_energy_group(const char *source)
{
	lim_xbar_kind kind;
	int idx;

	if (lim_xbar_parse_name(source, &kind, &idx) == 0)
		return kind == LIM_XBAR_ROW ? "row" : kind == LIM_XBAR_SENSE ? "sense" : "barrier";
	/* "vc<j>": the column drivers of hand-written conventional decks */
	if (strncmp(source, "vc", 2) == 0 && source[2] &&
	    strspn(source + 2, "0123456789") == strlen(source + 2))
		return "column";
	return "other";
}

/* The voltage of node (0 for ground) into a malloc'd array of n points. */
static double *node_voltage(lim_session *se, const char *node, size_t n)
{
	char name[300];
	double *v;
	size_t len;

	if (!strcmp(node, "0") || !strcmp(node, "gnd"))
		return calloc(n, sizeof(double));
	snprintf(name, sizeof name, "v(%s)", node);
	if (lim_sess_vec(se, name, &v, &len) != 0)
		return NULL;
	if (len != n) {
		free(v);
		return NULL;
	}
	return v;
}

int lim_energy_vi(lim_session *se, const lim_deck_source *s, double **v, double **i, size_t *len)
{
	double *t = NULL, *vn = NULL;
	char name[300];
	size_t n, ni, k;
	int rc = -1;

	*v = *i = NULL;
	if (lim_sess_vec(se, "time", &t, &n) != 0)
		return -1;
	if (s->kind == 'v')
		snprintf(name, sizeof name, "%s#branch", s->name);
	else
		snprintf(name, sizeof name, "@%s[current]", s->name);
	if (!(*v = node_voltage(se, s->pos, n)) || !(vn = node_voltage(se, s->neg, n)))
		goto done;
	if (lim_sess_vec(se, name, i, &ni) != 0 || ni != n)
		goto done;
	/* ngspice's current flows into a V source's + terminal, and through an
	** I source from + to -: either way the source delivers (V+ - V-)(-I) */
	for (k = 0; k < n; k++) {
		(*v)[k] -= vn[k];
		(*i)[k] = -(*i)[k];
	}
	*len = n;
	rc = 0;
done:
	if (rc) {
		free(*v);
		free(*i);
		*v = *i = NULL;
	}
	free(t);
	free(vn);
	return rc;
}

/* ---------------------------------------------------------------------
** The meter
** ------------------------------------------------------------------- */

struct lim_energy_meter {
	lim_xbar_spec x;
	char prefix[LIM_XBAR_PREFIX_MAX + 1];   /* x.prefix points here */
	int nsrc, cells, wires, first_barrier;
	double c_line;                /* per barrier line [F] */
	int *i_cur, *i_node, *i_line; /* per source: current, driven node, line node */
	int *i_et, *i_ej;             /* per device: probes */
	int *i_row, *i_col;           /* per device: its row and column line nodes */
	double *p_prev, *v_prev, *i_prev, *src_j;
	double wire_p_prev, supply_j, barrier_j, wire_j;
	/* The hop current a device gives ngspice at a point is its step's mean,
	** z q n_c (w1 - w0) / dt (the code model's exact update), not a value at
	** the point: a trapezoid of V I mixes two steps' means, which at a pulse's
	** corners misbooked 1 % of the transition heat (Iris, n_c = 1e3). */
	int *i_w;                     /* per device: its state probe */
	double *w_prev;               /* per device: w at the previous point */
	double *ih_prev, *ih;         /* per source: the hop current it delivered over the
	                                 previous step and this one [A] */
	double *drawn_j, *returned_j; /* per source: energy given and taken back [J] */
	double qn;                    /* z q n_c [C] */
};

void lim_energy_meter_free(lim_energy_meter *m)
{
	if (!m)
		return;
	free(m->i_cur); free(m->i_node); free(m->i_line); free(m->i_et); free(m->i_ej);
	free(m->i_row); free(m->i_col); free(m->p_prev); free(m->v_prev); free(m->i_prev);
	free(m->src_j); free(m->i_w); free(m->w_prev); free(m->ih_prev); free(m->ih); free(m->drawn_j);
	free(m->returned_j);
	free(m);
}

lim_energy_meter *lim_energy_meter_new(const lim_xbar_spec *x)
{
	lim_energy_meter *m = calloc(1, sizeof *m);
	size_t ns, nc;

	if (!m)
		return NULL;
	m->x = *x;
	m->x.w0 = NULL;                    /* the meter keeps no pointer of the caller's */
	m->x.analysis = m->x.cm_path = NULL;
	m->x.source = NULL;
	m->x.source_ctx = NULL;
	snprintf(m->prefix, sizeof m->prefix, "%s", x->prefix ? x->prefix : "");
	m->x.prefix = m->prefix;
	m->nsrc = lim_xbar_nsources(x);
	m->cells = x->rows * lim_xbar_pcols(x);
	m->wires = x->r_wire_ohm > 0;
	m->first_barrier = x->rows + lim_xbar_pcols(x);
	m->c_line = m->cells / lim_xbar_barrier_lines(x) * (x->c_gate_f + x->c_line_f);
	ns = (size_t)m->nsrc;
	nc = (size_t)m->cells;
	m->i_cur = calloc(ns, sizeof *m->i_cur);
	m->i_node = calloc(ns, sizeof *m->i_node);
	m->i_line = calloc(ns, sizeof *m->i_line);
	m->p_prev = calloc(ns, sizeof *m->p_prev);
	m->v_prev = calloc(ns, sizeof *m->v_prev);
	m->i_prev = calloc(ns, sizeof *m->i_prev);
	m->src_j = calloc(ns, sizeof *m->src_j);
	m->i_et = calloc(nc, sizeof *m->i_et);
	m->i_ej = calloc(nc, sizeof *m->i_ej);
	m->i_row = calloc(nc, sizeof *m->i_row);
	m->i_col = calloc(nc, sizeof *m->i_col);
	m->i_w = calloc(nc, sizeof *m->i_w);
	m->w_prev = calloc(nc, sizeof *m->w_prev);
	m->ih_prev = calloc(ns, sizeof *m->ih_prev);
	m->ih = calloc(ns, sizeof *m->ih);
	m->drawn_j = calloc(ns, sizeof *m->drawn_j);
	m->returned_j = calloc(ns, sizeof *m->returned_j);
	m->qn = x->card.z * LIM_PHYS_Q_C * x->card.n_c;
	if (!m->i_cur || !m->i_node || !m->i_line || !m->p_prev || !m->v_prev || !m->i_prev ||
	    !m->src_j || !m->i_et || !m->i_ej || !m->i_row || !m->i_col || !m->i_w ||
	    !m->w_prev || !m->ih_prev || !m->ih || !m->drawn_j || !m->returned_j) {
		lim_energy_meter_free(m);
		return NULL;
	}
	return m;
}

/* Looks want up into *at; -1 after naming it in err when absent. */
static int need(int *at, int count, const char *const *names, const char *want, char *err,
                size_t n)
{
	if ((*at = lim_sess_index(count, names, want)) >= 0)
		return 0;
	snprintf(err, n, "the run has no vector for %s", want);
	return -1;
}

int lim_energy_meter_resolve(lim_energy_meter *m, int count, const char *const *names, char *err,
                             size_t n)
{
	const lim_xbar_spec *x = &m->x;
	int k, c, pc = lim_xbar_pcols(x);
	char name[64];

	for (k = 0; k < m->nsrc; k++) {
		lim_xbar_kind kind;
		int idx;
		lim_xbar_source_at(x, k, &kind, &idx);
		lim_xbar_branch_name(x, kind, idx, name, sizeof name);
		if (need(&m->i_cur[k], count, names, name, err, n) != 0)
			return -1;
		lim_xbar_source_node(x, kind, idx, name, sizeof name);
		if (need(&m->i_node[k], count, names, name, err, n) != 0)
			return -1;
		m->i_line[k] = m->i_node[k];
		if (kind == LIM_XBAR_BARRIER) {
			lim_xbar_line_node(x, idx, name, sizeof name);
			if (need(&m->i_line[k], count, names, name, err, n) != 0)
				return -1;
		}
	}
	for (c = 0; c < m->cells; c++) {
		lim_xbar_probe_name(x, c / pc, c % pc, "e_trans", name, sizeof name);
		if (need(&m->i_et[c], count, names, name, err, n) != 0)
			return -1;
		lim_xbar_probe_name(x, c / pc, c % pc, "e_joule", name, sizeof name);
		if (need(&m->i_ej[c], count, names, name, err, n) != 0)
			return -1;
		lim_xbar_probe_name(x, c / pc, c % pc, "w", name, sizeof name);
		if (need(&m->i_w[c], count, names, name, err, n) != 0)
			return -1;
		if (!m->wires)
			continue;
		lim_xbar_row_node(x, c / pc, c % pc, name, sizeof name);
		if (need(&m->i_row[c], count, names, name, err, n) != 0)
			return -1;
		lim_xbar_col_node(x, c % pc, c / pc, name, sizeof name);
		if (need(&m->i_col[c], count, names, name, err, n) != 0)
			return -1;
	}
	return 0;
}

/* Power dissipated in the wire segments at a point [W]. */
static double wire_power(const lim_energy_meter *m, const double *v)
{
	double p = 0, g = m->wires ? 1 / m->x.r_wire_ohm : 0;
	int i, c, pc = lim_xbar_pcols(&m->x);

	for (i = 0; m->wires && i < m->x.rows; i++)
		for (c = 0; c < pc; c++) {
			int q = i * pc + c;
			double d;
			if (c > 0) {
				d = v[m->i_row[q]] - v[m->i_row[q - 1]];
				p += d * d * g;
			}
			if (i > 0) {
				d = v[m->i_col[q]] - v[m->i_col[q - pc]];
				p += d * d * g;
			}
		}
	return p;
}

/* The hop current [A] each row and sense source delivers over the step
** that ends at point v, dt [s] long, into ih (nsrc values); barrier
** drivers feed no device. Device (i, p) carries z q n_c dw / dt from its
** row to its column: row i's source delivers it, and column p's sense
** source, which sinks it, delivers minus it. */
static void hop_currents(const lim_energy_meter *m, const double *v, double dt, double *ih)
{
	int k, c, pc = lim_xbar_pcols(&m->x);

	for (k = 0; k < m->nsrc; k++)
		ih[k] = 0;
	for (c = 0; dt > 0 && c < m->cells; c++) {
		double i = m->qn * (v[m->i_w[c]] - m->w_prev[c]) / dt;
		ih[c / pc] += i;
		ih[m->x.rows + c % pc] -= i;
	}
}

void lim_energy_meter_start(lim_energy_meter *m, const double *v)
{
	int k, c;

	for (k = 0; k < m->nsrc; k++) {
		m->p_prev[k] = -v[m->i_node[k]] * v[m->i_cur[k]];
		m->v_prev[k] = v[m->i_node[k]];
		m->i_prev[k] = v[m->i_cur[k]];
		m->src_j[k] = m->drawn_j[k] = m->returned_j[k] = m->ih_prev[k] = 0;
	}
	for (c = 0; c < m->cells; c++)
		m->w_prev[c] = v[m->i_w[c]];
	m->wire_p_prev = wire_power(m, v);
	m->supply_j = m->barrier_j = m->wire_j = 0;
}

void lim_energy_meter_point(lim_energy_meter *m, const double *v, double dt, int first_order)
{
	double pw = wire_power(m, v), *ih = m->ih;
	int k, c;

	hop_currents(m, v, dt, ih);
	for (k = 0; k < m->nsrc; k++) {
		double vn = v[m->i_node[k]], i1 = v[m->i_cur[k]], p = -vn * i1;
		double de = (p + m->p_prev[k]) / 2 * dt;
		if (k >= m->first_barrier) {      /* charge-consistent: see energy.h */
			double ieff = first_order ? i1 : (i1 + m->i_prev[k]) / 2;
			de = -(vn + m->v_prev[k]) / 2 * ieff * dt;
			m->barrier_j += de;
		} else {
			/* the trapezoid booked the hop current as (V0 Ih0 + V1 Ih1) / 2;
			** it is this step's mean Ih1 at the step's mean voltage */
			de += ((vn + m->v_prev[k]) / 2 * ih[k] -
			       (m->v_prev[k] * m->ih_prev[k] + vn * ih[k]) / 2) * dt;
			m->ih_prev[k] = ih[k];
		}
		m->src_j[k] += de;
		m->supply_j += de;
		if (de > 0)
			m->drawn_j[k] += de;
		else
			m->returned_j[k] -= de;
		m->p_prev[k] = p;
		m->v_prev[k] = vn;
		m->i_prev[k] = i1;
	}
	for (c = 0; c < m->cells; c++)
		m->w_prev[c] = v[m->i_w[c]];
	m->wire_j += (pw + m->wire_p_prev) / 2 * dt;
	m->wire_p_prev = pw;
}

void lim_energy_meter_read(const lim_energy_meter *m, const double *v, lim_energy_reading *r)
{
	int k, c;

	r->supply_j = m->supply_j;
	r->barrier_j = m->barrier_j;
	r->wire_j = m->wire_j;
	r->line_j = r->trans_j = r->joule_j = 0;
	for (k = m->first_barrier; k < m->nsrc; k++)
		r->line_j += m->c_line * v[m->i_line[k]] * v[m->i_line[k]] / 2;
	for (c = 0; c < m->cells; c++) {
		r->trans_j += v[m->i_et[c]];
		r->joule_j += v[m->i_ej[c]];
	}
}

double lim_energy_meter_source_j(const lim_energy_meter *m, int k)
{
	return m->src_j[k];
}

void lim_energy_meter_source_flow(const lim_energy_meter *m, int k, double *drawn_j,
                                  double *returned_j)
{
	*drawn_j = m->drawn_j[k];
	*returned_j = m->returned_j[k];
}
