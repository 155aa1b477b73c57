/*
** t-noise.c - lim_synapse with noise = 1: hops drawn as random events.
** 4096 devices, each on its own node (so each has its own stream), in the
** real libngspice. Expected values are the deterministic closed form and
** binomial statistics written here. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "session.h"
#include "tap.h"

#define KB_EV 8.617333262e-5
#define Q_C 1.602176634e-19
#define DEVICES 4096
#define NC 400.0                   /* carriers: binomial spread is visible */

static lim_session *S;

/* Runs DEVICES devices from w0 = 0.2 under 30 mV with the barrier at
** 0.45 eV until tstop; keeps each device's final w, and all of device 0. */
static int run(double seed, double tstop, double *wf, double **t0, double **w0v, size_t *n0)
{
	size_t cap = 1 << 20, len = 0;
	char *d = malloc(cap), name[32];
	int i, ok;

	if (!d)
		return -1;
	len += snprintf(d + len, cap - len, "noise\n.model m lim_synapse(noise=1 seed=%g w0=0.2 "
	                "n_c=%g)\nva a 0 0.03\nvc c 0 1.7\n", seed, NC);
	for (i = 0; i < DEVICES; i++)
		len += snprintf(d + len, cap - len, "r%d a n%d 1\na%d %%gd(n%d 0) %%vd(c 0) m\n"
		                ".save @a%d[w] @a%d[e_trans] @a%d[e_joule]\n", i, i, i, i, i, i, i);
	snprintf(d + len, cap - len, ".save v(n0) v(a) va#branch\n"
	         ".tran %g %g\n.end\n", tstop / 200, tstop);
	lim_sess_reset(S);
	ok = lim_sess_load_text(S, d) == 0 && lim_sess_run(S) == 0;
	free(d);
	if (!ok) {
		tap_diag("ngspice: %s", lim_sess_error(S));
		return -1;
	}
	for (i = 0; i < DEVICES; i++) {
		snprintf(name, sizeof name, "@a%d[w]", i);
		if (lim_sess_last(S, name, &wf[i]) != 0)
			return -1;
	}
	if (t0 && (lim_sess_vec(S, "time", t0, n0) != 0 || lim_sess_vec(S, "@a0[w]", w0v, n0) != 0))
		return -1;
	return 0;
}

static double k_rate(void)
{
	double kt = KB_EV * 300.15, eb = 1.3 - 0.5 * 1.7;
	return 1e13 * (exp(-(eb - 0.015) / kt) + exp(-(eb + 0.015) / kt));
}

static double w_eq(void) { return 1 / (1 + exp(-0.03 / (KB_EV * 300.15))); }

static double wf[DEVICES], wg[DEVICES];

/* Mean over the devices follows the closed form; at equilibrium the spread
** is binomial: var w = w_eq (1 - w_eq) / n_c. */
static void mean_and_variance(void)
{
	double k = k_rate(), weq = w_eq(), m = 0, v = 0, want;
	int i;

	check(run(1, 12 / k, wf, NULL, NULL, NULL) == 0);
	for (i = 0; i < DEVICES; i++)
		m += wf[i];
	m /= DEVICES;
	for (i = 0; i < DEVICES; i++)
		v += (wf[i] - m) * (wf[i] - m);
	v /= DEVICES - 1;
	want = weq * (1 - weq) / NC;
	tap_diag("after 12/k: mean %.5f (closed form %.5f), variance %.4g (binomial %.4g); "
	         "%d devices, n_c %g", m, weq + (0.2 - weq) * exp(-12.0), v, want, DEVICES, NC);
	check_near(m, weq + (0.2 - weq) * exp(-12.0), 3 * sqrt(want / DEVICES));
	check_rel(v, want, 0.10);
	for (i = 0; i < DEVICES; i++)   /* the state is a count of carriers */
		if (fabs(wf[i] * NC - round(wf[i] * NC)) > 1e-9)
			break;
	check_int(i, ==, DEVICES);
}

/* The mean part way: at k t = 1 the closed form, within 3 standard errors. */
static void mean_on_the_way(void)
{
	double k = k_rate(), weq = w_eq(), m = 0, v = 0, want;
	int i;

	check(run(2, 1 / k, wg, NULL, NULL, NULL) == 0);
	for (i = 0; i < DEVICES; i++)
		m += wg[i];
	m /= DEVICES;
	for (i = 0; i < DEVICES; i++)
		v += (wg[i] - m) * (wg[i] - m);
	v /= DEVICES - 1;
	want = weq + (0.2 - weq) * exp(-1.0);
	tap_diag("at k t = 1: mean %.5f, closed form %.5f, standard error %.2g", m, want,
	         sqrt(v / DEVICES));
	check_near(m, want, 3 * sqrt(v / DEVICES));
}

