/*
** phys_theory.c - Eqs. 1-7 of physics.md, schedules, sums and projection.
** See LICENSE for copyright.
*/
#include <math.h>

#include "phys.h"

#define LN2 0.69314718055994530942

/* ---------------------------------------------------------------------
** Eqs. 1, 3, 4
** ------------------------------------------------------------------- */

double lim_phys_ln_tanh_half(double ln_x)
{
	if (ln_x < -20) {                    /* tanh y = y - y^3/3 + ...: exact to 1e-26 */
		double x = exp(ln_x);
		return ln_x - LN2 - x * x / 12;
	} else {
		double x = exp(ln_x);            /* tanh(x/2) = (1 - e^-x)/(1 + e^-x) */
		return log(-expm1(-x)) - log1p(exp(-x));
	}
}

double lim_phys_rn_over_r0(double de_kt) { return tanh(de_kt / 2); }

lim_phys_status lim_phys_e0_kt(double ln_rmax_over_rn, double de_kt, double *e0_kt)
{
	if (!(de_kt > 0))
		return LIM_PHYS_EDOM;
	*e0_kt = ln_rmax_over_rn + lim_phys_ln_tanh_half(log(de_kt));
	return LIM_PHYS_OK;
}

double lim_phys_landauer_j(double bits, double temp_k)
{
	return bits * lim_phys_kt_j(temp_k) * LN2;
}

/* ---------------------------------------------------------------------
** Schedules and one step
** ------------------------------------------------------------------- */

void lim_phys_sched_default(lim_phys_sched *s)
{
	s->kind = LIM_PHYS_SCHED_INVERSE;
	s->eps0 = 1;
	s->p = 0.75;
	s->gamma = 0.999;
	s->alpha = 0.5;
	s->ln_r1_over_rmax = 0;
	s->lim = LIM_PHYS_LIM_A;
	s->floor_kt = 0;
}

lim_phys_status lim_phys_sched_check(const lim_phys_sched *s, const char **field)
{
	if (!(s->eps0 > 0 && s->eps0 <= 1))
		return *field = "eps0", LIM_PHYS_EDOM;
	if (s->kind == LIM_PHYS_SCHED_POWER && !(s->p > 0.5 && s->p <= 1))
		return *field = "p", LIM_PHYS_EDOM;
	if (s->kind == LIM_PHYS_SCHED_EXP && !(s->gamma > 0 && s->gamma <= 1))
		return *field = "gamma", LIM_PHYS_EDOM;
	if (!(s->alpha > 0 && s->alpha < 1))
		return *field = "alpha", LIM_PHYS_EDOM;
	if (!(s->ln_r1_over_rmax <= 0))
		return *field = "r1", LIM_PHYS_EDOM;
	if (!(s->floor_kt >= 0 && isfinite(s->floor_kt)))
		return *field = "floor", LIM_PHYS_EDOM;
	return LIM_PHYS_OK;
}

double lim_phys_sched_ln_eps(const lim_phys_sched *s, double n)
{
	switch (s->kind) {
	case LIM_PHYS_SCHED_POWER:
		return log(s->eps0) - s->p * log(n);
	case LIM_PHYS_SCHED_EXP:
		return log(s->eps0) + (n - 1) * log(s->gamma);
	case LIM_PHYS_SCHED_INVERSE:
	default:
		return log(s->eps0) - log(n);
	}
}

void lim_phys_step_at(const lim_phys_sched *s, double n, lim_phys_step *out)
{
	double ln_eps = lim_phys_sched_ln_eps(s, n);
	double ln_de = ln_eps;

	out->eps = exp(ln_eps);
	out->ln_rn_over_rmax = s->ln_r1_over_rmax + (1 + s->alpha) * ln_eps;
	out->de_kt = out->eps;
	out->e_ext_kt = 0;
	if (s->lim == LIM_PHYS_LIM_B && s->floor_kt > out->eps) {
		out->e_ext_kt = s->floor_kt - out->eps;
		out->de_kt = s->floor_kt;
		ln_de = log(s->floor_kt);
	}
	/* Eq. 7 at g^2 = 1: E0 = ln(Rmax/Rn) + ln tanh(dE/2) */
	out->e0_kt = -out->ln_rn_over_rmax + lim_phys_ln_tanh_half(ln_de);
	out->clamped = out->e0_kt < 0;
	if (out->clamped)
		out->e0_kt = 0;
	out->ediss_kt = out->e0_kt + out->de_kt;
}

/* ---------------------------------------------------------------------
** Sums: direct, and the closed-form tail
** ------------------------------------------------------------------- */

