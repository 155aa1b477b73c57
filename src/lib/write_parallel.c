/*
** write_parallel.c - the parallel writes: every device of the array learns
** in one window (physics.md section 6). See LICENSE for copyright.
**
** LIM: the outer product dw_ip = -c u_i v_p goes to the two sides of the
** array. Row i pulses for t_i = tau |u_i| / U; column p's barrier line sets
** its rate, k_p = K |v_p| / V, by lowering the barrier to E_B,n + kT
** ln(V / |v_p|) (Eq. 6.2): a log encoding. Two phases give the signs: in A
** the columns with v_p < 0 are lowered and each row pulses with the sign of
** u_i, in B those with v_p > 0, rows with the opposite sign. Row widths are
** whole slots of tau / BL, rounded stochastically (seeded) so that the
** expected width is exact; a column with |v_p| < f V is not written.
**
** Conventional: a fixed barrier, so selection is by coincidence of
** half-voltage pulse trains in BL slots. Row i is active in its first n_i =
** round(BL |u_i| / U) slots, column p in m_p = round(BL |v_p| / V) slots
** spread with a seeded offset; a device sees the full write voltage only
** where both are active, E[coincidences] = n_i m_p / BL. Four sub-phases,
** one per quadrant of (sign u_i, sign v_p), give the signs.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

/* The stream of the scheme's draws: stochastic rounding of widths,
** barrier levels and slot offsets. */
enum { DRAW_ROW = 1, DRAW_LEVEL = 2, DRAW_OFFSET = 3 };

struct lim_write_scheme {
	lim_write_setup su;
	int conventional;
	double h;               /* tanh(x/2)/2 at the write tilt */
	double v_w;             /* the LIM write voltage (the tilt) [V] */
	double tau_max;         /* LIM: the longest row pulse of the run [s] */
	double t_phase;         /* one phase (LIM) or sub-phase (conventional) [s] */
	double t_slot;          /* one slot [s] */
	/* the step being written */
	long n;
	double v_c;             /* LIM: the step's barrier, V_c,n [V] */
	double v_base;          /* LIM: the control the columns are lowered from [V] */
	double v_cw;            /* conventional: the write voltage [V] */
	double tau;             /* LIM: the step's longest pulse [s] */
	double *u, *v;          /* row inputs, column errors v_p (+-delta) */
	int *slots;             /* per row: its pulse in slots (LIM) or active slots */
	double *vc_col;         /* LIM, per column: its barrier control [V]; 0 not written */
	unsigned char *active;  /* conventional: pcols x BL, column p active in slot s */
	int used[4];            /* whether phase (LIM) or sub-phase q writes anything:
	                           planned once, read at every time point */
};

static void close_parallel(lim_write_scheme *w)
{
	if (!w)
		return;
	free(w->u);
	free(w->v);
	free(w->slots);
	free(w->vc_col);
	free(w->active);
	free(w);
}

/* A draw in [0, 1) for step n, kind and index. */
static double draw(const lim_write_scheme *w, int kind, int idx)
{
	uint64_t c = ((uint64_t)w->n << 24) ^ ((uint64_t)kind << 20) ^ (uint64_t)idx;

	return lim_phys_rng_uniform(w->su.o->seed ^ 0x5eedull ^ ((uint64_t)w->su.stream << 56), c);
}

/* x rounded to a neighbouring whole number, up with probability frac(x). */
static int round_stochastic(double x, double r)
{
	double f = floor(x);

	return (int)f + (r < x - f);
}

