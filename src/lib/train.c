/*
** train.c - closed-loop training, inference and hold (see train.h).
** See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	o->activation = LIM_TRAIN_ACT_SIGMOID;
	o->init_sd = 1;
	o->barrier_edge_s = T_BEDGE;
}

double lim_train_activation(lim_train_act f, double a, double *dy_da)
{
	double y, d;

	if (f == LIM_TRAIN_ACT_HARD) {
		y = 0.5 + a / 4;
		d = y > 0 && y < 1 ? 0.25 : 0;
		y = y < 0 ? 0 : y > 1 ? 1 : y;
	} else {
		y = 1 / (1 + exp(-a));
		d = y * (1 - y);
	}
	if (dy_da)
		*dy_da = d;
	return y;
}

void lim_train_layer_size(const lim_dataset *d, const lim_train_opts *o, int l, int *rows,
                          int *pcols)
{
	if (o->hidden <= 0) {
		lim_train_array_size(d, rows, pcols);
	} else if (l == 0) {
		*rows = d->nfeat + 1;
		*pcols = 2 * o->hidden;
	} else {
		*rows = o->hidden + 1;
		*pcols = 2 * d->nout;
	}
}

void lim_train_init_states(const lim_train_opts *o, int l, int rows, int pcols, double *w)
{
	double r = o->init_sd * sqrt(3.0 / (2 * rows)) / o->gain;
	int c;

	for (c = 0; c < rows * pcols; c++) {
		double v = 0.5 + r * (2 * lim_phys_rng_uniform(o->seed ^ (0x1417ull + (uint64_t)l), (uint64_t)c) - 1);
		w[c] = v < 0 ? 0 : v > 1 ? 1 : v;
	}
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
	free(r->layer_steps);
	free(r->w);
	free(r->w2);
	free(r->source_j);
	free(r->source_name);
	free(r->source_drawn_j);
	free(r->source_returned_j);
	memset(r, 0, sizeof *r);
}

/* =====================================================================
** The engine: one transient, driven through EXTERNAL sources
** =================================================================== */

/* One crossbar of the network: its part of the deck, the vectors the
** engine reads from it, its meter and its write scheme. */
typedef struct {
	int rows, pcols;
	int nout;                    /* pairs in use: the outputs it computes */
	lim_xbar_spec x;             /* its deck part and its names */
	char prefix[LIM_XBAR_PREFIX_MAX + 1];   /* x.prefix points here */
	lim_write_scheme *ws;        /* training only */
	lim_energy_meter *meter;     /* training only */
	lim_energy_reading at_step;  /* the meter at the step's start */
	lim_energy_reading at_back;  /* when the backward read began */
	lim_energy_reading at_write; /* and when the write began */
	double *grad;                /* rows x pcols: dL/dw of each device */
	int *i_sense, *i_row, *i_w;  /* vectors: sense and row currents, device states */
	double *w_start;             /* states at the step's start */
	double *u;                   /* the row inputs of the step (rows) */
	double *w;                   /* final states (the result's), or NULL */
} array;

/* What happens at a point of a step, in order. */
typedef enum {
	EV_SAMPLE,        /* array 1's forward read (one layer: the outputs) */
	EV_HIDDEN_OUT,    /* two layers: array 2's forward read */
	EV_BACK_START,    /* two layers: the backward read begins */
	EV_BACK,          /* two layers: the backward read's sample */
	EV_WRITE_START,
	EV_CLOSE
} event_kind;

typedef struct {
	event_kind what;
	double at;                   /* into the step [s] */
} event;

