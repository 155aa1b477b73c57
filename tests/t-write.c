/*
** t-write.c - the parallel writes realise the outer product: one training
** step with known inputs and errors on a 4 x 6 array, every device's dw
** against physics.md section 6 computed here. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "session.h"
#include "tap.h"
#include "train.h"
#include "write.h"   /* the timeline: how long a line stays low after a pulse */

static lim_session *S;
static double R1 = 1e6;   /* the update rate of step 1 [1/s] of the next step run */

/* One sample, inputs 1, -0.5, 0.75 and the bias 1: with BL = 8 every
** |u_i| / U is a whole number of slots (8, 4, 6, 8), so no rounding is
** drawn. From w = 1/2 everywhere the read gives z = 0, so the softmax
** errors for label 1 are delta = (1/3, -2/3, 1/3). */
static const double X[3] = {1, -0.5, 0.75};
enum { ROWS = 4, PCOLS = 6 };

static double u_of(int i) { return i < 3 ? X[i] : 1; }

/* The column error v_p: +delta on the plus column, -delta on the minus. */
static double v_of(int p)
{
	static const double delta[3] = {1.0 / 3, -2.0 / 3, 1.0 / 3};

	return p % 2 ? -delta[p / 2] : delta[p / 2];
}

/* Trains one step from w = 1/2 and returns every device's dw. */
static int one_step(lim_train_mode mode, double *dw, double *v_write)
{
	double x[3];
	int label = 1, idx = 0, c;
	lim_dataset d;
	lim_train_opts o;
	lim_train_result r;
	char err[512];

	memcpy(x, X, sizeof x);
	memset(&d, 0, sizeof d);
	d.n = 1;
	d.nfeat = 3;
	d.nclass = d.nout = 3;
	d.x = x;
	d.label = &label;
	snprintf(d.name, sizeof d.name, "one sample");
	lim_train_default(&o);
	o.mode = mode;
	o.max_steps = 1;
	o.eta = 0.05;           /* small updates: the idle decay stays small */
	o.r1_hz = R1;
	if (lim_train_run(S, &d, &idx, 1, &o, &r, NULL, NULL, err, sizeof err) != 0) {
		tap_diag("train_run: %s", err);
		return -1;
	}
	for (c = 0; c < ROWS * PCOLS; c++)
		dw[c] = r.w[c] - 0.5;
	*v_write = r.steps[0].v_write;
	lim_train_result_free(&r);
	return 0;
}

/* Pearson correlation of a and b over n values. */
static double correlation(const double *a, const double *b, int n)
{
	double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
	int k;

	for (k = 0; k < n; k++) {
		ma += a[k] / n;
		mb += b[k] / n;
	}
	for (k = 0; k < n; k++) {
		sab += (a[k] - ma) * (b[k] - mb);
		saa += (a[k] - ma) * (a[k] - ma);
		sbb += (b[k] - mb) * (b[k] - mb);
	}
	return sab / sqrt(saa * sbb);
}

/* The step's figures from physics.md: kT [eV], h, and k_1 = 2 R_1 /
** tanh(eps_1 / 2) with eps_1 = 1 (section 6). */
static const double KT = 1.380649e-23 * 300.15 / 1.602176634e-19, TILT = 3;

static double h_of(double x) { return tanh(x / 2) / 2; }

static double k1(void) { return 2 * R1 / tanh(0.5); }

/* tau = c U V / (h K) with c = eta eps gain / 2, U = 1. */
static double tau_of(double vmax) { return 0.05 * 1 * 3 / 2 * 1 * vmax / (h_of(TILT) * k1()); }