static lim_write_scheme *open_any(const lim_write_setup *su, int conventional)
{
	lim_write_scheme *w = calloc(1, sizeof *w);
	const lim_train_opts *o = su->o;
	int bl = o->slots;

	if (!w)
		return NULL;
	w->su = *su;
	w->conventional = conventional;
	w->u = calloc((size_t)su->rows, sizeof *w->u);
	w->v = calloc((size_t)su->pcols, sizeof *w->v);
	w->slots = calloc((size_t)su->rows, sizeof *w->slots);
	w->vc_col = calloc((size_t)su->pcols, sizeof *w->vc_col);
	w->active = calloc((size_t)su->pcols * bl, 1);
	if (!w->u || !w->v || !w->slots || !w->vc_col || !w->active) {
		close_parallel(w);
		return NULL;
	}
	w->h = tanh(o->tilt_kt / 2) / 2;
	w->v_w = o->tilt_kt * su->kt_ev / o->card.z;
	{   /* tau = c U V / (h K) is largest at step 1, with U the data's
	    ** largest input and V = 1 (errors are clipped) */
		double v_c, k, e0, eps;
		lim_write_step_barrier(su, 1, &v_c, &k, &e0, &eps);
		w->tau_max = o->eta * eps * o->gain / 2 * su->u_max / (w->h * k);
		w->tau_max = fmax(w->tau_max, bl * o->min_slot_s);   /* plan_lim's shortest */
	}
	if (!conventional) {
		w->t_slot = w->tau_max / bl;
		w->t_phase = 2 * lim_write_bedge(&w->su) + 2 * T_GUARD + w->tau_max + T_PULSE;
	} else {
		/* the LIM write's slots of the same run, so both memories write in
		** windows of one length; at least a few ramps long */
		w->t_slot = fmax(w->tau_max / bl, 4 * T_PULSE);
		w->t_phase = bl * w->t_slot;
	}
	return w;
}

static lim_write_scheme *open_lim(const lim_write_setup *su) { return open_any(su, 0); }
static lim_write_scheme *open_conv(const lim_write_setup *su) { return open_any(su, 1); }

/* Two phases (LIM) or four quadrant sub-phases (conventional). */
static double length(const lim_write_scheme *w)
{
	return (w->conventional ? 4 : 2) * w->t_phase;
}

/* The step's inputs and column errors; U and V, their largest sizes. */
static void take_step(lim_write_scheme *w, long n, const double *u, const double *delta,
                      double *umax, double *vmax)
{
	int i, p;

	w->n = n;
	*umax = *vmax = 0;
	for (i = 0; i < w->su.rows; i++) {
		w->u[i] = u[i];
		*umax = fmax(*umax, fabs(u[i]));
	}
	for (p = 0; p < w->su.pcols; p++) {
		double d = p / 2 < w->su.nout ? fmax(-1, fmin(1, delta[p / 2])) : 0;
		w->v[p] = p % 2 ? -d : d;             /* plus column +delta, minus -delta */
		*vmax = fmax(*vmax, fabs(w->v[p]));
	}
}

/* The barrier control that puts column p's rate at K |v_p| / V (Eq. 6.2),
** rounded to one of L levels over [0, kT ln(1/f)] when L > 0 (upper or
** lower level drawn with a probability linear in the rate). */
static double column_vc(const lim_write_scheme *w, int p, double vmax)
{
	const lim_train_opts *o = w->su.o;
	double lift_kt = log(vmax / fabs(w->v[p])), v_c;   /* E_B,p - E_B,n [kT] */

	if (o->levels > 1) {
		double span = log(1 / o->floor), step = span / (o->levels - 1);
		double lo = floor(lift_kt / step) * step, hi = lo + step;
		double r_lo = exp(-lo), r_hi = exp(-hi), r = exp(-lift_kt);
		lift_kt = draw(w, DRAW_LEVEL, p) < (r - r_hi) / (r_lo - r_hi) ? lo : hi;
	}
	v_c = w->v_base - lift_kt * w->su.kt_ev / o->card.kappa;
	return v_c > 0 ? v_c : 0;
}

/* Row i's pulse width [s] in the step being written. */
static double row_width(const lim_write_scheme *w, int i)
{
	return w->slots[i] * (w->tau / w->su.o->slots);
}

/* Phase 0 (A) lowers the columns with v_p < 0, phase 1 (B) those > 0. */
static int in_phase(const lim_write_scheme *w, int p, int phase)
{
	return w->vc_col[p] > 0 && (phase ? w->v[p] > 0 : w->v[p] < 0);
}

static int phase_used(const lim_write_scheme *w, int phase)
{
	int p;

	for (p = 0; phase < 2 && p < w->su.pcols; p++)
		if (in_phase(w, p, phase))
			return 1;
	return 0;
}

