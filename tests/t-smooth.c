/*
** t-smooth.c - lim_synapse under a bias that moves smoothly within the time
** steps: sine, ramp and exponential barrier and tilt waveforms at default
** tolerances, in the real libngspice, against the device's ODE integrated
** here. The reference is physics.md section 5 written out in this file;
** the physics core is called only to test its own closed forms. See LICENSE.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phys.h"
#include "run.h"
#include "session.h"
#include "tap.h"

#define KB_EV 8.617333262e-5
#define RMAX_HZ 1e13
#define ODE_STEP_S 1e-9     /* the reference's step: 1e-4 of the fastest 1/k here */

static lim_session *S;

/* ---------------------------------------------------------------------
** The device, written out from physics.md section 5
** ------------------------------------------------------------------- */

typedef struct {
	double e_b0, kappa, e_min;   /* eV, eV/V, eV */
	double z, lambda;            /* 1 */
	double temp_c;               /* C */
} card;

static const card default_card = {1.3, 0.5, 0, 1, 0.5, 27};

/* The barriers E_f, E_r [eV] at a bias, after both clamps. */
static void barriers(const card *c, double vab, double vc, double *ef, double *er)
{
	double eb = fmax(c->e_min, c->e_b0 - c->kappa * vc), de = c->z * vab;

	*ef = eb - c->lambda * de;
	*er = eb + (1 - c->lambda) * de;
	if (*ef < 0) {               /* raise both: E_r - E_f stays dE */
		*er -= *ef;
		*ef = 0;
	} else if (*er < 0) {
		*ef -= *er;
		*er = 0;
	}
}

static void rates(const card *c, double vab, double vc, double *rf, double *rr)
{
	double kt = KB_EV * (c->temp_c + 273.15), ef, er;

	barriers(c, vab, vc, &ef, &er);
	*rf = RMAX_HZ * exp(-ef / kt);
	*rr = RMAX_HZ * exp(-er / kt);
}

/* ---------------------------------------------------------------------
** Waveforms: one description gives ngspice's source and its value here
** ------------------------------------------------------------------- */

typedef enum { W_DC, W_SIN, W_RAMP, W_EXP, W_PULSE } wave_kind;

/* W_DC (v); W_SIN (vo, va, freq); W_RAMP (v1, v2, t2): pwl from v1 at 0 to
** v2 at t2; W_EXP (v1, v2, td1, tau1, td2, tau2); W_PULSE (v1, v2, td, tr,
** tf, pw): one pulse. */
typedef struct { wave_kind kind; double p[6]; } wave;

/* The value at t [s] as ngspice 39's sources define it (vsrcload.c). */
static double wave_at(const wave *w, double t)
{
	const double *p = w->p;
	double v;

	switch (w->kind) {
	case W_SIN:
		return p[0] + p[1] * sin(2 * M_PI * p[2] * t);
	case W_RAMP:
		return t >= p[2] ? p[1] : p[0] + (p[1] - p[0]) * t / p[2];
	case W_EXP:
		v = p[0];
		if (t > p[2])
			v += (p[1] - p[0]) * -expm1(-(t - p[2]) / p[3]);
		if (t > p[4])
			v += (p[0] - p[1]) * -expm1(-(t - p[4]) / p[5]);
		return v;
	case W_PULSE:
		t -= p[2];
		if (t <= 0 || t >= p[3] + p[5] + p[4])
			return p[0];
		if (t < p[3])
			return p[0] + (p[1] - p[0]) * t / p[3];
		if (t <= p[3] + p[5])
			return p[1];
		return p[1] + (p[0] - p[1]) * (t - p[3] - p[5]) / p[4];
	case W_DC:
	default:
		return p[0];
	}
}

static void wave_text(const wave *w, char *buf, size_t n)
{
	const double *p = w->p;

	switch (w->kind) {
	case W_SIN:
		snprintf(buf, n, "sin(%.10g %.10g %.10g)", p[0], p[1], p[2]);
		break;
	case W_RAMP:
		snprintf(buf, n, "pwl(0 %.10g %.10g %.10g)", p[0], p[2], p[1]);
		break;
	case W_EXP:
		snprintf(buf, n, "exp(%.10g %.10g %.10g %.10g %.10g %.10g)", p[0], p[1], p[2], p[3],
		         p[4], p[5]);
		break;
	case W_PULSE:
		snprintf(buf, n, "pulse(%.10g %.10g %.10g %.10g %.10g %.10g 1)", p[0], p[1], p[2],
		         p[3], p[4], p[5]);
		break;
	case W_DC:
	default:
		snprintf(buf, n, "%.10g", p[0]);
		break;
	}
}

