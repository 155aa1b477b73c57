/*
** train.c - closed-loop training, inference and hold (see train.h).
** See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "energy.h"
#include "train.h"
#include "write.h"
#include "xbar.h"

void lim_train_default(lim_train_opts *o)
{
	memset(o, 0, sizeof *o);
	o->mode = LIM_TRAIN_LIM;
	lim_phys_dev_default(&o->card);
	o->r_barrier_ohm = 1e4;
	o->c_gate_f = 0.1e-15;
	o->c_line_f = 0.02e-15;
	lim_phys_sched_default(&o->sched);
	o->r1_hz = 1e6;
	o->temp_k = 300.15;
	o->epochs = 3;
	o->eta = 0.2;
	o->gain = 3;
	o->v_read = 0.1;
	o->tilt_kt = 3;
	o->bits = 8;
	o->seed = 1;
	o->write = LIM_TRAIN_WRITE_PARALLEL;
	o->slots = 8;
	o->levels = 0;
	o->floor = 0.01;
	o->min_slot_s = 0.3e-9;   /* 3 ramps of 0.1 ns: dw within 1.3 % (write_parallel.c) */
	o->keep_history = 1;
	o->barrier_edge_s = T_BEDGE;
}

void lim_train_array_size(const lim_dataset *d, int *rows, int *pcols)
{
	*rows = d->nfeat + 1;
	*pcols = 2 * d->nout;
}

void lim_train_weights(int rows, int pcols, const double *w, double *weff)
{
	int i, k;

	for (i = 0; i < rows; i++)
		for (k = 0; k < pcols / 2; k++)
			weff[i * (pcols / 2) + k] = w[i * pcols + 2 * k] - w[i * pcols + 2 * k + 1];
}

void lim_train_result_free(lim_train_result *r)
{
	free(r->steps);
	free(r->w);
	free(r->source_j);
	free(r->source_name);
	free(r->source_drawn_j);
	free(r->source_returned_j);
	memset(r, 0, sizeof *r);
}

/* =====================================================================
** The engine: one transient, driven through EXTERNAL sources
** =================================================================== */

typedef struct {
	/* fixed for the run */
	const lim_train_opts *o;
	const lim_dataset *d;
	lim_session *s;
	int rows, pcols, writes;
	const int *order;            /* dataset row of each step */
	long nsteps;
	int ntrain;                  /* samples per epoch */
	lim_phys_dev card;               /* as simulated */
	lim_xbar_spec x;                 /* the array: its deck and its names */
	double kt_ev, temp_c, dg, t_step;
	const lim_write_ops *wops;       /* the write scheme (training only) */
	lim_write_scheme *ws;
	/* the step being written */
	long plan_step;
	double *grad;                /* rows x pcols: dL/dw of each device */
	double err_sum2;             /* sum of (realised - intended)^2 */
	long err_n;
	/* bookkeeping in the data hook */
	int resolved;
	int *i_sense, *i_w;          /* vectors: sense currents, device states */
	lim_energy_meter *meter;         /* training only */
	lim_energy_reading at_step;      /* the meter at the step's start */
	lim_energy_reading at_write;     /* and when the write began */
	double t_prev;
	double *bk;                  /* breakpoints set and not yet passed, sorted */
	int nbk, capbk;
	long cur;
	int stage;                   /* 0 before the sample, 1 before writing, 2 writing */
	double *w_start;
	int first_point;
	lim_train_result *r;
	double *score_out;           /* inference: accuracy or mean squared error */
	int *pred;
	double score_acc;
	char err[512];
	lim_train_progress_fn progress;
	void *pctx;
} engine;

/* Inputs of the sample at step n: features, then the bias, then 0. */
static double input(const engine *e, long n, int i)
{
	const lim_dataset *d = e->d;
	int row = e->order[n];

	if (i < d->nfeat)
		return d->x[row * d->nfeat + i];
	return i == d->nfeat ? 1 : 0;
}

/* A breakpoint at t, unless t is not ahead of the last accepted point
** (ngspice panics at a breakpoint in the past). */
static void bkpt(engine *e, double t)
{
	if (t <= e->t_prev + 1e-3 * T_PULSE)
		return;
	lim_sess_breakpoint(e->s, t);
	if (e->nbk == e->capbk) {
		int nc = e->capbk ? 2 * e->capbk : 256;
		double *g = realloc(e->bk, (size_t)nc * sizeof *g);
		if (!g)
			return;               /* only the energy rule below loses precision */
		e->bk = g;
		e->capbk = nc;
	}
	e->bk[e->nbk++] = t;
}