/* Which of the four (sub-)phases write anything this step. */
static void plan_used(lim_write_scheme *w, int (*used)(const lim_write_scheme *, int))
{
	int q;

	for (q = 0; q < 4; q++)
		w->used[q] = used(w, q);
}

/* The span a phase's lines stay low: edge, guard, the longest pulse and
** its fall, guard. */
static double low_span(const lim_write_scheme *w)
{
	return lim_write_bedge(&w->su) + T_GUARD + w->tau + T_PULSE + T_GUARD;
}

static void plan_lim(lim_write_scheme *w, long n, const double *u, const double *delta,
                     lim_train_step *st)
{
	const lim_write_setup *su = &w->su;
	const lim_train_opts *o = su->o;
	double umax, vmax, k, e0, eps, c, idle = 0, tau_min = o->slots * o->min_slot_s;
	int i, p;

	lim_write_step_barrier(su, n, &w->v_c, &k, &e0, &eps);
	take_step(w, n, u, delta, &umax, &vmax);
	c = o->eta * eps * o->gain / 2;
	w->tau = umax > 0 && vmax > 0 ? c * umax * vmax / (w->h * k) : 0;
	if (w->tau > w->tau_max)
		w->tau = w->tau_max;            /* only when U exceeds the data's */
	/* A slot must stay above the driver's shortest pulse (physics.md 6),
	** --min-slot. On a ramp the rate is not proportional to the drive:
	** with slots of one ramp (0.1 ns) the devices missed their dw by up to
	** 3.8 %, of three 1.3 %, of ten 0.4 % (t-write, R1 = 2e8 /s). A shorter
	** tau is stretched and every column's barrier raised by kT
	** ln(stretch), which keeps every k_p t_i; the longer pulses cost row
	** conduction (Iris: 0.99e-15 J per update with no minimum, 1.02e-15
	** with 0.3 ns, 1.29e-15 with 1 ns). */
	w->v_base = w->v_c;
	if (w->tau > 0 && w->tau < tau_min) {
		w->v_base -= log(tau_min / w->tau) * su->kt_ev / o->card.kappa;
		w->tau = tau_min;
	}
	for (i = 0; i < su->rows; i++)
		w->slots[i] = w->tau > 0 ?
		              round_stochastic(o->slots * fabs(u[i]) / umax, draw(w, DRAW_ROW, i)) : 0;
	for (p = 0; p < su->pcols; p++) {
		w->vc_col[p] = 0;
		if (w->tau > 0 && fabs(w->v[p]) >= o->floor * vmax && w->v[p] != 0)
			w->vc_col[p] = column_vc(w, p, vmax);
		/* a = c |u_i v_p| / h past 0.05: the update falls short of the
		** linear one by over 2.5 % (physics.md 6), reported as clipped */
		for (i = 0; w->vc_col[p] > 0 && i < su->rows; i++)
			st->clipped += w->slots[i] > 0 && c * fabs(u[i] * w->v[p]) / w->h > 0.05;
	}
	/* the longest a device sits with its barrier low and no pulse, in
	** units of its rate there: k_p (T_low - t_i) / cosh(x/2) */
	for (p = 0; p < su->pcols; p++) {
		lim_phys_rates r0;
		if (w->vc_col[p] <= 0)
			continue;
		lim_phys_dev_rates(&o->card, su->temp_c, 0, w->vc_col[p], &r0);
		for (i = 0; i < su->rows; i++)
			idle = fmax(idle, (r0.rf + r0.rr) * (low_span(w) - row_width(w, i)));
	}
	plan_used(w, phase_used);
	st->eps = eps;
	st->e0_kt = e0;
	st->v_c = w->v_c;
	st->v_write = w->v_w;
	st->decay_kt = idle;
}