/* w at tstop from w0: the exact update of physics.md over steps of
** ODE_STEP_S with the rates at each step's middle. */
static double ode(const wave *vab, const wave *vc, double w0, double tstop)
{
	long i, n = (long)ceil(tstop / ODE_STEP_S);
	double h = tstop / (double)n, w = w0;

	for (i = 0; i < n; i++) {
		double t = (i + 0.5) * h, rf, rr, k;
		rates(&default_card, wave_at(vab, t), wave_at(vc, t), &rf, &rr);
		k = rf + rr;
		w = rf / k + (w - rf / k) * exp(-k * h);
	}
	return w;
}

/* Runs a device from w0 with the tilt vab and the control vc at ngspice's
** default tolerances (.tran tstep tstop only); *w gets the end state and
** *points the accepted time points. 0, or -1 after a failed check. */
static int simulate(const wave *vab, const wave *vc, double w0, double tstep,
                    double tstop, double *w, size_t *points)
{
	char deck[1024], a[160], c[160];
	double *t = NULL;
	int ok;

	wave_text(vab, a, sizeof a);
	wave_text(vc, c, sizeof c);
	snprintf(deck, sizeof deck, "smooth\n.model syn lim_synapse(w0=%.10g)\nva a 0 %s\n"
	         "vc c 0 %s\na1 %%gd(a 0) %%vd(c 0) syn\n.save @a1[w]\n.tran %.10g %.10g\n.end\n",
	         w0, a, c, tstep, tstop);
	lim_sess_reset(S);
	ok = lim_sess_load_text(S, deck) == 0 && lim_sess_run(S) == 0 &&
	     lim_sess_last(S, "@a1[w]", w) == 0 && lim_sess_vec(S, "time", &t, points) == 0;
	free(t);
	if (!check(ok))
		tap_diag("ngspice: %s", lim_sess_error(S));
	return ok ? 0 : -1;
}

/* ---------------------------------------------------------------------
** The physics core's step closed forms
** ------------------------------------------------------------------- */

/* The mean rates over a step by the midpoint rule on 2e5 pieces. */
static void mean_by_quadrature(const card *c, double vab0, double vc0, double vab1,
                               double vc1, double *rf, double *rr)
{
	const int n = 200000;
	int i;

	*rf = *rr = 0;
	for (i = 0; i < n; i++) {
		double s = (i + 0.5) / n, f, r;
		rates(c, vab0 + s * (vab1 - vab0), vc0 + s * (vc1 - vc0), &f, &r);
		*rf += f / n;
		*rr += r / n;
	}
}

static void to_dev(const card *c, lim_phys_dev *d)
{
	lim_phys_dev_default(d);
	d->e_b0 = c->e_b0;
	d->kappa = c->kappa;
	d->e_min = c->e_min;
	d->z = c->z;
	d->lambda = c->lambda;
}

/* The step's mean rates alone. */
static void mean_of(const lim_phys_dev *d, double temp_c, double vab0, double vc0, double vab1,
                    double vc1, lim_phys_rates *m)
{
	lim_phys_rates end;

	lim_phys_dev_rates_step(d, temp_c, NULL, vab0, vc0, vab1, vc1, &end, m);
}

/* A derivative [1/(s V)] against its central difference, to 1e-6 of it
** plus 1e-6 of the rate per volt (where it vanishes). */
#define check_fd(got, want, rate) check_near((got), (want), 1e-6 * (fabs(want) + (rate)))

/* One step against quadrature: the means, and the derivatives in the end
** bias against central differences of the means. */
static void mean_rates(const card *c, double vab0, double vc0, double vab1, double vc1)
{
	const double dv = 1e-6;
	lim_phys_dev d;
	lim_phys_rates m, p, q;
	double rf, rr;

	to_dev(c, &d);
	mean_of(&d, c->temp_c, vab0, vc0, vab1, vc1, &m);
	mean_by_quadrature(c, vab0, vc0, vab1, vc1, &rf, &rr);
	check_rel(m.rf, rf, 1e-8);
	check_rel(m.rr, rr, 1e-8);
	mean_of(&d, c->temp_c, vab0, vc0, vab1 + dv, vc1, &p);
	mean_of(&d, c->temp_c, vab0, vc0, vab1 - dv, vc1, &q);
	check_fd(m.drf_dvab, (p.rf - q.rf) / (2 * dv), m.rf);
	check_fd(m.drr_dvab, (p.rr - q.rr) / (2 * dv), m.rr);
	mean_of(&d, c->temp_c, vab0, vc0, vab1, vc1 + dv, &p);
	mean_of(&d, c->temp_c, vab0, vc0, vab1, vc1 - dv, &q);
	check_fd(m.drf_dvc, (p.rf - q.rf) / (2 * dv), m.rf);
	check_fd(m.drr_dvc, (p.rr - q.rr) / (2 * dv), m.rr);
}

