/*
** synapse_checks.h - the closed-form checks of the lim_synapse device,
** shared by t-synapse.c (the code model in ngspice 39) and t-osdi.c (the
** OSDI device in ngspice 46). Included once by each, after it defines
** DEV_SYN (device 1 on a 0 c 0 with card syn, as a string literal) and
** PROBE(name) (device 1's probe vector). See LICENSE.
*/
#ifndef LIMSPICE_TEST_SYNAPSE_CHECKS_H
#define LIMSPICE_TEST_SYNAPSE_CHECKS_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "tap.h"

#define KB_EV 8.617333262e-5
#define Q_C 1.602176634e-19
#define RMAX 1e13

static lim_session *S;
static char deck[16384];

/* Formats a deck, loads and runs it: 1 on success; a failure counts as a
** failed check and prints ngspice's words. */
static int simulate(const char *fmt, ...)
{
	va_list ap;
	int ok;

	va_start(ap, fmt);
	vsnprintf(deck, sizeof deck, fmt, ap);
	va_end(ap);
	lim_sess_reset(S);
	ok = lim_sess_load_text(S, deck) == 0 && lim_sess_run(S) == 0;
	if (!check(ok))
		tap_diag("ngspice: %s", lim_sess_error(S));
	return ok;
}

static double *vec(const char *name, size_t *n)
{
	double *d = NULL;

	if (lim_sess_vec(S, name, &d, n) != 0) {
		tap_diag("no vector %s", name);
		*n = 0;
	}
	return d;
}

static double last(const char *name)
{
	double v = NAN;

	if (lim_sess_last(S, name, &v) != 0)
		tap_diag("no vector %s", name);
	return v;
}

/* The device of physics.md with lambda = 1/2 and no clamp, written out. */
typedef struct { double rf, rr, k, weq; } rates;
static rates rates_at(double eb_ev, double vab, double temp_c)
{
	double kt = KB_EV * (temp_c + 273.15);
	rates r;

	r.rf = RMAX * exp(-(eb_ev - 0.5 * vab) / kt);
	r.rr = RMAX * exp(-(eb_ev + 0.5 * vab) / kt);
	r.k = r.rf + r.rr;
	r.weq = r.rf / r.k;
	return r;
}

/* w(t) and e_joule under constant bias against the closed form; relaxation
** times above 1e6 s are compared by the change over 1e6 s instead. */
static void closed_form(double temp_c)
{
	static const double barriers[] = {0.3, 0.5, 0.7, 0.9, 1.1, 1.3};
	const double vab = 0.03, w0 = 0.2, gmin = 1e-6, gmax = 1e-5;
	double worst_w = 0, worst_dw = 0, worst_ej = 0;
	size_t b, i, n, nw, ne;

	for (b = 0; b < 6; b++) {
		rates r = rates_at(barriers[b], vab, temp_c);
		int slow = 1 / r.k > 1e6;
		double tstop = slow ? 1e6 : 3 / r.k, *t, *w, *ej;
		if (!simulate("closed form\n.model syn lim_synapse(w0=%g)\n.temp %g\n"
		             "va a 0 %g\nvc c 0 %.10g\n" DEV_SYN "\n"
		             ".save " PROBE("w") " " PROBE("e_joule") "\n.tran %g %g\n.end\n", w0, temp_c,
		             vab, (1.3 - barriers[b]) / 0.5, tstop / 500, tstop))
			continue;
		t = vec("time", &n);
		w = vec(PROBE("w"), &nw);
		ej = vec(PROBE("e_joule"), &ne);
		check(n > 10 && nw == n && ne == n);
		for (i = 1; i < n && nw == n && ne == n; i++) {
			double dw = (r.weq - w0) * -expm1(-r.k * t[i]);
			double intw = r.weq * t[i] + (w0 - r.weq) * -expm1(-r.k * t[i]) / r.k;
			double ejw = vab * vab * (gmin * t[i] + (gmax - gmin) * intw);
			worst_w = fmax(worst_w, fabs(w[i] - (w0 + dw)));
			if (slow)
				worst_dw = fmax(worst_dw, fabs((w[i] - w0) - dw) / fabs(dw));
			worst_ej = fmax(worst_ej, fabs(ej[i] - ejw) / ejw);
		}
		free(t);
		free(w);
		free(ej);
	}
	check_near(worst_w, 0, 1e-3);
	check_near(worst_dw, 0, 1e-3);   /* the slope of the slow ones */
	check_near(worst_ej, 0, 1e-3);
}