static void corners_lim(const lim_write_scheme *w, double start,
                        void (*add)(void *ctx, double t), void *ctx)
{
	double s0 = lim_write_bedge(&w->su) + T_GUARD, span = low_span(w);
	int phase, i, s;

	for (phase = 0; phase < 2; phase++) {
		double a = start + phase * w->t_phase;
		unsigned char seen[LIM_XBAR_MAX_SIDE + 1] = {0};
		if (!w->used[phase])
			continue;
		lim_write_barrier_corner(&w->su, a, add, ctx);
		lim_write_barrier_corner(&w->su, a + lim_write_bedge(&w->su), add, ctx);
		lim_write_barrier_corner(&w->su, a + span, add, ctx);
		lim_write_barrier_corner(&w->su, a + span + lim_write_bedge(&w->su), add, ctx);
		add(ctx, a + s0);
		add(ctx, a + s0 + T_PULSE);
		for (i = 0; i < w->su.rows; i++) {   /* a fall per distinct width */
			s = w->slots[i];
			if (s <= 0 || s > LIM_XBAR_MAX_SIDE || seen[s]++)
				continue;
			add(ctx, a + s0 + row_width(w, i));
			add(ctx, a + s0 + row_width(w, i) + T_PULSE);
		}
	}
}

static double value_lim(const lim_write_scheme *w, lim_xbar_kind kind, int idx, double t)
{
	int phase = t < w->t_phase ? 0 : 1;
	double u = t - phase * w->t_phase, be = lim_write_bedge(&w->su);

	if (phase > 1 || u >= w->t_phase)
		return 0;
	if (kind == LIM_XBAR_BARRIER)
		return in_phase(w, idx, phase) ?
		       w->vc_col[idx] * lim_write_trap(u, low_span(w), be) : 0;
	if (kind == LIM_XBAR_ROW && idx < w->su.rows && w->slots[idx] > 0 && w->used[phase]) {
		double pol = w->u[idx] > 0 ? 1 : -1;
		if (phase)
			pol = -pol;
		return pol * w->v_w * lim_write_trap(u - be - T_GUARD, row_width(w, idx), T_PULSE);
	}
	return 0;
}

static double expected_lim(const lim_write_scheme *w, int c, double w_start)
{
	const lim_write_setup *su = &w->su;
	int i = c / su->pcols, p = c % su->pcols;
	double s, weq, t;
	lim_phys_rates r;

	if (w->vc_col[p] <= 0 || w->slots[i] <= 0 || w->u[i] == 0)
		return NAN;
	s = (w->u[i] > 0) == (w->v[p] < 0) ? 1 : -1;   /* the tilt's sign: -u v */
	lim_phys_dev_rates(&su->o->card, su->temp_c, s * w->v_w, w->vc_col[p], &r);
	weq = 1 / (1 + exp(-s * su->o->tilt_kt));
	t = row_width(w, i);
	return (weq - w_start) * -expm1(-(r.rf + r.rr) * t);
}

/* ---------------------------------------------------------------------
** Conventional: coincidence of half-voltage trains
** ------------------------------------------------------------------- */

/* Sub-phase q: rows with sign(u) = su, columns with sign(v) = sv. */
static void quadrant(int q, int *su, int *sv)
{
	*su = q & 1 ? -1 : 1;
	*sv = q & 2 ? -1 : 1;
}

static int sign_of(double x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }

static int row_on(const lim_write_scheme *w, int i, int q, int s)
{
	int su, sv;

	quadrant(q, &su, &sv);
	return sign_of(w->u[i]) == su && s < w->slots[i];
}

static int col_on(const lim_write_scheme *w, int p, int q, int s)
{
	int su, sv;

	quadrant(q, &su, &sv);
	return sign_of(w->v[p]) == sv && w->active[p * w->su.o->slots + s];
}

/* Whether sub-phase q has a row and a column active: else it is skipped. */
static int quadrant_used(const lim_write_scheme *w, int q)
{
	int i, p, s, rows = 0, cols = 0, bl = w->su.o->slots;

	for (i = 0; i < w->su.rows && !rows; i++)
		rows = row_on(w, i, q, 0);
	for (p = 0; p < w->su.pcols && !cols; p++)
		for (s = 0; s < bl && !cols; s++)
			cols = col_on(w, p, q, s);
	return rows && cols && w->v_cw > 0;
}

