/*
** t-osdi-cmd.c - the limspice command on both builds: each verb that
** simulates (netlist crossbar, energy, train, characterize, fit's round
** trip, sweep) once on Debian's ngspice 39 with the code model and once on
** ngspice 46 with the OSDI device and KLU (--ngspice, --solver), with the
** numbers compared where the two must agree. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "tap.h"

static char ng46[4200], dir[64];

/* Runs limspice with args on ngspice 39 (ng = 0) or 46 with KLU (ng = 1);
** stdout into *out. The exit status. */
static int lims(int ng, const char *args, char **out)
{
	char cmd[8192], *err = NULL;
	int rc;

	snprintf(cmd, sizeof cmd, "%s%s", ng ? ng46 : "", args);
	rc = run_limspice(cmd, out, &err);
	if (rc != 0)
		tap_diag("limspice %s: exit %d: %s", cmd, rc, err ? err : "");
	free(err);
	return rc;
}

/* The value of metric in a summary.csv ("metric,value,unit"). */
static double metric(const char *path, const char *name)
{
	char *text = slurp(path), *p;
	double v = NAN;
	size_t n = strlen(name);

	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ',') {
			v = atof(p + n + 1);
			break;
		}
	free(text);
	return v;
}

static void netlist(void)
{
	char *a = NULL, *b = NULL;

	check_int(lims(0, "netlist crossbar --rows 3 --cols 2 --r-wire 1 --no-control", &a), ==, 0);
	check_int(lims(1, "netlist crossbar --rows 3 --cols 2 --r-wire 1 --no-control", &b), ==, 0);
	check(a && strstr(a, "a2_1 %gd(r2_1 c1_2) %vd(bl 0) mw5000"));
	check(b && strstr(b, "n2_1 r2_1 c1_2 bl 0 mw w0=0.5\n"));
	check(b && strstr(b, ".model mw lim_synapse(") && !strstr(b, "mw5000"));
	free(a);
	free(b);
}

/* The same crossbar deck through `energy` on both: the supply energies
** agree (the deck's states and the write are piecewise constant). */
static void energy(void)
{
	char path[2][128], args[512], *out[2] = {NULL, NULL}, *line;
	double e[2] = {NAN, NAN};
	int ng;

	for (ng = 0; ng < 2; ng++) {
		char *deck = NULL;
		FILE *f;
		int rc;
		snprintf(path[ng], sizeof path[ng], "%s/x%d.cir", dir, ng);
		snprintf(args, sizeof args, "netlist crossbar --rows 4 --cols 4 --r-wire 1 --no-control "
		         "--v-barrier 1.7 --v-read 0.05 --analysis '.tran 10n 2u'");
		rc = lims(ng, args, &deck);
		check_int(rc, ==, 0);
		if (rc != 0 || !(f = fopen(path[ng], "w"))) {
			free(deck);
			return;
		}
		fputs(deck, f);
		fclose(f);
		free(deck);
		snprintf(args, sizeof args, "energy %s", path[ng]);
		check_int(lims(ng, args, &out[ng]), ==, 0);
		if (out[ng] && (line = strstr(out[ng], "TOTAL,all,all,")))
			e[ng] = atof(line + 14);
	}
	tap_diag("supply energy: %.10g J (39, code model), %.10g J (46, OSDI, KLU)", e[0], e[1]);
	check(e[0] > 0);
	check_rel(e[1], e[0], 1e-6);
	free(out[0]);
	free(out[1]);
}

static void train(void)
{
	char args[512], *o = NULL, sum[2][128];
	int ng;

	for (ng = 0; ng < 2; ng++) {
		snprintf(args, sizeof args, "train --steps 20 --no-plots --out %s/t%d", dir, ng);
		check_int(lims(ng, args, &o), ==, 0);
		free(o);
		o = NULL;
		snprintf(sum[ng], sizeof sum[ng], "%s/t%d/summary.csv", dir, ng);
	}
	tap_diag("energy per update %.6g J (39) and %.6g J (46)",
	         metric(sum[0], "energy_per_update_J"), metric(sum[1], "energy_per_update_J"));
	check_rel(metric(sum[1], "test_accuracy"), metric(sum[0], "test_accuracy"), 1e-9);
	check_rel(metric(sum[1], "updates"), metric(sum[0], "updates"), 0.01);
	/* the writes' ramps are not piecewise constant: the two time grids differ */
	check_rel(metric(sum[1], "energy_per_update_J"), metric(sum[0], "energy_per_update_J"), 1e-3);
	check_near(metric(sum[1], "energy_closure"), 0, 1e-4);
}