static void mean_rates_cases(void)
{
	card c = default_card;

	mean_rates(&c, 0.05, 1.5, 0.05, 1.5);       /* constant bias */
	mean_rates(&c, 0.05, 1.0, 0.05, 1.5);       /* the barrier falls 0.25 eV: 10 kT */
	mean_rates(&c, 0.05, 1.5, 0.05, 1.0);       /* ... and rises */
	mean_rates(&c, -0.1, 1.4, 0.12, 1.3);       /* barrier and tilt both move */
	mean_rates(&c, 0.05, 1.5, 0.05, 1.5 + 1e-9);
	c.e_min = 0.6;                              /* through the e_min clamp */
	mean_rates(&c, 0.03, 1.0, 0.03, 1.8);
	mean_rates(&c, 0.03, 1.8, 0.03, 1.2);
	c.e_min = 0;
	c.lambda = 0.3;
	c.z = 2;                                     /* E_f crosses 0: both raised */
	mean_rates(&c, 0, 2.0, 0.6, 2.0);
	mean_rates(&c, -0.6, 2.2, 0.9, 1.9);         /* E_r leaves 0, then E_f reaches it */
}

/* A constant bias gives the point rates, and half their derivatives (the
** bias in the step's middle moves by half the end's). */
static void mean_rates_constant(void)
{
	lim_phys_dev d;
	lim_phys_rates m, r, e;

	lim_phys_dev_default(&d);
	lim_phys_dev_rates(&d, 27, 0.05, 1.5, &r);
	lim_phys_dev_rates_step(&d, 27, NULL, 0.05, 1.5, 0.05, 1.5, &e, &m);
	check(m.rf == r.rf && m.rr == r.rr);
	check(e.rf == r.rf && e.drf_dvab == r.drf_dvab && e.ef_kt == r.ef_kt);
	check_rel(m.drf_dvab, r.drf_dvab / 2, 1e-15);
	check_rel(m.drr_dvc, r.drr_dvc / 2, 1e-15);
}

/* lim_phys_dev_step_max(): over the step it allows, a barrier bending as a
** parabola makes the straight line's mean rate err by about rel_err, and
** by no more. The true mean by quadrature, the line's in closed form. */
static void step_max_error(void)
{
	static const double slopes[] = {0, 0.5, 3};   /* kT over the step */
	const double bend = 1e10, rel = 2e-3;         /* kT/s^2 */
	double h = lim_phys_dev_step_max(bend, 1e9, 0.5, rel, 1e-4), worst = 0, at_zero = 0;
	int i, j, n = 100000;

	check(h > 0 && isfinite(h));
	for (i = 0; i < 3; i++) {
		double s = slopes[i] / h, x1 = slopes[i] + bend * h * h / 2, exact = 0, line, err;
		for (j = 0; j < n; j++) {
			double t = (j + 0.5) / n * h;
			exact += exp(-(s * t + bend * t * t / 2)) / n;
		}
		line = fabs(x1) < 1e-12 ? 1 : -expm1(-x1) / x1;
		err = fabs(line - exact) / exact;
		worst = fmax(worst, err);
		if (i == 0)
			at_zero = err;
	}
	tap_diag("h = %.4g s: the line errs by %.3g at no slope (rel_err %.3g)", h, at_zero, rel);
	check_near(worst, 0, 1.05 * rel);
	check_rel(at_zero, rel, 0.1);
	check(isinf(lim_phys_dev_step_max(0, 1e9, 0.5, rel, 1e-4)));        /* straight */
	check(isinf(lim_phys_dev_step_max(bend, 0, 0.5, rel, 1e-4)));       /* frozen */
	check(lim_phys_dev_step_max(bend, 1, 0.5, rel, 1e-4) > 3 * h);       /* barely moves */
}

/* ---------------------------------------------------------------------
** Transients in ngspice against the ODE
** ------------------------------------------------------------------- */

/* End state within 1 % of the change the ODE makes, which must be a real
** change (5 % of the range at least). */
static void smooth(const wave *vab, const wave *vc, double w0, double tstep, double tstop)
{
	double w, want = ode(vab, vc, w0, tstop);
	size_t points;

	check(fabs(want - w0) > 0.05);
	if (simulate(vab, vc, w0, tstep, tstop, &w, &points) != 0)
		return;
	tap_diag("w = %.6f, ODE %.6f from %.2f: %+.3f %% of the change, %zu time points",
	         w, want, w0, 100 * (w - want) / (want - w0), points);
	check_near((w - want) / (want - w0), 0, 0.01);
}