static void plan_conv(lim_write_scheme *w, long n, const double *u, const double *delta,
                      lim_train_step *st)
{
	const lim_write_setup *su = &w->su;
	const lim_train_opts *o = su->o;
	int bl = o->slots, i, p, s;
	double umax, vmax, k, e0, eps, v_c;

	lim_write_step_barrier(su, n, &v_c, &k, &e0, &eps);
	take_step(w, n, u, delta, &umax, &vmax);
	for (i = 0; i < su->rows; i++)
		w->slots[i] = umax > 0 ? (int)lround(bl * fabs(u[i]) / umax) : 0;
	for (p = 0; p < su->pcols; p++) {
		int m = vmax > 0 ? (int)lround(bl * fabs(w->v[p]) / vmax) : 0;
		double off = (floor(draw(w, DRAW_OFFSET, p) * bl) + 0.5) / bl;
		if (fabs(w->v[p]) < o->floor * vmax)
			m = 0;
		/* m slots, evenly spread: slot s is active where the count of
		** multiples of BL / m passes a whole number (physics.md 6) */
		for (s = 0; s < bl; s++)
			w->active[p * bl + s] = floor((s + 1) * (double)m / bl + off) >
			                        floor(s * (double)m / bl + off);
	}
	/* one coincidence moves c U V / BL: a device with n_i m_p = BL^2
	** coincides BL times and gets the whole c U V */
	w->v_cw = umax > 0 && vmax > 0 ?
	          lim_write_fixed_barrier_voltage(su, o->eta * eps * o->gain / 2 * umax * vmax / bl,
	                                          w->t_slot - T_PULSE) : 0;   /* the slot's FWHM */
	plan_used(w, quadrant_used);
	st->eps = eps;
	st->e0_kt = e0;
	st->v_c = 0;
	st->v_write = w->v_cw;
	st->decay_kt = 0;
}

static void corners_conv(const lim_write_scheme *w, double start,
                         void (*add)(void *ctx, double t), void *ctx)
{
	int q, s, bl = w->su.o->slots;

	for (q = 0; q < 4; q++) {
		double a = start + q * w->t_phase;
		if (!w->used[q])
			continue;
		for (s = 0; s < bl; s++) {      /* every slot's ramps */
			double b = a + s * w->t_slot;
			add(ctx, b);
			add(ctx, b + T_PULSE);
			add(ctx, b + w->t_slot - T_PULSE);
			add(ctx, b + w->t_slot);
		}
	}
}

static double value_conv(const lim_write_scheme *w, lim_xbar_kind kind, int idx, double t)
{
	int q = (int)floor(t / w->t_phase), s, su, sv, on;
	double u = t - q * w->t_phase, pol;

	if (q < 0 || q > 3 || !w->used[q])
		return 0;
	s = (int)floor(u / w->t_slot);
	if (s < 0 || s >= w->su.o->slots)
		return 0;
	quadrant(q, &su, &sv);
	pol = -su * sv;                       /* the sign of -u v in this quadrant */
	if (kind == LIM_XBAR_ROW)
		on = idx < w->su.rows && row_on(w, idx, q, s);
	else if (kind == LIM_XBAR_SENSE)
		on = idx < w->su.pcols && col_on(w, idx, q, s);
	else
		return 0;
	if (!on)
		return 0;
	/* a row at +pol V/2 and a column at -pol V/2: pol V across the device */
	return (kind == LIM_XBAR_ROW ? 0.5 : -0.5) * pol * w->v_cw *
	       lim_write_trap(u - s * w->t_slot, w->t_slot - T_PULSE, T_PULSE);
}

/* The conventional rule is not compared with the noise (as serial). */
static double expected_conv(const lim_write_scheme *w, int c, double w_start)
{
	(void)w; (void)c; (void)w_start;
	return NAN;
}

const lim_write_ops lim_write_parallel_lim = {
	"parallel", open_lim, close_parallel, length, plan_lim, corners_lim, value_lim,
	expected_lim
};

const lim_write_ops lim_write_parallel_conventional = {
	"parallel", open_conv, close_parallel, length, plan_conv, corners_conv, value_conv,
	expected_conv
};