static int cmp_time(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Drops the passed breakpoints and sorts the rest. */
static void tidy_breakpoints(engine *e)
{
	int i, k = 0;

	for (i = 0; i < e->nbk; i++)
		if (e->bk[i] >= e->t_prev - 1e-3 * T_PULSE)
			e->bk[k++] = e->bk[i];
	e->nbk = k;
	qsort(e->bk, (size_t)e->nbk, sizeof *e->bk, cmp_time);
}

/* Was t one of our breakpoints? ngspice then took a first-order step. */
static int at_breakpoint(const engine *e, double t)
{
	int lo = 0, hi = e->nbk - 1;

	if (t == 0)
		return 1;                     /* the first step is first order too */
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (fabs(e->bk[mid] - t) <= 1e-3 * T_PULSE)
			return 1;
		if (e->bk[mid] < t)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

static void add_corner(void *ctx, double t)
{
	bkpt(ctx, t);
}

static void set_breakpoints(engine *e, long n)
{
	double t0 = n * e->t_step;

	bkpt(e, t0 + T_EDGE);
	bkpt(e, t0 + T_EDGE + T_SETTLE);
	bkpt(e, t0 + T_READ);
	bkpt(e, t0 + e->t_step);
	if (e->writes && e->plan_step == n)
		e->wops->corners(e->ws, t0 + T_READ, add_corner, e);
}

/* Softmax cross-entropy (classification) or squared error (regression)
** from the column currents of step n: loss, and dL/dz into delta. */
static double loss_of(const engine *e, long n, const double *z, double *delta, int *correct)
{
	const lim_dataset *d = e->d;
	int row = e->order[n], k, best = 0;
	double loss = 0;

	for (k = 1; k < d->nout; k++)
		if (z[k] > z[best])
			best = k;
	if (d->nclass) {
		double m = z[best], sum = 0;
		for (k = 0; k < d->nout; k++)
			sum += exp(z[k] - m);
		for (k = 0; k < d->nout; k++)
			delta[k] = exp(z[k] - m) / sum - (k == d->label[row]);
		loss = -(z[d->label[row]] - m - log(sum));
		*correct = best == d->label[row];
		if (e->pred)
			e->pred[n] = best;
	} else {
		for (k = 0; k < d->nout; k++) {
			double r = z[k] - d->target[row * d->nout + k];
			delta[k] = r;
			loss += r * r / 2;
		}
		*correct = 0;
	}
	return loss;
}

/* At step n's sample: the forward pass from the column currents, the
** gradient, and the plan of the writes. */
static void sample_step(engine *e, long n, const double *values)
{
	const lim_dataset *d = e->d;
	lim_train_step *st = e->writes ? &e->r->steps[n] : NULL;
	double z[64] = {0}, delta[64] = {0}, u[LIM_XBAR_MAX_SIDE];
	int i, k, p, correct;
	double loss;

	for (k = 0; k < d->nout; k++) {
		double ip = values[e->i_sense[2 * k]], im = values[e->i_sense[2 * k + 1]];
		z[k] = e->o->gain * (ip - im) / (e->o->v_read * e->dg);
	}
	loss = loss_of(e, n, z, delta, &correct);
	if (!e->writes) {
		e->score_acc += d->nclass ? correct : 2 * loss / d->nout;
		return;
	}
	st->loss = loss;
	st->correct = correct;
	st->epoch = (int)(n / e->ntrain) + 1;
	st->sample = e->order[n];
	for (i = 0; i < e->rows; i++) {
		u[i] = input(e, n, i);
		for (p = 0; p < e->pcols; p++)   /* dL/dw_eff, errors clipped at 1 */
			e->grad[i * e->pcols + p] = p / 2 < d->nout ?
			        e->o->gain * u[i] * fmax(-1, fmin(1, delta[p / 2])) : 0;
	}
	e->wops->plan(e->ws, n + 1, u, delta, st);
	e->plan_step = n;
}

/* ---------------------------------------------------------------------
** Source values: a pure function of time once the step is planned
** ------------------------------------------------------------------- */

static double source_value(void *ctx, const char *name, double t)
{
	engine *e = ctx;
	long n = (long)floor(t / e->t_step);
	double tau;
	int idx;
	lim_xbar_kind kind;

	if (n < 0 || n >= e->nsteps || lim_xbar_parse_source(&e->x, name, &kind, &idx) != 0)
		return 0;
	tau = t - n * e->t_step;
	if (tau < T_READ)   /* read: rows at v_read x input, all else at rest */
		return kind == LIM_XBAR_ROW ? e->o->v_read * input(e, n, idx) *
		       lim_write_trap(tau, T_EDGE + T_SETTLE, T_EDGE) : 0;
	if (!e->writes || e->plan_step != n)
		return 0;
	return e->wops->value(e->ws, kind, idx, tau - T_READ);
}

/* ---------------------------------------------------------------------
** The data hook: energies, events and figures as the run goes
** ------------------------------------------------------------------- */

/* The vectors the engine reads itself (the meter finds its own). */
static int resolve(engine *e, int count, const char *const *names)
{
	char name[48];
	int p, c;

	for (p = 0; p < e->pcols; p++) {
		lim_xbar_branch_name(&e->x, LIM_XBAR_SENSE, p, name, sizeof name);
		if ((e->i_sense[p] = lim_sess_index(count, names, name)) < 0) {
			snprintf(e->err, sizeof e->err, "the run has no vector for %s", name);
			return -1;
		}
	}
	for (c = 0; c < e->rows * e->pcols; c++) {
		lim_xbar_probe_name(&e->x, c / e->pcols, c % e->pcols, "w", name, sizeof name);
		if ((e->i_w[c] = lim_sess_index(count, names, name)) < 0) {
			snprintf(e->err, sizeof e->err, "the run has no probes for device %d", c);
			return -1;
		}
	}
	if (e->meter && lim_energy_meter_resolve(e->meter, count, names, e->err, sizeof e->err) != 0)
		return -1;
	e->resolved = 1;
	return 0;
}

/* w ln w + (1 - w) ln(1 - w): a carrier's free energy [kT] in two equal
** wells with a fraction w in one (less its value at w = 1/2) */
static double mixing_free_kt(double w)
{
	double a = w > 0 ? w * log(w) : 0, b = w < 1 ? (1 - w) * log1p(-w) : 0;

	return a + b;
}

static void close_step(engine *e, long n, const double *v)
{
	lim_train_step *st = &e->r->steps[n];
	const lim_energy_reading *a = &e->at_step;
	double half = 1 / (2 * e->card.n_c), upd_g2 = 0;
	lim_energy_reading now;
	int c;

	lim_energy_meter_read(e->meter, v, &now);
	st->e_trans_j = now.trans_j - a->trans_j;
	st->e_joule_j = now.joule_j - a->joule_j;
	st->e_read_j = e->at_write.supply_j - a->supply_j;
	st->e_write_j = now.supply_j - e->at_write.supply_j;
	st->e_joule_write_j = now.joule_j - e->at_write.joule_j;
	st->e_wire_j = now.wire_j - a->wire_j;
	/* A barrier driver's resistor and its line's capacitance form a
	** branch with nothing else in it: its loss is what the driver supplied
	** less what the line still stores. (The trapezoid of (V/R)^2 is not
	** used: ngspice steps over the 6 ps R C tail in one go.) */
	st->e_resistor_j = now.wire_j - a->wire_j + (now.barrier_j - a->barrier_j) -
	                   (now.line_j - a->line_j);
	e->r->cap_j += now.line_j - a->line_j;
	{   /* the write phase alone: the breakdown per update */
		const lim_energy_reading *b = &e->at_write;
		st->e_trans_write_j = now.trans_j - b->trans_j;
		st->e_wire_write_j = now.wire_j - b->wire_j;
		st->e_line_j = now.line_j - b->line_j;
		st->e_barrier_loss_j = now.barrier_j - b->barrier_j - st->e_line_j;
	}
	for (c = 0; c < e->rows * e->pcols; c++) {
		double w = v[e->i_w[c]];
		double want = e->o->card.noise == 1 ? e->wops->expected(e->ws, c, e->w_start[c]) : NAN;
		if (!isnan(want)) {
			/* the realised step against the plan's deterministic one: what
			** is left is the random hops (and the small decay while idle) */
			double d = w - e->w_start[c] - want;
			e->err_sum2 += d * d;
			e->err_n++;
		}
		if (fabs(w - e->w_start[c]) >= half) {
			double df = mixing_free_kt(w) - mixing_free_kt(e->w_start[c]);
			st->updates++;
			upd_g2 += fmin(1, e->grad[c] * e->grad[c]);
			if (df > 0)
				st->e_free_j += df * e->card.n_c * e->kt_ev * LIM_PHYS_Q_C;
		}
		e->w_start[c] = w;
	}
	st->lim_estimate_kt = st->e0_kt + (st->updates ? st->eps * upd_g2 / st->updates : 0);
	st->accuracy = (n ? e->r->steps[n - 1].accuracy * n : 0) + st->correct;
	st->accuracy /= n + 1;
	e->at_step = now;
	if (e->progress)
		e->progress(e->pctx, n + 1, e->nsteps);
}

static void on_point(void *ctx, int count, const char *const *names, const double *v,
                     double t)
{
	engine *e = ctx;
	double tol = 1e-3 * T_PULSE;
	int k;

	if (e->err[0] || (!e->resolved && resolve(e, count, names) != 0))
		return;
	if (e->first_point) {                 /* the operating point: the baseline */
		e->first_point = 0;
		for (k = 0; k < e->rows * e->pcols; k++)
			e->w_start[k] = v[e->i_w[k]];
		if (e->meter) {
			lim_energy_meter_start(e->meter, v);
			lim_energy_meter_read(e->meter, v, &e->at_step);
		}
	} else if (e->meter) {
		lim_energy_meter_point(e->meter, v, t - e->t_prev, at_breakpoint(e, e->t_prev));
	}
	e->t_prev = t;
	while (e->cur < e->nsteps) {
		double t0 = e->cur * e->t_step;
		if (e->stage == 0 && t >= t0 + T_EDGE + T_SETTLE - tol) {
			sample_step(e, e->cur, v);
			e->stage = 1;
			tidy_breakpoints(e);
			set_breakpoints(e, e->cur);
			if (e->cur + 1 < e->nsteps)
				set_breakpoints(e, e->cur + 1);
			tidy_breakpoints(e);
		} else if (e->stage == 1 && t >= t0 + T_READ - tol) {
			e->stage = 2;
			if (e->meter)                 /* what came before was the read */
				lim_energy_meter_read(e->meter, v, &e->at_write);
		} else if (e->stage == 2 && t >= t0 + e->t_step - tol) {
			if (e->writes)
				close_step(e, e->cur, v);
			e->cur++;
			e->stage = 0;
		} else {
			break;
		}
	}
	if (e->r && e->r->w)
		for (k = 0; k < e->rows * e->pcols; k++)
			e->r->w[k] = v[e->i_w[k]];
}

/* ---------------------------------------------------------------------
** Setting up and running
** ------------------------------------------------------------------- */

static const char *external(void *ctx, char kind, int index, char *buf, size_t n)
{
	(void)ctx; (void)kind; (void)index;
	snprintf(buf, n, "external");
	return buf;
}

/* The engine's arrays; the meter and the write scheme too when it trains
** (inference measures no energy and writes nothing). */
static int engine_alloc(engine *e)
{
	int cells = e->rows * e->pcols;

	e->grad = calloc((size_t)cells, sizeof *e->grad);
	e->i_sense = calloc((size_t)e->pcols, sizeof *e->i_sense);
	e->i_w = calloc((size_t)cells, sizeof *e->i_w);
	e->w_start = calloc((size_t)cells, sizeof *e->w_start);
	if (!e->grad || !e->i_sense || !e->i_w || !e->w_start)
		return -1;
	if (e->writes) {
		lim_write_setup su;
		int i, j;
		su.o = e->o;
		su.card = e->card;
		su.rows = e->rows;
		su.pcols = e->pcols;
		su.nout = e->d->nout;
		su.kt_ev = e->kt_ev;
		su.temp_c = e->temp_c;
		su.u_max = 1;                    /* the bias row */
		for (i = 0; i < e->d->n; i++)
			for (j = 0; j < e->d->nfeat; j++)
				su.u_max = fmax(su.u_max, fabs(e->d->x[i * e->d->nfeat + j]));
		if (!(e->meter = lim_energy_meter_new(&e->x)) || !(e->ws = e->wops->open(&su)))
			return -1;
	}
	return 0;
}

static void engine_free(engine *e)
{
	free(e->grad); free(e->i_sense); free(e->i_w); free(e->w_start); free(e->bk);
	lim_energy_meter_free(e->meter);
	if (e->ws)
		e->wops->close(e->ws);
}

/* Writes the deck, runs it with the hooks, and leaves the plot. */
static int engine_run(engine *e, const double *w0)
{
	lim_xbar_spec x = e->x;
	char *text = NULL, an[256];
	size_t len = 0;
	FILE *f;
	int rc;

	x.w0 = w0;
	/* a short tail, so the last step's end is an ordinary accepted point */
	snprintf(an, sizeof an, ".temp %.10g\n.tran %.6g %.10g 0 %.6g", e->temp_c,
	         e->t_step / 10, e->nsteps * e->t_step + T_READ, e->t_step / 4);
	x.analysis = an;
	if (lim_xbar_check(&x, e->err, sizeof e->err) != 0)
		return -1;
	if (!(f = open_memstream(&text, &len)))
		return -1;
	rc = lim_xbar_write(f, &x);
	fclose(f);
	if (rc != 0) {
		free(text);
		return -1;
	}
	lim_sess_reset(e->s);
	rc = lim_sess_load_text(e->s, text);
	free(text);
	if (rc != 0) {
		snprintf(e->err, sizeof e->err, "ngspice: %s", lim_sess_error(e->s));
		return -1;
	}
	lim_sess_hooks(e->s, source_value, on_point, e);
	e->first_point = 1;
	e->t_prev = -1;                   /* nothing is in the past yet */
	set_breakpoints(e, 0);
	tidy_breakpoints(e);
	rc = lim_sess_run(e->s);
	lim_sess_hooks(e->s, NULL, NULL, NULL);
	if (rc != 0) {
		snprintf(e->err, sizeof e->err, "ngspice: %s", lim_sess_error(e->s));
		return -1;
	}
	if (e->err[0])
		return -1;
	if (e->cur < e->nsteps) {
		snprintf(e->err, sizeof e->err, "the run ended after %ld of %ld steps", e->cur,
		         e->nsteps);
		return -1;
	}
	return 0;
}

static void engine_init(engine *e, lim_session *s, const lim_dataset *d, const lim_train_opts *o,
                        int rows, int pcols)
{
	memset(e, 0, sizeof *e);
	e->s = s;
	e->d = d;
	e->o = o;
	e->rows = rows;
	e->pcols = pcols;
	e->card = o->card;
	if (o->mode == LIM_TRAIN_CONVENTIONAL)
		e->card.kappa = 0;            /* the barrier is never lowered */
	e->temp_c = o->temp_k - LIM_PHYS_ZERO_C_IN_K;
	e->kt_ev = lim_phys_kt_ev(o->temp_k + o->card.dtemp);
	e->dg = o->card.g_max - o->card.g_min;
	if (o->write == LIM_TRAIN_WRITE_SERIAL)
		e->wops = o->mode == LIM_TRAIN_CONVENTIONAL ? &lim_write_serial_conventional : &lim_write_serial_lim;
	else
		e->wops = o->mode == LIM_TRAIN_CONVENTIONAL ? &lim_write_parallel_conventional :
		          &lim_write_parallel_lim;
	e->plan_step = -1;
	lim_xbar_default(&e->x);
	e->x.rows = rows;
	e->x.cols = pcols / 2;
	e->x.differential = 1;
	e->x.r_wire_ohm = o->r_wire_ohm;
	e->x.r_barrier_ohm = o->r_barrier_ohm;
	e->x.c_gate_f = o->c_gate_f;
	e->x.c_line_f = o->c_line_f;
	e->x.barrier = LIM_XBAR_BARRIER_COL;
	e->x.card = e->card;
	e->x.save_probes = 1;
	e->x.save_nodes = o->r_wire_ohm > 0;
	/* Everything is reduced point by point in the data hook; without this
	** ngspice keeps every saved vector of the whole run (0.2 GB a step on
	** a 65 x 20 array). */
	e->x.save_none = !o->keep_history;
	e->x.source = external;
}

static int check_fit(const lim_dataset *d, const lim_train_opts *o, int *rows, int *pcols,
                     char *err, size_t n)
{
	int need_r, need_p;

	lim_train_array_size(d, &need_r, &need_p);
	*rows = o->rows ? o->rows : need_r;
	*pcols = o->pcols ? o->pcols : need_p;
	if (*rows < need_r || *pcols < need_p || *pcols % 2) {
		snprintf(err, n, "a %d x %d array is too small for %s: it needs at least %d rows "
		         "(%d features and a bias) and %d columns (a pair per output)", *rows, *pcols,
		         d->name, need_r, d->nfeat, need_p);
		return -1;
	}
	if (d->nout > 64) {
		snprintf(err, n, "%s has %d outputs: at most 64", d->name, d->nout);
		return -1;
	}
	return 0;
}

long lim_train_planned_steps(const lim_train_opts *o, int ntrain)
{
	return o->max_steps ? o->max_steps : (long)o->epochs * ntrain;
}

int lim_train_run(lim_session *s, const lim_dataset *d, const int *train, int ntrain,
                  const lim_train_opts *o, lim_train_result *r, lim_train_progress_fn progress,
                  void *pctx, char *err, size_t n)
{
	lim_train_opts oo = *o;
	engine e;
	int rows, pcols, *order = NULL, rc = -1, k;
	long steps, i;

	memset(r, 0, sizeof *r);
	if (check_fit(d, o, &rows, &pcols, err, n) != 0)
		return -1;
	oo.sched.ln_r1_over_rmax = log(o->r1_hz / o->card.r_max);
	steps = lim_train_planned_steps(o, ntrain);
	if (!(order = malloc((size_t)steps * sizeof *order))) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	for (i = 0; i < steps; i++) {   /* each epoch visits the samples in a new order */
		long ep = i / ntrain, j = i % ntrain;
		if (j == 0) {
			for (k = 0; k < ntrain; k++)
				order[ep * ntrain + k < steps ? ep * ntrain + k : 0] = train[k];
			for (k = ntrain - 1; k > 0; k--) {
				long a = ep * ntrain + k, b;
				int tmp;
				if (a >= steps)
					continue;
				b = ep * ntrain + (long)(lim_phys_rng_uniform(o->seed, ((uint64_t)ep << 32) + k) * (k + 1));
				if (b >= steps)
					continue;
				tmp = order[a];
				order[a] = order[b];
				order[b] = tmp;
			}
		}
	}
	engine_init(&e, s, d, &oo, rows, pcols);
	e.order = order;
	e.nsteps = steps;
	e.ntrain = ntrain;
	e.writes = 1;
	e.r = r;
	e.progress = progress;
	e.pctx = pctx;
	r->nsteps = steps;
	r->rows = rows;
	r->pcols = pcols;
	r->steps = calloc((size_t)steps, sizeof *r->steps);
	r->w = calloc((size_t)rows * pcols, sizeof *r->w);
	r->nsources = lim_xbar_nsources(&e.x);
	r->source_j = calloc((size_t)r->nsources, sizeof *r->source_j);
	r->source_name = calloc((size_t)r->nsources, sizeof *r->source_name);
	r->source_drawn_j = calloc((size_t)r->nsources, sizeof *r->source_drawn_j);
	r->source_returned_j = calloc((size_t)r->nsources, sizeof *r->source_returned_j);
	if (!r->steps || !r->w || !r->source_j || !r->source_name || !r->source_drawn_j ||
	    !r->source_returned_j || engine_alloc(&e) != 0) {
		snprintf(err, n, "out of memory");
		goto done;
	}
	for (k = 0; k < r->nsources; k++) {
		lim_xbar_kind kind;
		int idx;
		lim_xbar_source_at(&e.x, k, &kind, &idx);
		lim_xbar_source_name(&e.x, kind, idx, r->source_name[k], sizeof r->source_name[k]);
	}
	e.t_step = T_READ + e.wops->length(e.ws);
	if (engine_run(&e, NULL) != 0) {
		snprintf(err, n, "%s", e.err);
		goto done;
	}
	for (k = 0; k < r->nsources; k++) {
		r->source_j[k] = lim_energy_meter_source_j(e.meter, k);
		lim_energy_meter_source_flow(e.meter, k, &r->source_drawn_j[k],
		                             &r->source_returned_j[k]);
	}
	for (i = 0; i < steps; i++) {
		const lim_train_step *st = &r->steps[i];
		r->read_j += st->e_read_j;
		r->write_j += st->e_write_j;
		r->trans_j += st->e_trans_j;
		r->joule_j += st->e_joule_j;
		r->resistor_j += st->e_resistor_j;
		r->wire_j += st->e_wire_j;
		r->joule_write_j += st->e_joule_write_j;
		r->updates += st->updates;
		r->decay_max = fmax(r->decay_max, st->decay_kt);
		r->trans_write_j += st->e_trans_write_j;
		r->wire_write_j += st->e_wire_write_j;
		r->barrier_loss_j += st->e_barrier_loss_j;
		r->line_write_j += st->e_line_j;
		r->free_j += st->e_free_j;
	}
	r->supply_j = r->read_j + r->write_j;
	r->sim_time_s = steps * e.t_step;
	r->dw_count = e.err_n;
	r->dw_error_rms = e.err_n ? sqrt(e.err_sum2 / e.err_n) : 0;
	rc = 0;
done:
	engine_free(&e);
	free(order);
	if (rc)
		lim_train_result_free(r);
	return rc;
}

int lim_train_infer(lim_session *s, const lim_dataset *d, const int *idx, int nidx,
                    const lim_train_opts *o, int rows, int pcols, const double *w,
                    double *score, int *pred, char *err, size_t n)
{
	lim_train_opts oo = *o;
	engine e;
	int rc;

	oo.rows = rows;
	oo.pcols = pcols;
	if (check_fit(d, &oo, &rows, &pcols, err, n) != 0)
		return -1;
	engine_init(&e, s, d, &oo, rows, pcols);
	e.order = idx;
	e.nsteps = nidx;
	e.pred = pred;
	e.t_step = T_READ;
	if (engine_alloc(&e) != 0) {
		snprintf(err, n, "out of memory");
		engine_free(&e);
		return -1;
	}
	rc = engine_run(&e, w);
	if (rc != 0)
		snprintf(err, n, "%s", e.err);
	else
		*score = e.score_acc / nidx;
	engine_free(&e);
	return rc;
}

int lim_train_hold(lim_session *s, const lim_train_opts *o, int rows, int pcols, double *w,
                   double duration_s, double temp_k, char *err, size_t n)
{
	lim_xbar_spec x;
	char *text = NULL, an[256];
	size_t len = 0;
	FILE *f;
	int rc;

	lim_xbar_default(&x);
	x.rows = rows;
	x.cols = pcols / 2;
	x.differential = 1;
	x.barrier = LIM_XBAR_BARRIER_COL;
	x.card = o->card;
	if (o->mode == LIM_TRAIN_CONVENTIONAL)
		x.card.kappa = 0;
	x.w0 = w;
	x.v_read = 0;                          /* no drivers: every source at 0 V */
	/* Nothing moves on the barrier lines during a hold; their capacitors
	** would only pin ngspice's step at seconds (its truncation check on an
	** uncharged capacitor), and a hold lasts years. */
	x.c_gate_f = x.c_line_f = 0;
	x.r_barrier_ohm = 0;
	x.save_probes = 1;
	x.save_none = !o->keep_history;    /* the states are read with lim_sess_last */
	snprintf(an, sizeof an, ".temp %.10g\n.tran %.6g %.6g", temp_k - LIM_PHYS_ZERO_C_IN_K,
	         duration_s / 100, duration_s);
	x.analysis = an;
	if (lim_xbar_check(&x, err, n) != 0 || !(f = open_memstream(&text, &len)))
		return -1;
	lim_xbar_write(f, &x);
	fclose(f);
	lim_sess_reset(s);
	rc = lim_sess_load_text(s, text) == 0 && lim_sess_run(s) == 0 ? 0 : -1;
	free(text);
	if (rc != 0) {
		snprintf(err, n, "hold: ngspice: %s", lim_sess_error(s));
		return -1;
	}
	if (lim_xbar_read_states(s, &x, w, an, sizeof an) != 0) {
		snprintf(err, n, "hold: %s", an);
		return -1;
	}
	return 0;
}