/* The steady state is 1/(1 + exp(-dE_dev/kT)) whatever the barrier. */
static void detailed_balance(void)
{
	static const double vab[] = {-0.1, -0.02, 0.05, 0.1};
	static const double temps[] = {-40, 27, 125};
	double worst = 0;
	size_t i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 3; j++) {
			rates r = rates_at(0.45, vab[i], temps[j]);
			double kt = KB_EV * (temps[j] + 273.15);
			if (!simulate("balance\n.model syn lim_synapse(w0=0.5)\n.temp %g\nva a 0 %g\n"
			             "vc c 0 1.7\n" DEV_SYN "\n.save " PROBE("w") "\n"
			             ".tran %g %g\n.end\n", temps[j], vab[i], 30 / r.k / 200,
			             30 / r.k))
				continue;
			worst = fmax(worst, fabs(last(PROBE("w")) - 1 / (1 + exp(-vab[i] / kt))));
		}
	check_near(worst, 0, 1e-3);
}

/* -integral of v(a) i(va) dt: trapezoid over the raw time points. */
static double supply_energy(const char *node, const char *branch)
{
	double *t, *v, *i, e = 0;
	size_t n, nv, ni, k;

	t = vec("time", &n);
	v = vec(node, &nv);
	i = vec(branch, &ni);
	if (nv != n || ni != n) {
		free(t); free(v); free(i);
		return NAN;
	}
	for (k = 1; k < n; k++)
		e -= (v[k] * i[k] + v[k - 1] * i[k - 1]) / 2 * (t[k] - t[k - 1]);
	free(t); free(v); free(i);
	return e;
}

static void energy_of_a_pulse(void)
{
	double es;

	if (!simulate("pulse energy\n.model syn lim_synapse(w0=0.3)\n"
	             "va a 0 pwl(0 0 0.1u 0 0.11u 0.08 2u 0.08 2.01u 0 3u 0)\nvc c 0 1.7\n"
	             DEV_SYN "\n.save v(a) va#branch " PROBE("e_joule") " " PROBE("e_trans") "\n"
	             ".tran 5n 3u\n.end\n"))
		return;
	es = supply_energy("v(a)", "va#branch");
	tap_diag("supply %.6g J, e_joule %.6g J, e_trans %.6g J", es, last(PROBE("e_joule")),
	         last(PROBE("e_trans")));
	check_rel(last(PROBE("e_joule")) + last(PROBE("e_trans")), es, 0.01);
}

/* g_max = 1e-9 S, n_c = 1e6: the hop work is most of the supply energy and
** equals z q n_c V dw exactly at constant V. */
static void hop_work(void)
{
	double w, et, es, ej;

	if (!simulate("hop work\n.model syn lim_synapse(g_min=0 g_max=1e-9 n_c=1e6 w0=0.2)\n"
	             "va a 0 0.05\nvc c 0 1.7\n" DEV_SYN "\n"
	             ".save v(a) va#branch " PROBE("w") " " PROBE("e_trans") " " PROBE("e_joule") "\n"
	             ".tran 10n 4u\n.end\n"))
		return;
	w = last(PROBE("w"));
	et = last(PROBE("e_trans"));
	ej = last(PROBE("e_joule"));
	es = supply_energy("v(a)", "va#branch");
	tap_diag("e_trans %.6g J is %.1f %% of the supply's %.6g J", et, 100 * et / es, es);
	check(et > 0.9 * es);
	check_rel(et, Q_C * 1e6 * 0.05 * (w - 0.2), 1e-9);
	check_rel(et + ej, es, 0.01);
}