/* Neumaier's compensated sum: 1e7 terms of O(10) keep 1e-15 relative. */
typedef struct { double s, c; } ksum;
static void kadd(ksum *k, double x)
{
	double t = k->s + x;
	k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
	k->s = t;
}
static double kval(const ksum *k) { return k->s + k->c; }

typedef struct { ksum e0, de; double clamped; } acc;

static void acc_steps(const lim_phys_sched *s, double from, double to, acc *a)
{
	double n;
	lim_phys_step st;

	for (n = from; n <= to; n++) {
		lim_phys_step_at(s, n, &st);
		kadd(&a->e0, st.e0_kt);
		kadd(&a->de, st.de_kt);
		a->clamped += st.clamped;
	}
}

static void acc_out(const acc *a, double n, lim_phys_sum *out)
{
	out->steps = n;
	out->e0_kt = kval(&a->e0);
	out->de_kt = kval(&a->de);
	out->ediss_kt = out->e0_kt + out->de_kt;
	out->clamped = a->clamped;
}

lim_phys_status lim_phys_sum_direct(const lim_phys_sched *s, double n_steps, lim_phys_sum *out)
{
	acc a = {{0, 0}, {0, 0}, 0};

	if (!(n_steps >= 1) || n_steps != floor(n_steps))
		return LIM_PHYS_EDOM;
	acc_steps(s, 1, n_steps, &a);
	acc_out(&a, n_steps, out);
	return LIM_PHYS_OK;
}

/* In the tail eps <= 0.1, so ln tanh(eps/2) = ln(eps/2) + h with
** h = -eps^2/12 + 7 eps^4/1440 - 62 eps^6/181440 (next term < 1e-12), and
** ln eps = c0 + c1 ln x + c2 x for every schedule. Antiderivatives follow. */
typedef struct { double c0, c1, c2; } lneps;

static lneps lneps_of(const lim_phys_sched *s)
{
	lneps l = {log(s->eps0), 0, 0};

	if (s->kind == LIM_PHYS_SCHED_EXP) {
		l.c0 -= log(s->gamma);
		l.c2 = log(s->gamma);
	} else {
		l.c1 = s->kind == LIM_PHYS_SCHED_POWER ? -s->p : -1;
	}
	return l;
}

static double int_lneps(lneps l, double x)  /* integral of ln eps(x) dx */
{
	return l.c0 * x + l.c1 * (x * log(x) - x) + l.c2 * x * x / 2;
}

static double int_eps_pow(lneps l, double k, double x)  /* of eps(x)^k dx */
{
	double a = exp(k * l.c0);

	if (l.c2 != 0)                       /* eps0^k gamma^(k(x-1)) */
		return a * exp(k * l.c2 * x) / (k * l.c2);
	if (l.c1 == 0)                       /* constant schedule */
		return a * x;
	if (k * l.c1 == -1)
		return a * log(x);
	return a * pow(x, 1 + k * l.c1) / (1 + k * l.c1);
}

/* Integrals of E0 and dE from the origin of the antiderivative to x, for
** one of the four forms the tail can take. */
typedef enum { FORM_A, FORM_FLOOR } form;

static void integral(const lim_phys_sched *s, form f, int clamped, double x,
                     double *e0, double *de)
{
	lneps l = lneps_of(s);
	double a = -s->ln_r1_over_rmax, al = s->alpha;

	if (f == FORM_A) {
		*de = int_eps_pow(l, 1, x);
		*e0 = clamped ? 0 :
		      (a - LN2) * x - al * int_lneps(l, x) - int_eps_pow(l, 2, x) / 12 +
		      7 * int_eps_pow(l, 4, x) / 1440 - 62 * int_eps_pow(l, 6, x) / 181440;
	} else {
		double lt = lim_phys_ln_tanh_half(log(s->floor_kt));
		*de = s->floor_kt * x;
		*e0 = clamped ? 0 : (a + lt) * x - (1 + al) * int_lneps(l, x);
	}
}

/* Adds steps lo..hi (integers) of one form: midpoint Euler-Maclaurin,
** sum f(n) = F(hi + 1/2) - F(lo - 1/2) - [f'(hi + 1/2) - f'(lo - 1/2)]/24. */
static void acc_tail(const lim_phys_sched *s, form f, int clamped, double lo,
                     double hi, acc *a)
{
	double e0a, dea, e0b, deb, d[2][2];
	double xs[2] = {lo - 0.5, hi + 0.5};
	int i;

	if (hi < lo)
		return;
	integral(s, f, clamped, xs[0], &e0a, &dea);
	integral(s, f, clamped, xs[1], &e0b, &deb);
	for (i = 0; i < 2; i++) {            /* f' by a central difference */
		double h = 1e-3 * xs[i];
		lim_phys_step p, m;
		lim_phys_step_at(s, xs[i] + h, &p);
		lim_phys_step_at(s, xs[i] - h, &m);
		d[i][0] = clamped ? 0 : (p.e0_kt - m.e0_kt) / (2 * h);
		d[i][1] = (p.de_kt - m.de_kt) / (2 * h);
	}
	kadd(&a->e0, e0b - e0a - (d[1][0] - d[0][0]) / 24);
	kadd(&a->de, deb - dea - (d[1][1] - d[0][1]) / 24);
	if (clamped)
		a->clamped += hi - lo + 1;
}