typedef struct {
	/* fixed for the run */
	const lim_train_opts *o;
	const lim_dataset *d;
	lim_session *s;
	int writes;
	int narrays;                 /* 1, or 2 with a hidden layer */
	array a[2];
	int hidden;                  /* hidden units (two layers) */
	int nreads;                  /* read phases before the write */
	event ev[6];
	int nev;
	const int *order;            /* dataset row of each step */
	long nsteps;
	int ntrain;                  /* samples per epoch */
	lim_phys_dev card;               /* as simulated */
	double kt_ev, temp_c, dg, t_step, t_write;
	double v_back;               /* the backward read's largest column drive [V] */
	const lim_write_ops *wops;       /* the write scheme (training only) */
	/* the step being read and written (two layers) */
	long fwd_step, back_step;    /* the steps y and the column drives belong to */
	double *ah, *y, *fp;         /* hidden pre-activations, f(a), f'(a) */
	double *i_back, *delta_h;    /* sensed row currents, hidden errors */
	double z[64], delta[64];     /* outputs, their errors (clipped) */
	double *vcol;                /* array 2's column drives in the backward read [V] */
	double v_col;                /* per unit error [V] */
	/* the step being written */
	long plan_step;
	double err_sum2;             /* sum of (realised - intended)^2 */
	long err_n;
	/* bookkeeping in the data hook */
	int resolved;
	double t_prev, wall_prev;
	double *bk;                  /* breakpoints set and not yet passed, sorted */
	int nbk, capbk;
	long cur;
	int stage;                   /* the next event of step cur */
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

/* Every read phase's ramp corners and sample, the step's end, and the
** write's corners once it is planned. */
static void set_breakpoints(engine *e, long n)
{
	double t0 = n * e->t_step;
	int k;

	for (k = 0; k < e->nreads; k++) {
		double r0 = t0 + k * T_READ;
		bkpt(e, r0 + T_EDGE);
		bkpt(e, r0 + T_EDGE + T_SETTLE);
		bkpt(e, r0 + T_READ);
	}
	bkpt(e, t0 + e->t_step);
	for (k = 0; e->writes && e->plan_step == n && k < e->narrays; k++)
		e->wops->corners(e->a[k].ws, t0 + e->t_write, add_corner, e);
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

/* The forward read of array a: out[k] = gain (I+ - I-) / (v_read dg) of
** each of its pairs, from its column currents. */
static void forward(const engine *e, const array *a, const double *values, double *out)
{
	int k;

	for (k = 0; k < a->nout; k++) {
		double ip = values[a->i_sense[2 * k]], im = values[a->i_sense[2 * k + 1]];
		out[k] = e->o->gain * (ip - im) / (e->o->v_read * e->dg);
	}
}

/* dL/dw of each device of array a from its row inputs and its outputs'
** errors (clipped at 1): +-gain u_i delta_k on the pair's two columns. */
static void gradient(const engine *e, array *a, const double *delta)
{
	int i, p;

	for (i = 0; i < a->rows; i++)
		for (p = 0; p < a->pcols; p++)   /* dL/dw_eff, errors clipped at 1 */
			a->grad[i * a->pcols + p] = p / 2 < a->nout ?
			        e->o->gain * a->u[i] * fmax(-1, fmin(1, delta[p / 2])) : 0;
}

static double clip1(double x) { return fmax(-1, fmin(1, x)); }

/* The step's plan into its total: the schedule's figures are every
** array's; write voltage and decay the larger, clipped devices the sum. */
static void plan_total(engine *e, long n)
{
	lim_train_step *st = &e->r->steps[n];
	int l;

	for (l = 0; l < e->narrays; l++) {
		const lim_train_step *ls = &e->r->layer_steps[n * e->narrays + l];
		st->eps = ls->eps;
		st->e0_kt = ls->e0_kt;
		if (l == 0)
			st->v_c = ls->v_c;
		st->v_write = l ? fmax(st->v_write, ls->v_write) : ls->v_write;
		st->decay_kt = l ? fmax(st->decay_kt, ls->decay_kt) : ls->decay_kt;
		st->clipped += ls->clipped;
	}
}

/* The step's figures that do not belong to one array. */
static void step_record(engine *e, long n, double loss, int correct)
{
	lim_train_step *st = &e->r->steps[n];

	st->loss = loss;
	st->correct = correct;
	st->epoch = (int)(n / e->ntrain) + 1;
	st->sample = e->order[n];
}

/* One layer, at step n's sample: the forward pass from the column
** currents, the gradient, and the plan of the writes. */
static void sample_step(engine *e, long n, const double *values)
{
	const lim_dataset *d = e->d;
	array *a = &e->a[0];
	double z[64] = {0}, delta[64] = {0};
	int i, correct;
	double loss;

	forward(e, a, values, z);
	loss = loss_of(e, n, z, delta, &correct);
	if (!e->writes) {
		e->score_acc += d->nclass ? correct : 2 * loss / d->nout;
		return;
	}
	step_record(e, n, loss, correct);
	for (i = 0; i < a->rows; i++)
		a->u[i] = input(e, n, i);
	gradient(e, a, delta);
	e->wops->plan(a->ws, n + 1, a->u, delta, &e->r->layer_steps[n]);
	plan_total(e, n);
	e->plan_step = n;
}

/* Two layers, at array 1's sample: the hidden units' activations, which
** array 2's rows carry next. */
static void sample_hidden(engine *e, long n, const double *values)
{
	int j;

	forward(e, &e->a[0], values, e->ah);
	for (j = 0; j < e->hidden; j++)
		e->y[j] = lim_train_activation(e->o->activation, e->ah[j], &e->fp[j]);
	e->fwd_step = n;
}

/* Two layers, at array 2's sample: outputs, loss, errors, and the column
** drives of the backward read, +-v_back delta_k / max|delta|. */
static void sample_output(engine *e, long n, const double *values)
{
	const lim_dataset *d = e->d;
	double loss, dmax = 0;
	int k, correct;

	forward(e, &e->a[1], values, e->z);
	loss = loss_of(e, n, e->z, e->delta, &correct);
	if (!e->writes) {
		e->score_acc += d->nclass ? correct : 2 * loss / d->nout;
		return;
	}
	step_record(e, n, loss, correct);
	for (k = 0; k < d->nout; k++) {
		e->delta[k] = clip1(e->delta[k]);
		dmax = fmax(dmax, fabs(e->delta[k]));
	}
	e->v_col = dmax > 0 ? e->v_back / dmax : 0;
	for (k = 0; k < d->nout; k++) {
		e->vcol[2 * k] = e->v_col * e->delta[k];
		e->vcol[2 * k + 1] = -e->v_col * e->delta[k];
	}
	e->back_step = n;
}

/* Two layers, at the backward read's sample: the sensed row currents
** I_j = v_col dg (W delta)_j give the hidden errors (physics.md 6.4);
** then both writes are planned. */
static void sample_back(engine *e, long n, const double *values)
{
	array *a1 = &e->a[0], *a2 = &e->a[1];
	lim_train_step *ls = &e->r->layer_steps[n * 2];
	int i, j;

	for (j = 0; j < a2->rows; j++)
		e->i_back[j] = values[a2->i_row[j]];
	for (j = 0; j < e->hidden; j++)
		e->delta_h[j] = e->v_col > 0 ?
		        clip1(e->fp[j] * e->o->gain * e->i_back[j] / (e->v_col * e->dg)) : 0;
	if (e->o->pass) {
		lim_train_pass p;
		p.step = n;
		p.hidden = e->hidden;
		p.nout = e->d->nout;
		p.a = e->ah;
		p.y = e->y;
		p.z = e->z;
		p.delta = e->delta;
		p.v_col = e->v_col;
		p.i_back = e->i_back;
		p.delta_h = e->delta_h;
		e->o->pass(e->o->pass_ctx, &p);
	}
	for (i = 0; i < a1->rows; i++)
		a1->u[i] = input(e, n, i);
	for (j = 0; j < a2->rows; j++)
		a2->u[j] = j < e->hidden ? e->y[j] : j == e->hidden ? 1 : 0;
	gradient(e, a1, e->delta_h);
	gradient(e, a2, e->delta);
	e->wops->plan(a1->ws, n + 1, a1->u, e->delta_h, &ls[0]);
	e->wops->plan(a2->ws, n + 1, a2->u, e->delta, &ls[1]);
	plan_total(e, n);
	e->plan_step = n;
}

/* ---------------------------------------------------------------------
** Source values: a pure function of time once the step is planned
** ------------------------------------------------------------------- */

/* Source (kind, idx) of array k at tau into read phase `phase` of step n:
** array 1's rows carry the sample, then array 2's rows the hidden
** activations, then array 2's columns the backward drives; all else rests. */
static double read_value(const engine *e, long n, int k, lim_xbar_kind kind, int idx,
                         int phase, double tau)
{
	double trap = lim_write_trap(tau, T_EDGE + T_SETTLE, T_EDGE);

	if (phase == 0)
		return k == 0 && kind == LIM_XBAR_ROW ? e->o->v_read * input(e, n, idx) * trap : 0;
	if (phase == 1 && k == 1 && kind == LIM_XBAR_ROW && e->fwd_step == n)
		return e->o->v_read * (idx < e->hidden ? e->y[idx] : idx == e->hidden) * trap;
	if (phase == 2 && k == 1 && kind == LIM_XBAR_SENSE && e->back_step == n)
		return e->vcol[idx] * trap;
	return 0;
}

static double source_value(void *ctx, const char *name, double t)
{
	engine *e = ctx;
	long n = (long)floor(t / e->t_step);
	double tau;
	int idx, k;
	lim_xbar_kind kind;

	for (k = 0; k < e->narrays; k++)
		if (lim_xbar_parse_source(&e->a[k].x, name, &kind, &idx) == 0)
			break;
	if (n < 0 || n >= e->nsteps || k == e->narrays)
		return 0;
	tau = t - n * e->t_step;
	if (tau < e->t_write) {
		int phase = (int)(tau / T_READ);
		return read_value(e, n, k, kind, idx, phase, tau - phase * T_READ);
	}
	if (!e->writes || e->plan_step != n)
		return 0;
	return e->wops->value(e->a[k].ws, kind, idx, tau - e->t_write);
}

/* ---------------------------------------------------------------------
** The data hook: energies, events and figures as the run goes
** ------------------------------------------------------------------- */

/* The vector of name into *at; -1 after naming it in the engine's err. */
static int find(engine *e, int *at, int count, const char *const *names, const char *name)
{
	if ((*at = lim_sess_index(count, names, name)) >= 0)
		return 0;
	snprintf(e->err, sizeof e->err, "the run has no vector for %s", name);
	return -1;
}

/* The vectors the engine reads itself from array a (the meter finds its
** own). */
static int resolve_array(engine *e, array *a, int count, const char *const *names)
{
	char name[48];
	int p, i, c;

	for (p = 0; p < a->pcols; p++) {
		lim_xbar_branch_name(&a->x, LIM_XBAR_SENSE, p, name, sizeof name);
		if (find(e, &a->i_sense[p], count, names, name) != 0)
			return -1;
	}
	for (i = 0; i < a->rows; i++) {
		lim_xbar_branch_name(&a->x, LIM_XBAR_ROW, i, name, sizeof name);
		if (find(e, &a->i_row[i], count, names, name) != 0)
			return -1;
	}
	for (c = 0; c < a->rows * a->pcols; c++) {
		lim_xbar_probe_name(&a->x, c / a->pcols, c % a->pcols, "w", name, sizeof name);
		if ((a->i_w[c] = lim_sess_index(count, names, name)) < 0) {
			snprintf(e->err, sizeof e->err, "the run has no probes for device %d", c);
			return -1;
		}
	}
	if (a->meter && lim_energy_meter_resolve(a->meter, count, names, e->err, sizeof e->err) != 0)
		return -1;
	return 0;
}

static int resolve(engine *e, int count, const char *const *names)
{
	int k;

	for (k = 0; k < e->narrays; k++)
		if (resolve_array(e, &e->a[k], count, names) != 0)
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

/* Array a's part of step n into st, from its meter and its devices at
** point v; *upd_g2 gets the sum of the updated devices' g^2. */
static void close_array(engine *e, array *a, lim_train_step *st, const double *v,
                        double *upd_g2)
{
	const lim_energy_reading *at = &a->at_step;
	double half = 1 / (2 * e->card.n_c);
	lim_energy_reading now;
	int c;

	lim_energy_meter_read(a->meter, v, &now);
	st->e_trans_j = now.trans_j - at->trans_j;
	st->e_joule_j = now.joule_j - at->joule_j;
	st->e_read_j = a->at_write.supply_j - at->supply_j;
	st->e_back_j = e->nreads > 2 && a == &e->a[1] ?
	               a->at_write.supply_j - a->at_back.supply_j : 0;
	st->e_write_j = now.supply_j - a->at_write.supply_j;
	st->e_joule_write_j = now.joule_j - a->at_write.joule_j;
	st->e_wire_j = now.wire_j - at->wire_j;
	/* A barrier driver's resistor and its line's capacitance form a
	** branch with nothing else in it: its loss is what the driver supplied
	** less what the line still stores. (The trapezoid of (V/R)^2 is not
	** used: ngspice steps over the 6 ps R C tail in one go.) */
	st->e_resistor_j = now.wire_j - at->wire_j + (now.barrier_j - at->barrier_j) -
	                   (now.line_j - at->line_j);
	st->e_cap_j = now.line_j - at->line_j;
	{   /* the write phase alone: the breakdown per update */
		const lim_energy_reading *b = &a->at_write;
		st->e_trans_write_j = now.trans_j - b->trans_j;
		st->e_wire_write_j = now.wire_j - b->wire_j;
		st->e_line_j = now.line_j - b->line_j;
		st->e_barrier_loss_j = now.barrier_j - b->barrier_j - st->e_line_j;
	}
	*upd_g2 = 0;
	for (c = 0; c < a->rows * a->pcols; c++) {
		double w = v[a->i_w[c]];
		double want = e->o->card.noise == 1 ? e->wops->expected(a->ws, c, a->w_start[c]) : NAN;
		if (!isnan(want)) {
			/* the realised step against the plan's deterministic one: what
			** is left is the random hops (and the small decay while idle) */
			double d = w - a->w_start[c] - want;
			e->err_sum2 += d * d;
			e->err_n++;
		}
		if (fabs(w - a->w_start[c]) >= half) {
			double df = mixing_free_kt(w) - mixing_free_kt(a->w_start[c]);
			st->updates++;
			*upd_g2 += fmin(1, a->grad[c] * a->grad[c]);
			if (df > 0)
				st->e_free_j += df * e->card.n_c * e->kt_ev * LIM_PHYS_Q_C;
		}
		a->w_start[c] = w;
	}
	st->lim_estimate_kt = st->e0_kt + (st->updates ? st->eps * *upd_g2 / st->updates : 0);
	a->at_step = now;
}

/* The sum of every array's figures of step n into the step's total. */
static void close_step(engine *e, long n, const double *v)
{
	lim_train_step *st = &e->r->steps[n];
	double g2, g2_sum = 0;
	int l;

	for (l = 0; l < e->narrays; l++) {
		lim_train_step *ls = &e->r->layer_steps[n * e->narrays + l];
		close_array(e, &e->a[l], ls, v, &g2);
		g2_sum += g2;
		st->e_trans_j += ls->e_trans_j;
		st->e_joule_j += ls->e_joule_j;
		st->e_read_j += ls->e_read_j;
		st->e_back_j += ls->e_back_j;
		st->e_write_j += ls->e_write_j;
		st->e_joule_write_j += ls->e_joule_write_j;
		st->e_wire_j += ls->e_wire_j;
		st->e_resistor_j += ls->e_resistor_j;
		st->e_cap_j += ls->e_cap_j;
		st->e_trans_write_j += ls->e_trans_write_j;
		st->e_wire_write_j += ls->e_wire_write_j;
		st->e_line_j += ls->e_line_j;
		st->e_barrier_loss_j += ls->e_barrier_loss_j;
		st->e_free_j += ls->e_free_j;
		st->updates += ls->updates;
	}
	st->lim_estimate_kt = st->e0_kt + (st->updates ? st->eps * g2_sum / st->updates : 0);
	st->accuracy = (n ? e->r->steps[n - 1].accuracy * n : 0) + st->correct;
	st->accuracy /= n + 1;
	for (l = 0; l < e->narrays; l++) {   /* what the step was, for each array's rows */
		lim_train_step *ls = &e->r->layer_steps[n * e->narrays + l];
		ls->epoch = st->epoch;
		ls->sample = st->sample;
		ls->loss = st->loss;
		ls->correct = st->correct;
		ls->accuracy = st->accuracy;
	}
	if (e->progress)
		e->progress(e->pctx, n + 1, e->nsteps);
}

/* The operating point: every array's states and meter start here. */
static void first_point(engine *e, const double *v)
{
	int k, c;

	for (k = 0; k < e->narrays; k++) {
		array *a = &e->a[k];
		for (c = 0; c < a->rows * a->pcols; c++)
			a->w_start[c] = v[a->i_w[c]];
		if (a->meter) {
			lim_energy_meter_start(a->meter, v);
			lim_energy_meter_read(a->meter, v, &a->at_step);
		}
	}
}

/* Every array's meter now into its at_back (back) or its at_write. */
static void read_meters(engine *e, const double *v, int back)
{
	int k;

	for (k = 0; k < e->narrays; k++)
		if (e->a[k].meter)
			lim_energy_meter_read(e->a[k].meter, v, back ? &e->a[k].at_back :
			                      &e->a[k].at_write);
}

static void do_event(engine *e, event_kind what, const double *v)
{
	switch (what) {
	case EV_SAMPLE:
		if (e->narrays == 1)
			sample_step(e, e->cur, v);
		else
			sample_hidden(e, e->cur, v);
		break;
	case EV_HIDDEN_OUT:
		sample_output(e, e->cur, v);
		break;
	case EV_BACK_START:
		read_meters(e, v, 1);
		break;
	case EV_BACK:
		sample_back(e, e->cur, v);
		break;
	case EV_WRITE_START:                  /* what came before was the read */
		read_meters(e, v, 0);
		break;
	case EV_CLOSE:
		if (e->writes)
			close_step(e, e->cur, v);
		break;
	}
}

/* The step's last sample: from there its write and the next step's reads
** are known, and get their breakpoints. */
static int plans(const engine *e, event_kind what)
{
	if (e->narrays == 1)
		return what == EV_SAMPLE;
	return what == (e->writes ? EV_BACK : EV_HIDDEN_OUT);
}

/* The phase point t closes, and the wall time since the last point. */
static void time_phase(engine *e, double t)
{
	struct timespec ts;
	double now, mid = (e->t_prev + t) / 2, tau;
	int ph;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = ts.tv_sec + 1e-9 * ts.tv_nsec;
	tau = mid - floor(mid / e->t_step) * e->t_step;
	ph = tau >= e->t_write ? LIM_TRAIN_PHASE_WRITE :
	     e->nreads > 2 && tau >= 2 * T_READ ? LIM_TRAIN_PHASE_BACKWARD : LIM_TRAIN_PHASE_FORWARD;
	if (e->r && e->wall_prev > 0) {
		e->r->phase_wall_s[ph] += now - e->wall_prev;
		e->r->phase_points[ph]++;
	}
	e->wall_prev = now;
}

static void on_point(void *ctx, int count, const char *const *names, const double *v,
                     double t)
{
	engine *e = ctx;
	double tol = 1e-3 * T_PULSE;
	int k, c;

	if (e->err[0] || (!e->resolved && resolve(e, count, names) != 0))
		return;
	if (e->first_point) {                 /* the operating point: the baseline */
		e->first_point = 0;
		first_point(e, v);
	} else {
		for (k = 0; k < e->narrays; k++)
			if (e->a[k].meter)
				lim_energy_meter_point(e->a[k].meter, v, t - e->t_prev,
				                       at_breakpoint(e, e->t_prev));
	}
	time_phase(e, t);
	e->t_prev = t;
	while (e->cur < e->nsteps && t >= e->cur * e->t_step + e->ev[e->stage].at - tol) {
		event_kind what = e->ev[e->stage].what;
		do_event(e, what, v);
		if (plans(e, what)) {
			tidy_breakpoints(e);
			set_breakpoints(e, e->cur);
			if (e->cur + 1 < e->nsteps)
				set_breakpoints(e, e->cur + 1);
			tidy_breakpoints(e);
		}
		if (++e->stage == e->nev) {
			e->cur++;
			e->stage = 0;
		}
	}
	for (k = 0; k < e->narrays; k++)
		for (c = 0; e->a[k].w && c < e->a[k].rows * e->a[k].pcols; c++)
			e->a[k].w[c] = v[e->a[k].i_w[c]];
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

/* The largest |input| array k's rows see over the data: the bias's 1, the
** features for the first array (the hidden units' f is at most 1). */
static double largest_input(const engine *e, int k)
{
	double u = 1;
	int i, j;

	for (i = 0; k == 0 && i < e->d->n; i++)
		for (j = 0; j < e->d->nfeat; j++)
			u = fmax(u, fabs(e->d->x[i * e->d->nfeat + j]));
	return u;
}

/* An array's buffers; its meter and write scheme too when the engine
** trains (inference measures no energy and writes nothing). */
static int array_alloc(engine *e, int k)
{
	array *a = &e->a[k];
	size_t cells = (size_t)a->rows * a->pcols;

	a->grad = calloc(cells, sizeof *a->grad);
	a->i_sense = calloc((size_t)a->pcols, sizeof *a->i_sense);
	a->i_row = calloc((size_t)a->rows, sizeof *a->i_row);
	a->i_w = calloc(cells, sizeof *a->i_w);
	a->w_start = calloc(cells, sizeof *a->w_start);
	a->u = calloc((size_t)a->rows, sizeof *a->u);
	if (!a->grad || !a->i_sense || !a->i_row || !a->i_w || !a->w_start || !a->u)
		return -1;
	if (e->writes) {
		lim_write_setup su;
		su.o = e->o;
		su.card = e->card;
		su.rows = a->rows;
		su.pcols = a->pcols;
		su.nout = a->nout;
		su.kt_ev = e->kt_ev;
		su.temp_c = e->temp_c;
		su.u_max = largest_input(e, k);
		su.stream = (unsigned)k;
		if (!(a->meter = lim_energy_meter_new(&a->x)) || !(a->ws = e->wops->open(&su)))
			return -1;
	}
	return 0;
}

/* The events of a step and where they fall: a read phase per array
** forward, the backward read when training two layers, then the write. */
static void engine_timeline(engine *e, double write_s)
{
	double sample = T_EDGE + T_SETTLE;
	int n = 0;

	e->nreads = e->narrays == 1 ? 1 : e->writes ? 3 : 2;
	e->t_write = e->nreads * T_READ;
	e->t_step = e->t_write + write_s;
	e->ev[n++] = (event){EV_SAMPLE, sample};
	if (e->narrays == 2)
		e->ev[n++] = (event){EV_HIDDEN_OUT, T_READ + sample};
	if (e->narrays == 2 && e->writes) {
		e->ev[n++] = (event){EV_BACK_START, 2 * T_READ};
		e->ev[n++] = (event){EV_BACK, 2 * T_READ + sample};
	}
	e->ev[n++] = (event){EV_WRITE_START, e->t_write};
	e->ev[n++] = (event){EV_CLOSE, e->t_step};
	e->nev = n;
}

static int engine_alloc(engine *e)
{
	int k, h = e->hidden, no = e->d->nout;
	double write_s = 0;

	for (k = 0; k < e->narrays; k++)
		if (array_alloc(e, k) != 0)
			return -1;
	if (e->narrays == 2) {
		e->ah = calloc((size_t)h, sizeof *e->ah);
		e->y = calloc((size_t)h, sizeof *e->y);
		e->fp = calloc((size_t)h, sizeof *e->fp);
		e->delta_h = calloc((size_t)h, sizeof *e->delta_h);
		e->i_back = calloc((size_t)h + 1, sizeof *e->i_back);
		e->vcol = calloc(2 * (size_t)no, sizeof *e->vcol);
		if (!e->ah || !e->y || !e->fp || !e->delta_h || !e->i_back || !e->vcol)
			return -1;
	}
	for (k = 0; e->writes && k < e->narrays; k++)   /* both arrays write at once */
		write_s = fmax(write_s, e->wops->length(e->a[k].ws));
	engine_timeline(e, write_s);
	return 0;
}

static void engine_free(engine *e)
{
	int k;

	for (k = 0; k < e->narrays; k++) {
		array *a = &e->a[k];
		free(a->grad); free(a->i_sense); free(a->i_row); free(a->i_w); free(a->w_start);
		free(a->u);
		lim_energy_meter_free(a->meter);
		if (a->ws)
			e->wops->close(a->ws);
	}
	free(e->ah); free(e->y); free(e->fp); free(e->delta_h); free(e->i_back); free(e->vcol);
	free(e->bk);
}

/* Writes the deck of every array (array k's states w0[k], NULL: the
** card's), runs it with the hooks, and leaves the plot. */
static int engine_run(engine *e, const double *const *w0)
{
	lim_xbar_spec x[2];
	char *text = NULL, an[256];
	size_t len = 0;
	FILE *f;
	int rc, k;

	/* a short tail, so the last step's end is an ordinary accepted point */
	snprintf(an, sizeof an, ".temp %.10g\n.tran %.6g %.10g 0 %.6g", e->temp_c,
	         e->t_step / 10, e->nsteps * e->t_step + T_READ, e->t_step / 4);
	for (k = 0; k < e->narrays; k++) {
		x[k] = e->a[k].x;
		x[k].w0 = w0 ? w0[k] : NULL;
		x[k].analysis = an;
		if (lim_xbar_check(&x[k], e->err, sizeof e->err) != 0)
			return -1;
	}
	if (!(f = open_memstream(&text, &len)))
		return -1;
	rc = lim_xbar_write_deck(f, x, e->narrays);
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

/* Array k: rows x pcols devices, a pair per output, prefix P (none: ""). */
static void array_init(engine *e, int k, int rows, int pcols, int nout, const char *prefix)
{
	const lim_train_opts *o = e->o;
	array *a = &e->a[k];

	a->rows = rows;
	a->pcols = pcols;
	a->nout = nout;
	snprintf(a->prefix, sizeof a->prefix, "%s", prefix);
	lim_xbar_default(&a->x);
	a->x.prefix = a->prefix;
	a->x.rows = rows;
	a->x.cols = pcols / 2;
	a->x.differential = 1;
	a->x.r_wire_ohm = o->r_wire_ohm;
	a->x.r_barrier_ohm = o->r_barrier_ohm;
	a->x.c_gate_f = o->c_gate_f;
	a->x.c_line_f = o->c_line_f;
	a->x.barrier = LIM_XBAR_BARRIER_COL;
	a->x.card = e->card;
	a->x.osdi = lim_sess_osdi(e->s);   /* instance lines where the session runs the .osdi */
	a->x.save_probes = 1;
	a->x.save_nodes = o->r_wire_ohm > 0;
	/* Everything is reduced point by point in the data hook; without this
	** ngspice keeps every saved vector of the whole run (0.2 GB a step on
	** a 65 x 20 array). */
	a->x.save_none = !o->keep_history;
	a->x.source = external;
}

/* The prefixes of a two-layer deck's arrays (xbar.h: not ending in a digit). */
static const char *const layer_prefix[2] = {"l1_", "l2_"};

/* The engine for o's network on d; rows x pcols is the one-layer array
** (two layers size theirs by the data and o->hidden). */
static void engine_init(engine *e, lim_session *s, const lim_dataset *d, const lim_train_opts *o,
                        int rows, int pcols)
{
	memset(e, 0, sizeof *e);
	e->s = s;
	e->d = d;
	e->o = o;
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
	e->plan_step = e->fwd_step = e->back_step = -1;
	e->v_back = o->v_back > 0 ? o->v_back : o->v_read;
	if (o->hidden <= 0) {
		e->narrays = 1;
		array_init(e, 0, rows, pcols, d->nout, "");
		return;
	}
	e->narrays = 2;
	e->hidden = o->hidden;
	for (int l = 0; l < 2; l++) {
		int r, p;
		lim_train_layer_size(d, o, l, &r, &p);
		array_init(e, l, r, p, l ? d->nout : o->hidden, layer_prefix[l]);
	}
}

static int check_fit(const lim_dataset *d, const lim_train_opts *o, int *rows, int *pcols,
                     char *err, size_t n)
{
	int need_r, need_p;

	if (d->nout > 64) {
		snprintf(err, n, "%s has %d outputs: at most 64", d->name, d->nout);
		return -1;
	}
	if (o->hidden > 0) {
		if (o->hidden > LIM_TRAIN_HIDDEN_MAX || o->rows || o->pcols || d->nfeat + 1 > LIM_XBAR_MAX_SIDE) {
			snprintf(err, n, "%d hidden units: expected 1 to %d, a data set of at most %d "
			         "features, and no array size of its own (the data and the hidden "
			         "units size both arrays)", o->hidden, LIM_TRAIN_HIDDEN_MAX,
			         LIM_XBAR_MAX_SIDE - 1);
			return -1;
		}
		lim_train_layer_size(d, o, 0, rows, pcols);
		return 0;
	}
	lim_train_array_size(d, &need_r, &need_p);
	*rows = o->rows ? o->rows : need_r;
	*pcols = o->pcols ? o->pcols : need_p;
	if (*rows < need_r || *pcols < need_p || *pcols % 2) {
		snprintf(err, n, "a %d x %d array is too small for %s: it needs at least %d rows "
		         "(%d features and a bias) and %d columns (a pair per output)", *rows, *pcols,
		         d->name, need_r, d->nfeat, need_p);
		return -1;
	}
	return 0;
}

long lim_train_planned_steps(const lim_train_opts *o, int ntrain)
{
	return o->max_steps ? o->max_steps : (long)o->epochs * ntrain;
}

/* An array's totals over the run from its per-step figures. */
static void sum_energy(const lim_train_step *steps, long nsteps, int stride,
                       lim_train_energy *t)
{
	long i;

	memset(t, 0, sizeof *t);
	for (i = 0; i < nsteps; i++) {
		const lim_train_step *st = &steps[i * stride];
		t->read_j += st->e_read_j;
		t->back_j += st->e_back_j;
		t->write_j += st->e_write_j;
		t->trans_j += st->e_trans_j;
		t->joule_j += st->e_joule_j;
		t->resistor_j += st->e_resistor_j;
		t->cap_j += st->e_cap_j;
		t->wire_j += st->e_wire_j;
		t->joule_write_j += st->e_joule_write_j;
		t->updates += st->updates;
		t->estimate_kt += st->lim_estimate_kt * st->updates;
		t->decay_max = fmax(t->decay_max, st->decay_kt);
	}
	t->supply_j = t->read_j + t->write_j;
}

/* The order the steps visit the training rows: each epoch a new shuffle. */
static int *step_order(const lim_train_opts *o, const int *train, int ntrain, long steps)
{
	int *order = malloc((size_t)steps * sizeof *order), k;
	long i;

	for (i = 0; order && i < steps; i++) {
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
	return order;
}

/* The sources' names of every array, in deck order, into r. */
static int name_sources(const engine *e, lim_train_result *r)
{
	int k, l, at = 0;

	for (l = 0; l < e->narrays; l++)
		r->nsources += lim_xbar_nsources(&e->a[l].x);
	r->source_j = calloc((size_t)r->nsources, sizeof *r->source_j);
	r->source_name = calloc((size_t)r->nsources, sizeof *r->source_name);
	r->source_drawn_j = calloc((size_t)r->nsources, sizeof *r->source_drawn_j);
	r->source_returned_j = calloc((size_t)r->nsources, sizeof *r->source_returned_j);
	if (!r->source_j || !r->source_name || !r->source_drawn_j || !r->source_returned_j)
		return -1;
	for (l = 0; l < e->narrays; l++)
		for (k = 0; k < lim_xbar_nsources(&e->a[l].x); k++, at++) {
			lim_xbar_kind kind;
			int idx;
			lim_xbar_source_at(&e->a[l].x, k, &kind, &idx);
			lim_xbar_source_name(&e->a[l].x, kind, idx, r->source_name[at],
			                     sizeof r->source_name[at]);
		}
	return 0;
}

int lim_train_run(lim_session *s, const lim_dataset *d, const int *train, int ntrain,
                  const lim_train_opts *o, lim_train_result *r, lim_train_progress_fn progress,
                  void *pctx, char *err, size_t n)
{
	lim_train_opts oo = *o;
	engine e;
	int rows, pcols, *order = NULL, rc = -1, k, l;
	double *w0[2] = {NULL, NULL};
	const double *init[2];
	long steps, i;

	memset(r, 0, sizeof *r);
	if (check_fit(d, o, &rows, &pcols, err, n) != 0)
		return -1;
	oo.sched.ln_r1_over_rmax = log(o->r1_hz / o->card.r_max);
	steps = lim_train_planned_steps(o, ntrain);
	if (!(order = step_order(o, train, ntrain, steps))) {
		snprintf(err, n, "out of memory");
		return -1;
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
	r->layers = e.narrays;
	r->rows = rows;
	r->pcols = pcols;
	r->steps = calloc((size_t)steps, sizeof *r->steps);
	r->layer_steps = calloc((size_t)steps * e.narrays, sizeof *r->layer_steps);
	r->w = calloc((size_t)rows * pcols, sizeof *r->w);
	if (e.narrays == 2) {
		r->rows2 = e.a[1].rows;
		r->pcols2 = e.a[1].pcols;
		r->w2 = calloc((size_t)r->rows2 * r->pcols2, sizeof *r->w2);
	}
	if (!r->steps || !r->layer_steps || !r->w || (e.narrays == 2 && !r->w2) ||
	    name_sources(&e, r) != 0 || engine_alloc(&e) != 0) {
		snprintf(err, n, "out of memory");
		goto done;
	}
	e.a[0].w = r->w;
	e.a[1].w = r->w2;
	for (l = 0; l < e.narrays; l++) {   /* two layers start from a seeded spread */
		init[l] = o->w_init[l];
		if (!init[l] && e.narrays == 2) {
			if (!(w0[l] = malloc((size_t)e.a[l].rows * e.a[l].pcols * sizeof *w0[l]))) {
				snprintf(err, n, "out of memory");
				goto done;
			}
			lim_train_init_states(o, l, e.a[l].rows, e.a[l].pcols, w0[l]);
			init[l] = w0[l];
		}
	}
	if (engine_run(&e, init[0] || e.narrays == 2 ? init : NULL) != 0) {
		snprintf(err, n, "%s", e.err);
		goto done;
	}
	for (l = 0, k = 0; l < e.narrays; l++) {
		int j;
		for (j = 0; j < lim_xbar_nsources(&e.a[l].x); j++, k++) {
			r->source_j[k] = lim_energy_meter_source_j(e.a[l].meter, j);
			lim_energy_meter_source_flow(e.a[l].meter, j, &r->source_drawn_j[k],
			                             &r->source_returned_j[k]);
		}
		sum_energy(r->layer_steps + l, steps, e.narrays, &r->layer[l]);
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
		r->cap_j += st->e_cap_j;
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
	free(w0[0]);
	free(w0[1]);
	if (rc)
		lim_train_result_free(r);
	return rc;
}

/* Reads idx through the arrays holding w[0..narrays). */
static int infer(lim_session *s, const lim_dataset *d, const int *idx, int nidx,
                 const lim_train_opts *o, int rows, int pcols, const double *const *w,
                 double *score, int *pred, char *err, size_t n)
{
	engine e;
	int rc;

	if (check_fit(d, o, &rows, &pcols, err, n) != 0)
		return -1;
	engine_init(&e, s, d, o, rows, pcols);
	e.order = idx;
	e.nsteps = nidx;
	e.pred = pred;
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

int lim_train_infer(lim_session *s, const lim_dataset *d, const int *idx, int nidx,
                    const lim_train_opts *o, int rows, int pcols, const double *w,
                    double *score, int *pred, char *err, size_t n)
{
	lim_train_opts oo = *o;

	oo.rows = rows;
	oo.pcols = pcols;
	oo.hidden = 0;
	return infer(s, d, idx, nidx, &oo, rows, pcols, &w, score, pred, err, n);
}

int lim_train_infer2(lim_session *s, const lim_dataset *d, const int *idx, int nidx,
                     const lim_train_opts *o, const double *w, const double *w2,
                     double *score, int *pred, char *err, size_t n)
{
	const double *ws[2] = {w, w2};

	if (o->hidden <= 0) {
		snprintf(err, n, "two arrays need hidden units (hidden > 0)");
		return -1;
	}
	return infer(s, d, idx, nidx, o, 0, 0, ws, score, pred, err, n);
}

/* Holds n arrays (sizes rows[k] x pcols[k], prefixes pre[k]) in one deck;
** w[k] gets each array's states after. */
static int hold(lim_session *s, const lim_train_opts *o, int narr, const int *rows,
                const int *pcols, const char *const *pre, double *const *w,
                double duration_s, double temp_k, char *err, size_t n)
{
	lim_xbar_spec x[2];
	char *text = NULL, an[256], why[256];
	size_t len = 0;
	FILE *f;
	int k, rc;

	snprintf(an, sizeof an, ".temp %.10g\n.tran %.6g %.6g", temp_k - LIM_PHYS_ZERO_C_IN_K,
	         duration_s / 100, duration_s);
	for (k = 0; k < narr; k++) {
		lim_xbar_default(&x[k]);
		x[k].prefix = pre[k];
		x[k].rows = rows[k];
		x[k].cols = pcols[k] / 2;
		x[k].differential = 1;
		x[k].barrier = LIM_XBAR_BARRIER_COL;
		x[k].card = o->card;
		x[k].osdi = lim_sess_osdi(s);
		if (o->mode == LIM_TRAIN_CONVENTIONAL)
			x[k].card.kappa = 0;
		x[k].w0 = w[k];
		x[k].v_read = 0;                   /* no drivers: every source at 0 V */
		/* Nothing moves on the barrier lines during a hold; their capacitors
		** would only pin ngspice's step at seconds (its truncation check on
		** an uncharged capacitor), and a hold lasts years. */
		x[k].c_gate_f = x[k].c_line_f = 0;
		x[k].r_barrier_ohm = 0;
		x[k].save_probes = 1;
		x[k].save_none = !o->keep_history;   /* the states are read with lim_sess_last */
		x[k].analysis = an;
		if (lim_xbar_check(&x[k], err, n) != 0)
			return -1;
	}
	if (!(f = open_memstream(&text, &len)))
		return -1;
	lim_xbar_write_deck(f, x, narr);
	fclose(f);
	lim_sess_reset(s);
	rc = lim_sess_load_text(s, text) == 0 && lim_sess_run(s) == 0 ? 0 : -1;
	free(text);
	if (rc != 0) {
		snprintf(err, n, "hold: ngspice: %s", lim_sess_error(s));
		return -1;
	}
	for (k = 0; k < narr; k++)
		if (lim_xbar_read_states(s, &x[k], w[k], why, sizeof why) != 0) {
			snprintf(err, n, "hold: %s", why);
			return -1;
		}
	return 0;
}

int lim_train_hold(lim_session *s, const lim_train_opts *o, int rows, int pcols, double *w,
                   double duration_s, double temp_k, char *err, size_t n)
{
	static const char *const none[1] = {""};

	return hold(s, o, 1, &rows, &pcols, none, &w, duration_s, temp_k, err, n);
}

int lim_train_hold2(lim_session *s, const lim_train_opts *o, const lim_dataset *d, double *w,
                    double *w2, double duration_s, double temp_k, char *err, size_t n)
{
	int rows[2], pcols[2], l;
	double *ws[2] = {w, w2};

	if (o->hidden <= 0) {
		snprintf(err, n, "two arrays need hidden units (hidden > 0)");
		return -1;
	}
	for (l = 0; l < 2; l++)
		lim_train_layer_size(d, o, l, &rows[l], &pcols[l]);
	return hold(s, o, 2, rows, pcols, layer_prefix, ws, duration_s, temp_k, err, n);
}