/* At R_1 = 2e8 /s, tau = c U V / (h K) is 0.13 ns, under BL = 8 slots of
** the drivers' shortest pulse (0.3 ns): the scheme stretches it and raises
** every column's barrier by the same factor, so each k_p t_i, and dw, is
** what the formula says, but for the 3-ramp pulses' own 1.3 % (their rate
** is not proportional to the drive on the ramps). */
static void lim_outer_product(double r1)
{
	double dw[ROWS * PCOLS], asked[ROWS * PCOLS], vw, worst = 0;
	double vmax, tau;
	int i, p;

	R1 = r1;
	vmax = 2.0 / 3;
	tau = tau_of(vmax);
	if (!check(one_step(LIM_TRAIN_LIM, dw, &vw) == 0))
		return;
	for (i = 0; i < ROWS; i++)
		for (p = 0; p < PCOLS; p++) {
			double u = u_of(i), v = v_of(p), s = -u * v > 0 ? 1 : -1;
			/* a tau under BL = 8 slots of the shortest pulse, 0.3 ns, is
			** stretched to that, every k_p scaled down as much (the
			** product k_p t_i is kept) */
			double stretch = fmax(1, 8 * 0.3e-9 / tau);
			double kp = k1() * fabs(v) / vmax / stretch, t = tau * stretch * fabs(u);
			/* the pulse, then the relaxation toward 1/2 at k_p / cosh(x/2)
			** while the column stays low after the row's pulse ended: the
			** rest of tau, the pulse's fall and a guard */
			double d = s * h_of(TILT) * -expm1(-kp * t);
			d *= exp(-kp / cosh(TILT / 2) * (tau * stretch - t + T_PULSE + T_GUARD));
			asked[i * PCOLS + p] = -u * v;
			worst = fmax(worst, fabs(dw[i * PCOLS + p] - d) / fabs(d));
		}
	tap_diag("LIM, R1 %g /s, tau %.3g ns: dw from %.4g to %.4g; worst relative error %.3g",
	         r1, 1e9 * tau, dw[0], dw[5], worst);
	check_near(worst, 0, r1 > 1e7 ? 0.015 : 0.01);
	check(correlation(dw, asked, ROWS * PCOLS) >= 0.95);
	check(fabs(vw - TILT * KT) < 1e-9);    /* the tilt, z = 1 */
}

/* Coincidences: row i in its first n_i = 8 |u_i| slots, column p in m_p =
** 8 |v_p| / V; n_i m_p / 8 is whole here, so the count is exact whatever
** the columns' offsets. The count read back from each dw through one
** coincidence's effect at the scheme's V must be it. */
static void conventional_coincidences(void)
{
	R1 = 1e6;
	double dw[ROWS * PCOLS], asked[ROWS * PCOLS], vw, worst = 0;
	double t_slot = tau_of(1) / 8, t_eff = t_slot - 0.1e-9;   /* the slot's FWHM */
	double x, h, k;
	int i, p;

	if (!check(one_step(LIM_TRAIN_CONVENTIONAL, dw, &vw) == 0))
		return;
	x = vw / KT;                          /* z = 1 */
	h = h_of(x);
	/* the fixed barrier, e_b0 = 1.3 eV, lambda = 1/2, r_max = 1e13 Hz */
	k = 1e13 * (exp(-(1.3 - x * KT / 2) / KT) + exp(-(1.3 + x * KT / 2) / KT));
	for (i = 0; i < ROWS; i++)
		for (p = 0; p < PCOLS; p++) {
			double u = u_of(i), v = v_of(p), s = -u * v > 0 ? 1 : -1;
			double n = 8 * fabs(u), m = round(8 * fabs(v) / (2.0 / 3));
			double c = -log1p(-dw[i * PCOLS + p] / (s * h)) / (k * t_eff);
			worst = fmax(worst, fabs(c - n * m / 8));
			asked[i * PCOLS + p] = -u * v;
		}
	tap_diag("conventional: V_cw %.4g V; worst count error %.3g coincidences", vw, worst);
	check_near(worst, 0, 0.25);
	check(correlation(dw, asked, ROWS * PCOLS) >= 0.95);
}

int main(void)
{
	int status;

	if (!(S = test_session(&status)))
		return status;
	TEST(lim_outer_product(1e6), "parallel LIM: dw = (w_eq - w)(1 - e^-k_p t_i) per device, corr >= 0.95");
	TEST(lim_outer_product(2e8), "parallel LIM, tau under BL ramps: the same dw, stretched and raised");
	TEST(conventional_coincidences(), "parallel conventional: n_i m_p / BL coincidences per device");
	lim_sess_close(S);
	return tap_done();
}