/* Last integer n in [lo, hi] where pred holds (pred monotone: true, then
** false), or lo - 1 when it holds nowhere. */
static double last_true(const lim_phys_sched *s, double lo, double hi,
                        int (*pred)(const lim_phys_sched *, double))
{
	if (!pred(s, lo))
		return lo - 1;
	while (lo < hi) {
		double mid = floor(lo + (hi - lo + 1) / 2);
		if (pred(s, mid))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int is_clamped(const lim_phys_sched *s, double n)
{
	lim_phys_step st;
	lim_phys_step_at(s, n, &st);
	return st.clamped;
}

static int above_floor(const lim_phys_sched *s, double n)
{
	return exp(lim_phys_sched_ln_eps(s, n)) >= s->floor_kt;
}

static void acc_form(const lim_phys_sched *s, form f, double lo, double hi, acc *a)
{
	double k = last_true(s, lo, hi, is_clamped);  /* E0 only grows in the tail */

	acc_tail(s, f, 1, lo, k, a);
	acc_tail(s, f, 0, k + 1, hi, a);
}

#define DIRECT_STEPS 1e6     /* summed one by one before the tail */
#define DIRECT_MAX   1e8     /* a slower schedule than this is refused */
#define TAIL_EPS     0.1     /* the series for h holds below this */

lim_phys_status lim_phys_sum_steps(const lim_phys_sched *s, double n_steps, lim_phys_sum *out)
{
	acc a = {{0, 0}, {0, 0}, 0};
	double m = DIRECT_STEPS;

	if (!(n_steps >= 1) || n_steps != floor(n_steps) || n_steps > 1e15)
		return LIM_PHYS_EDOM;
	if (s->kind == LIM_PHYS_SCHED_EXP && s->gamma == 1) {   /* every step alike */
		lim_phys_step st;
		lim_phys_step_at(s, 1, &st);
		out->steps = n_steps;
		out->e0_kt = n_steps * st.e0_kt;
		out->de_kt = n_steps * st.de_kt;
		out->ediss_kt = out->e0_kt + out->de_kt;
		out->clamped = st.clamped ? n_steps : 0;
		return LIM_PHYS_OK;
	}
	while (m < n_steps && exp(lim_phys_sched_ln_eps(s, m + 1)) > TAIL_EPS) {
		if (m >= DIRECT_MAX)
			return LIM_PHYS_ERANGE;
		m *= 2;
	}
	if (m >= n_steps)
		return lim_phys_sum_direct(s, n_steps, out);

	acc_steps(s, 1, m, &a);
	if (s->lim == LIM_PHYS_LIM_B && s->floor_kt > 0) {
		double k = last_true(s, m + 1, n_steps, above_floor);
		acc_form(s, FORM_A, m + 1, k, &a);
		acc_form(s, FORM_FLOOR, k + 1, n_steps, &a);
	} else {
		acc_form(s, FORM_A, m + 1, n_steps, &a);
	}
	acc_out(&a, n_steps, out);
	return LIM_PHYS_OK;
}

/* ---------------------------------------------------------------------
** Brain-scale projection
** ------------------------------------------------------------------- */

void lim_phys_projection_default(lim_phys_projection_in *in)
{
	in->params = 1e15;
	in->flops = 1e28;
	in->flops_per_update = 6;
	in->alpha = 0.5;
	in->temp_k = 300;
	in->bits = 8;
}

lim_phys_status lim_phys_projection(const lim_phys_projection_in *in, lim_phys_projection_out *out)
{
	lim_phys_sched s;
	lim_phys_sum sum;
	lim_phys_status st;
	double n = floor(in->flops / (in->flops_per_update * in->params));

	if (!(n >= 1) || !(in->temp_k > 0))
		return LIM_PHYS_EDOM;
	lim_phys_sched_default(&s);
	s.alpha = in->alpha;
	if ((st = lim_phys_sum_steps(&s, n, &sum)) != LIM_PHYS_OK)
		return st;
	out->steps = n;
	out->lim_j = in->params * sum.ediss_kt * lim_phys_kt_j(in->temp_k);
	out->landauer_j = in->flops * lim_phys_landauer_j(in->bits, in->temp_k);
	out->clamped = sum.clamped;
	return LIM_PHYS_OK;
}