/* Same seed, same numbers; another seed, others; neighbours independent. */
static void streams(void)
{
	static double again[DEVICES];
	double k = k_rate(), m = 0, sxy = 0, sxx = 0, corr;
	int i, same = 1, differ = 0;

	check(run(1, 12 / k, again, NULL, NULL, NULL) == 0);
	for (i = 0; i < DEVICES; i++)
		same &= again[i] == wf[i];
	check(same);
	check(run(3, 12 / k, again, NULL, NULL, NULL) == 0);
	for (i = 0; i < DEVICES; i++)
		differ += again[i] != wf[i];
	check_int(differ, >, DEVICES / 2);
	for (i = 0; i < DEVICES; i++)
		m += wf[i];
	m /= DEVICES;
	for (i = 0; i + 1 < DEVICES; i++) {
		sxy += (wf[i] - m) * (wf[i + 1] - m);
		sxx += (wf[i] - m) * (wf[i] - m);
	}
	corr = sxy / sxx;
	tap_diag("neighbour correlation %.4f over %d pairs", corr, DEVICES - 1);
	check_near(corr, 0, 0.05);
}

/* Device 0: e_trans is z q V times its net hops, exactly (V the device's
** own voltage, behind its 1 ohm); and the supply's energy closes against
** the devices' transition and conduction heats. */
static void energy(void)
{
	double k = k_rate(), *t = NULL, *w = NULL, *vn = NULL, *v = NULL, *i_ = NULL;
	double et, want = 0, es = 0, heat = 0, x;
	size_t n = 0, nn, nv, ni, j;
	char name[32];
	int d;

	check(run(1, 12 / k, wf, &t, &w, &n) == 0);
	if (!t)
		return;
	check(lim_sess_last(S, "@a0[e_trans]", &et) == 0);
	check(lim_sess_vec(S, "v(n0)", &vn, &nn) == 0 && nn == n);
	for (j = 1; j < n && nn == n; j++)   /* q x hops x mid-step voltage */
		want += Q_C * (w[j] - w[j - 1]) * NC * (vn[j] + vn[j - 1]) / 2;
	check_rel(et, want, 1e-9);
	check(lim_sess_vec(S, "v(a)", &v, &nv) == 0 && lim_sess_vec(S, "va#branch", &i_, &ni) == 0);
	for (j = 1; j < n && nv == n && ni == n; j++)
		es -= (v[j] * i_[j] + v[j - 1] * i_[j - 1]) / 2 * (t[j] - t[j - 1]);
	for (d = 0; d < DEVICES; d++) {
		snprintf(name, sizeof name, "@a%d[e_trans]", d);
		if (lim_sess_last(S, name, &x) == 0)
			heat += x;
		snprintf(name, sizeof name, "@a%d[e_joule]", d);
		if (lim_sess_last(S, name, &x) == 0)
			heat += x;
	}
	tap_diag("supply %.6g J, devices' heat %.6g J (the 1 ohm resistors take ~1e-6)", es, heat);
	check_rel(heat, es, 0.01);
	free(t); free(w); free(vn); free(v); free(i_);
}

/* sigma_e_b0 = 0.05 over 64 x 64 devices: the e_b probe at V_c = 0 is
** each device's own barrier; their spread is 5 % within 10 %, their mean
** 1.3 eV within 3 standard errors. */
static void variability(void)
{
	size_t cap = 1 << 20, len = 0;
	char *d = malloc(cap), name[32];
	double m = 0, v = 0, e[DEVICES], sd;
	int i, ok;

	if (!d)
		return;
	len += snprintf(d + len, cap - len, "variability\n.model m lim_synapse(sigma_e_b0=0.05 "
	                "seed=4)\nva a 0 0\nvc c 0 0\n");
	for (i = 0; i < DEVICES; i++)
		len += snprintf(d + len, cap - len, "r%d a n%d 1\na%d %%gd(n%d 0) %%vd(c 0) m\n"
		                ".save @a%d[e_b]\n", i, i, i, i, i);
	snprintf(d + len, cap - len, ".op\n.end\n");
	lim_sess_reset(S);
	ok = lim_sess_load_text(S, d) == 0 && lim_sess_run(S) == 0;
	free(d);
	check(ok);
	for (i = 0; ok && i < DEVICES; i++) {
		snprintf(name, sizeof name, "@a%d[e_b]", i);
		e[i] = NAN;
		lim_sess_last(S, name, &e[i]);
		m += e[i];
	}
	m /= DEVICES;
	for (i = 0; ok && i < DEVICES; i++)
		v += (e[i] - m) * (e[i] - m);
	sd = sqrt(v / (DEVICES - 1));
	tap_diag("e_b0 over %d devices: mean %.4f eV, relative spread %.4f (sigma 0.05)", DEVICES,
	         m, sd / m);
	check_rel(sd / 1.3, 0.05, 0.10);
	check_near(m, 1.3, 3 * sd / sqrt(DEVICES));
}

int main(void)
{
	int status;

	if (!(S = test_session(&status)))
		return status;
	TEST(mean_and_variance(), "noise = 1, 4096 devices at equilibrium: mean, binomial variance within 10 %%");
	TEST(mean_on_the_way(), "noise = 1: the mean follows the deterministic trajectory (3 SE)");
	TEST(streams(), "same seed identical; another seed differs; neighbours' correlation < 0.05");
	TEST(variability(), "sigma_e_b0 = 0.05 over 64 x 64 devices: the sampled spread within 10 %%");
	TEST(energy(), "noise = 1: e_trans = z q V x the drawn net hops exactly; supply closes to 1 %%");
	lim_sess_close(S);
	return tap_done();
}