/* k dt >> 1 at the simulator's step: the state lands on w_eq, no ringing.
** The bias steps once, so w may rise and then fall: one reversal at most,
** and never past the final equilibrium. */
static void stiff_no_ringing(void)
{
	double *w, weq1 = 1 / (1 + exp(-0.02 / (KB_EV * 300.15)));
	double weq2 = 1 / (1 + exp(0.03 / (KB_EV * 300.15))), under = 0, above = 0;
	int reversals = 0, dir = 0;
	size_t n, i;

	if (!simulate("stiff\n.model syn lim_synapse(w0=0.2)\n"
	             "va a 0 pwl(0 0.02 5u 0.02 5.01u -0.03)\nvc c 0 2.6\n"
	             DEV_SYN "\n.save " PROBE("w") "\n.tran 1u 10u\n.end\n"))
		return;
	w = vec(PROBE("w"), &n);
	for (i = 1; i < n; i++) {
		double d = w[i] - w[i - 1];
		int s = d > 1e-12 ? 1 : d < -1e-12 ? -1 : 0;
		if (s && dir && s != dir)
			reversals++;
		if (s)
			dir = s;
		under = fmax(under, weq2 - w[i]);
		above = fmax(above, w[i] - weq1);
	}
	check(n > 2);
	check_int(reversals, <=, 1);
	check_near(under, 0, 1e-12);
	check_near(above, 0, 1e-12);
	check_near(w[1], weq1, 1e-9);       /* one step reaches equilibrium */
	check_near(w[n - 1], weq2, 1e-9);
	free(w);
}

/* A train of write pulses: halving the maximum step moves the end state
** by less than 0.5 %. */
static double pulse_train_w(double maxstep)
{
	if (!simulate("train\n.model syn lim_synapse(w0=0.3)\n"
	             "va a 0 pulse(0 0.1 0.2u 20n 20n 0.5u 1u 5)\nvc c 0 1.75\n"
	             DEV_SYN "\n.save " PROBE("w") "\n.tran 1n 5u 0 %g\n.end\n",
	             maxstep))
		return NAN;
	return last(PROBE("w"));
}

static void step_halving(void)
{
	double a = pulse_train_w(20e-9), b = pulse_train_w(10e-9);

	tap_diag("w = %.8f (max step 20 ns), %.8f (10 ns); moved by %.3g of the change",
	         a, b, fabs(a - b) / fabs(b - 0.3));
	check_rel(a, b, 0.005);
}

/* The same equations as B-sources and a 1 F capacitor holding w as a
** voltage; both run side by side from w0 under a sine bias. */
static void behavioural_twin(void)
{
	double kt = KB_EV * 300.15, *w1, *w2, *i1, *i2, worst_w = 0, worst_i = 0, imax = 0;
	size_t n1, n2, n3, n4, k;

	if (!simulate(
	    "twin\n.model syn lim_synapse(w0=0.3)\n"
	    ".param kt=%.12g rmax=1e13 qn=%.12g\n"
	    "va a 0 sin(0 0.1 1meg)\nvc c 0 1.75\n" DEV_SYN "\n"
	    "vb ab 0 sin(0 0.1 1meg)\nvcb cb 0 1.75\n"
	    "cw s 0 1 ic=0.3\n"
	    "bw 0 s i = {rmax}*((1-v(s))*exp(-(1.3-0.5*v(cb)-0.5*v(ab))/{kt})"
	    " - v(s)*exp(-(1.3-0.5*v(cb)+0.5*v(ab))/{kt}))\n"
	    "bd ab 0 i = (1e-6 + 9e-6*v(s))*v(ab) + {qn}*{rmax}*((1-v(s))*"
	    "exp(-(1.3-0.5*v(cb)-0.5*v(ab))/{kt}) - v(s)*exp(-(1.3-0.5*v(cb)+0.5*v(ab))/{kt}))\n"
	    ".save " PROBE("w") " v(s) va#branch vb#branch\n.tran 2n 4u 0 2n uic\n.end\n",
	    kt, Q_C * 1e4))
		return;
	w1 = vec(PROBE("w"), &n1);
	w2 = vec("v(s)", &n2);
	i1 = vec("va#branch", &n3);
	i2 = vec("vb#branch", &n4);
	check(n1 == n2 && n2 == n3 && n3 == n4 && n1 > 100);
	for (k = 0; k < n1 && n1 == n4; k++) {
		worst_w = fmax(worst_w, fabs(w1[k] - w2[k]));
		worst_i = fmax(worst_i, fabs(i1[k] - i2[k]));
		imax = fmax(imax, fabs(i2[k]));
	}
	tap_diag("w moved from 0.3 to %.6f; worst |dw| %.3g, worst |di| %.3g of %.3g A",
	         w2[n2 - 1], worst_w, worst_i, imax);
	check_rel(w1[n1 - 1], w2[n2 - 1], 0.005);
	check_near(worst_w / fabs(w2[n2 - 1] - 0.3), 0, 0.005);
	check_near(worst_i / imax, 0, 0.005);
	free(w1); free(w2); free(i1); free(i2);
}