static const wave tilt_50mv = {W_DC, {0.05}};

/* The user's deck of issue 14: ngspice's steps of 5 us cross the barrier's
** minimum of 0.55 eV, where mid-step rates lost 14 % of the change. */
static void sine_control(void)
{
	const wave vc = {W_SIN, {0.75, 0.75, 10e3}};
	smooth(&tilt_50mv, &vc, 0.2, 10e-6, 300e-6);
}

static void ramp_control(void)
{
	const wave vc = {W_RAMP, {0, 1.6, 300e-6}};  /* 1.3 down to 0.5 eV */
	smooth(&tilt_50mv, &vc, 0.2, 10e-6, 300e-6);
}

/* The barrier rises from 0.5 eV with a 50 us time constant (the source's
** corner at 1 ns sits in ngspice's first, short step). */
static void exp_control(void)
{
	const wave vc = {W_EXP, {1.6, 0, 1e-9, 50e-6, 1, 50e-6}};
	smooth(&tilt_50mv, &vc, 0.2, 10e-6, 300e-6);
}

/* ... and falls to 0.55 eV: the exponential's approach. */
static void exp_control_falling(void)
{
	const wave vc = {W_EXP, {0, 1.5, 1e-9, 30e-6, 1, 30e-6}};
	smooth(&tilt_50mv, &vc, 0.2, 10e-6, 300e-6);
}

static void sine_tilt(void)
{
	const wave vab = {W_SIN, {0.03, 0.08, 10e3}}, vc = {W_DC, {1.5}};
	smooth(&vab, &vc, 0.3, 10e-6, 300e-6);
}

static void sine_both(void)
{
	const wave vab = {W_SIN, {0.02, 0.06, 3e3}}, vc = {W_SIN, {0.75, 0.75, 10e3}};
	smooth(&vab, &vc, 0.2, 10e-6, 300e-6);
}

/* A rectangular barrier pulse with 1 ns edges: the analytic exponential
** w_eq + (w0 - w_eq) exp(-K), K = k_low pw + two edges, each the log-mean
** of k over its linear barrier ramp; corners are breakpoints, so the
** steps take the bias as it is. */
static void pulse(void)
{
	const wave vc = {W_PULSE, {0, 1.5, 10e-6, 1e-9, 1e-9, 20e-6}};
	const double w0 = 0.2;
	double rf, rr, k_low, k_high, weq, big_k, want, w;
	size_t points;

	rates(&default_card, 0.05, 1.5, &rf, &rr);
	k_low = rf + rr;
	weq = rf / k_low;
	rates(&default_card, 0.05, 0, &rf, &rr);
	k_high = rf + rr;
	big_k = k_low * 20e-6 + 2 * 1e-9 * (k_low - k_high) / log(k_low / k_high);
	want = weq + (w0 - weq) * exp(-big_k);
	if (simulate(&tilt_50mv, &vc, w0, 10e-6, 60e-6, &w, &points) != 0)
		return;
	tap_diag("w = %.9f, analytic %.9f (K = %.4f), %zu time points", w, want, big_k, points);
	check_near((w - want) / (want - w0), 0, 1e-5);
	check_int(points, <=, 94);   /* as many as with the mid-step rates before */
}

int main(void)
{
	int status;

	if (!(S = test_session(&status)))
		return status;
	TEST(mean_rates_constant(), "lim_phys_dev_rates_step() at a constant bias = phys_dev_rates()");
	TEST(mean_rates_cases(), "lim_phys_dev_rates_step() against quadrature, through every clamp");
	TEST(step_max_error(), "lim_phys_dev_step_max(): the straight line errs by rel_err, no more");
	TEST(sine_control(), "10 kHz sine on the control down to 0.55 eV (issue 14): w within 1 %%");
	TEST(ramp_control(), "ramp of the control, 1.3 to 0.5 eV: w within 1 %%");
	TEST(exp_control(), "exponential rise of the barrier from 0.5 eV: w within 1 %%");
	TEST(exp_control_falling(), "exponential fall of the barrier to 0.55 eV: w within 1 %%");
	TEST(sine_tilt(), "sine on the tilt at 0.55 eV: w within 1 %%");
	TEST(sine_both(), "sines on the control and the tilt: w within 1 %%");
	TEST(pulse(), "rectangular barrier pulse: w = the analytic exponential");
	lim_sess_close(S);
	return tap_done();
}
