/*
** t-decks.c - the decks in netlists/ and testbenches/ run in the plain
** ngspice binary after make, and print figures that agree with closed
** forms written here. See LICENSE.
*/
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "tap.h"

#define KB_EV 8.617333262e-5

static const char *top;

/* Runs `ngspice -b deck` from the top of the tree; returns its output
** (stdout and stderr together) or NULL when it failed or printed errors. */
static char *ngspice(const char *deck)
{
	char cmd[1024], *out, *err, *both;
	int rc;
	size_t n;

	snprintf(cmd, sizeof cmd, "cd '%s' && ngspice -b '%s'", top, deck);
	rc = run_capture(cmd, &out, &err);
	if (rc != 0 || strstr(out, "rror") || strstr(err, "rror") || strstr(out, "failed")) {
		tap_diag("%s: exit %d", deck, rc);
		if (out && err) {
			char *p = strstr(err, "rror");
			tap_diag("%.300s", p ? p - 1 : strstr(out, "rror") ? strstr(out, "rror") - 1 : err);
		}
		free(out);
		free(err);
		return NULL;
	}
	n = strlen(out) + strlen(err) + 2;
	both = malloc(n);
	if (both)
		snprintf(both, n, "%s\n%s", out, err);
	free(out);
	free(err);
	return both;
}

/* The number after "key " at the start of a line, NAN when absent; meas's
** own "key = value" lines are passed over for the deck's echoed figures. */
static double figure(const char *out, const char *key)
{
	size_t kl = strlen(key);
	const char *p;

	for (p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			const char *v = p + kl + strspn(p + kl, " ");
			if (*v != '=')
				return atof(v);
		}
	return NAN;
}

static void every_deck_runs(const char *dir)
{
	char path[1024];
	struct dirent *e;
	DIR *d;
	int n = 0, bad = 0;

	snprintf(path, sizeof path, "%s/%s", top, dir);
	d = opendir(path);
	check(d != NULL);
	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char deck[600], *out;
		if (l < 5 || strcmp(e->d_name + l - 4, ".cir") != 0)
			continue;
		snprintf(deck, sizeof deck, "%s/%s", dir, e->d_name);
		n++;
		if (!(out = ngspice(deck)))
			bad++;
		free(out);
	}
	if (d)
		closedir(d);
	check_int(n, >, 0);
	check_int(bad, ==, 0);
}

static void retention(void)
{
	char *out = ngspice("testbenches/retention.cir");
	double kt = KB_EV * (85 + 273.15);

	check(out != NULL);
	if (out)   /* 1/(2 R0) at 85 C */
		check_rel(figure(out, "retention_s"), 1 / (2 * 1e13 * exp(-1.3 / kt)), 0.01);
	free(out);
}

static void rate_vs_vc(void)
{
	char *out = ngspice("testbenches/rate_vs_vc.cir");
	double kt = KB_EV * 300.15;

	check(out != NULL);
	if (out) {
		check_rel(figure(out, "kappa_measured_eV_per_V"), 0.5, 1e-6);
		check_rel(figure(out, "rate_saturated_per_s"), 2e13 * exp(-0.1 / kt), 1e-6);
	}
	free(out);
}

/* .sens used to crash ngspice in the model's DC load (no state vectors in
** that analysis). The divider's sensitivities, from G(w0) of the default
** card at w0 = 0.3: G = 1e-6 + 0.3 x 9e-6 S. */
static void sens(void)
{
	char *out = ngspice("testbenches/sens.cir");
	double rs = 1 / (1e-6 + 0.3 * 9e-6), r1 = 1e3;

	check(out != NULL);
	if (out) {
		check(strstr(out, "lim_synapse: the device on nodes (b 0)") != NULL);
		check_rel(figure(out, "dvb_dr1_V_per_ohm"), -0.1 * rs / ((r1 + rs) * (r1 + rs)), 1e-5);
		check_rel(figure(out, "dvb_dv1"), rs / (r1 + rs), 1e-5);
	}
	free(out);
}

static void arrhenius(void)
{
	char *out = ngspice("testbenches/arrhenius.cir");

	check(out != NULL);
	if (out)
		check_rel(figure(out, "activation_energy_eV"), 0.8, 1e-6);
	free(out);
}

static void energy(void)
{
	char *out = ngspice("testbenches/energy.cir");

	check(out != NULL);
	if (out) {
		double s = figure(out, "supply_J"), t = figure(out, "e_trans_J");
		check_rel(t + figure(out, "e_joule_J"), s, 0.01);
		check_rel(t, figure(out, "zqnvdw_J"), 1e-5);
	}
	free(out);
}

/* 20 potentiating pulses raise w with shrinking steps, 20 depressing ones
** lower it likewise: the saturating response of physics.md's write rule. */
static void pulse_response(void)
{
	char *out = ngspice("testbenches/pulse_response.cir"), key[8];
	double w[41], up_shrinks = 1, down_shrinks = 1;
	int k, ok = 1;

	check(out != NULL);
	if (!out)
		return;
	w[0] = 0.5;
	for (k = 1; k <= 40; k++) {
		snprintf(key, sizeof key, "%d", k);
		w[k] = figure(out, key);
		ok &= isfinite(w[k]);
	}
	check(ok);
	for (k = 2; k <= 20 && ok; k++)
		up_shrinks = fmin(up_shrinks, (w[k - 1] - w[k - 2]) - (w[k] - w[k - 1]));
	for (k = 22; k <= 40 && ok; k++)
		down_shrinks = fmin(down_shrinks, (w[k - 2] - w[k - 1]) - (w[k - 1] - w[k]));
	check(w[20] > w[1] && w[1] > 0.5);
	check(w[40] < w[21] && w[21] < w[20]);
	check(up_shrinks > 0);
	check(down_shrinks > 0);
	free(out);
}

static void demo_deck(void)
{
	char *out = ngspice("netlists/lim_vs_conventional.cir");
	double lim, conv;

	check(out != NULL);
	if (!out)
		return;
	check(sscanf(strstr(out, "supply energy [J]") ? strstr(out, "supply energy [J]") + 17 : "",
	             "%lf %lf", &lim, &conv) == 2);
	tap_diag("LIM %.4g J, conventional %.4g J for five writes", lim, conv);
	check(lim > 0 && conv > 100 * lim);
	free(out);
}

int main(void)
{
	if (!(top = env_or_skip("LIMSPICE_TOP")))
		return 0;
	if (system("command -v ngspice >/dev/null 2>&1") != 0) {
		tap_skip_all("the ngspice binary is not installed");
		return 0;
	}
	TEST(every_deck_runs("netlists"), "every deck in netlists/ runs in ngspice -b without an error");
	TEST(every_deck_runs("testbenches"), "every deck in testbenches/ runs in ngspice -b without an error");
	TEST(retention(), "testbenches/retention.cir: 1/(2 R0) at 85 C (1.1 days)");
	TEST(rate_vs_vc(), "testbenches/rate_vs_vc.cir: slope kappa/kT and the e_min saturation");
	TEST(sens(), "testbenches/sens.cir: .sens runs (no crash) and gives the divider's sensitivities");
	TEST(arrhenius(), "testbenches/arrhenius.cir: activation energy = 0.8 eV barrier");
	TEST(energy(), "testbenches/energy.cir: supply = e_trans + e_joule; e_trans = z q n_c V dw");
	TEST(pulse_response(), "testbenches/pulse_response.cir: saturating potentiation and depression");
	TEST(demo_deck(), "netlists/lim_vs_conventional.cir: LIM writes for < 1/100 of the energy");
	return tap_done();
}