/* DC holds the stored state: a linear I-V at G(w0); AC sees G(w0). */
static void dc_and_ac(void)
{
	double *i, *v, g = 1e-6 + 9e-6 * 0.7, worst = 0;
	size_t n, m, k;

	if (!simulate("dc\n.model syn lim_synapse(w0=0.7)\nva a 0 0\nvc c 0 2.0\n"
	             DEV_SYN "\n.dc va -1 1 0.1\n.end\n"))
		return;
	i = vec("va#branch", &n);
	v = vec("v(a)", &m);
	for (k = 0; k < n && n == m; k++)
		worst = fmax(worst, fabs(-i[k] - g * v[k]));
	check(n == 21);
	check_near(worst, 0, 1e-15);
	free(i); free(v);
	if (!simulate("ac\n.model syn lim_synapse(w0=0.7)\nva a 0 dc 0.1 ac 1\nvc c 0 2.0\n"
	             DEV_SYN "\n.ac dec 2 1 1meg\n.end\n"))
		return;
	check_rel(fabs(last("va#branch")), g, 1e-12);
}

/* Rates follow the simulator's temperature: the Arrhenius slope of the
** DC rate probe over a dc temp sweep is the barrier; dtemp adds to .temp. */
static void temperature(void)
{
	double *r, *t, eb = 1.3 - 0.5 * 1.2, slope, a, b;
	size_t n, m;

	if (!simulate("arrhenius\n.model syn lim_synapse\nva a 0 0\nvc c 0 1.2\n"
	             DEV_SYN "\n.save " PROBE("rate_relax") "\n"
	             ".dc temp -40 125 165\n.end\n"))
		return;
	r = vec(PROBE("rate_relax"), &n);
	t = vec("temp-sweep", &m);
	check(n == 2 && m == 2);
	if (n == 2 && m == 2) {
		slope = log(r[1] / r[0]) / (1 / (KB_EV * (t[0] + 273.15)) - 1 / (KB_EV * (t[1] + 273.15)));
		check_rel(slope, eb, 1e-9);
	}
	free(r); free(t);
	simulate("t85\n.model syn lim_synapse\n.temp 85\nva a 0 0\nvc c 0 1.2\n"
	         DEV_SYN "\n.save " PROBE("rate_relax") "\n.op\n.end\n");
	a = last(PROBE("rate_relax"));
	simulate("dtemp\n.model syn lim_synapse(dtemp=58)\n.temp 27\nva a 0 0\nvc c 0 1.2\n"
	         DEV_SYN "\n.save " PROBE("rate_relax") "\n.op\n.end\n");
	b = last(PROBE("rate_relax"));
	check_rel(a, 2 * RMAX * exp(-eb / (KB_EV * 358.15)), 1e-12);
	check_rel(b, a, 1e-12);
}

#endif