/* characterize rates is DC: the rate probes agree to the digit; fit reads
** the OSDI build's table back into the default card. */
static void characterize_fit(void)
{
	char *a = NULL, *b = NULL, args[512], *o = NULL;
	FILE *f;

	check_int(lims(0, "characterize rates", &a), ==, 0);
	check_int(lims(1, "characterize rates", &b), ==, 0);
	check(a && b && !strcmp(a, b));
	snprintf(args, sizeof args, "%s/rates.csv", dir);
	if (b && (f = fopen(args, "w"))) {
		fputs(b, f);
		fclose(f);
		snprintf(args, sizeof args, "fit --kind rates %s/rates.csv --out %s/fit", dir, dir);
		check_int(lims(1, args, &o), ==, 0);
		snprintf(args, sizeof args, "%s/fit/fit.csv", dir);
		o = slurp(args);
		check(o && strstr(o, "e_b0,1.3"));
	}
	free(a);
	free(b);
	free(o);
}

static void sweep(void)
{
	char args[512], *o = NULL, spec[128], *text;
	FILE *f;

	snprintf(spec, sizeof spec, "%s/s.ini", dir);
	if (!(f = fopen(spec, "w")))
		return;
	fprintf(f, "[fixed]\ndata = iris\nsteps = 10\n[vary]\ne_b0 = 1.2, 1.3\n");
	fclose(f);
	/* the workers log what ngspice prints: its banner names the version */
	setenv("LIMSPICE_NGSPICE_LOG", "1", 1);
	snprintf(args, sizeof args, "sweep %s -j 2 --out %s/sw", spec, dir);
	check_int(lims(1, args, &o), ==, 0);
	unsetenv("LIMSPICE_NGSPICE_LOG");
	free(o);
	snprintf(args, sizeof args, "%s/sw/results.csv", dir);
	text = slurp(args);
	check(text && strstr(text, ",ok,") && !strstr(text, ",failed,"));
	free(text);
	snprintf(args, sizeof args, "%s/sw/points/2/log.txt", dir);
	text = slurp(args);
	check(text && strstr(text, "ngspice-46 shared library"));
	free(text);
}

int main(void)
{
	const char *root = env_or_skip("LIMSPICE_NGSPICE46");
	char lib[4096];

	if (!root || !env_or_skip("LIMSPICE"))
		return 0;
	snprintf(lib, sizeof lib, "%s/usr/lib/x86_64-linux-gnu/libngspice.so.0", root);
	if (access(lib, R_OK) != 0) {
		tap_skip_all("ngspice 46 is not unpacked (make deps puts it in .deps/ngspice46)");
		return 0;
	}
	snprintf(ng46, sizeof ng46, "--ngspice '%s' --solver klu ", root);
	snprintf(dir, sizeof dir, "/tmp/t-osdi-cmd.XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot make a temporary folder\n");
		return 1;
	}
	TEST(netlist(), "netlist crossbar: code-model lines, or OSDI instances with w0 and one card");
	TEST(energy(), "energy: one crossbar transient on both, supply energy within 1e-6");
	TEST(train(), "train: same accuracy and updates on both, energy per update within 1e-3");
	TEST(characterize_fit(), "characterize rates identical on both; fit reads the OSDI table");
	TEST(sweep(), "sweep: points run on ngspice 46 through the workers' environment");
	{
		char cmd[128], *o = NULL, *e = NULL;
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		run_capture(cmd, &o, &e);
		free(o);
		free(e);
	}
	return tap_done();
}
