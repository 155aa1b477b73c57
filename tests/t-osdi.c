/*
** t-osdi.c - the lim_synapse OSDI device (build/limspice.osdi) in the real
** libngspice 46: the closed-form checks t-synapse.c makes of the code model,
** instance parameters, and the same deck on both builds (the code model in
** ngspice 39, run in a child process: a process holds one libngspice).
** Expected values come from closed forms, never from the device. See LICENSE.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "session.h"
#include "tap.h"

/* The OSDI device: an N instance and its operating-point variables. */
#define DEV_SYN "n1 a 0 c 0 syn"
#define PROBE(name) "@n1[" name "]"
#include "synapse_checks.h"

/* A refused card: a message naming the instance, the parameter, the value
** and the range; OSDI lets the device stop the analysis. */
static void refused(const char *card, const char *names)
{
	char text[4096];
	int rc;

	snprintf(text, sizeof text, "refused\n.model bad lim_synapse(%s)\nva a 0 0.5\n"
	         "r1 a 0 1k\nvc c 0 0\nn1 a 0 c 0 bad\n"
	         ".save @n1[err] va#branch\n.op\n.end\n", card);
	lim_sess_reset(S);
	rc = lim_sess_load_text(S, text);
	if (rc == 0)
		rc = lim_sess_run(S);
	check_int(rc, ==, -1);
	check(strstr(lim_sess_error(S), "lim_synapse: refused") != NULL);
	check(strstr(lim_sess_error(S), "instance n1") != NULL);
	check(strstr(lim_sess_error(S), names) != NULL);
	if (!strstr(lim_sess_error(S), names))
		tap_diag("message: %s", lim_sess_error(S));
}

/* Instance parameters: two devices of one card, each with its own w0 and
** dtemp, hold their own states (DC) and relax at their own temperatures. */
static void instance_params(void)
{
	double g1 = 1e-6 + 9e-6 * 0.2, g2 = 1e-6 + 9e-6 * 0.9, eb = 1.3 - 0.5 * 1.2;

	if (!simulate("inst\n.model syn lim_synapse(w0=0.5)\nva a 0 0.1\nvb b 0 0.1\nvc c 0 1.2\n"
	             "n1 a 0 c 0 syn w0=0.2\nn2 b 0 c 0 syn w0=0.9 dtemp=58\n"
	             ".save va#branch vb#branch @n1[rate_relax] @n2[rate_relax]\n.op\n.end\n"))
		return;
	check_rel(-last("va#branch"), g1 * 0.1, 1e-12);
	check_rel(-last("vb#branch"), g2 * 0.1, 1e-12);
	/* k = 2 R0 cosh(V_ab / 2kT) at lambda = 1/2 */
	check_rel(last("@n2[rate_relax]") / last("@n1[rate_relax]"),
	          exp(-eb / (KB_EV * 358.15)) * cosh(0.05 / (KB_EV * 358.15)) /
	          (exp(-eb / (KB_EV * 300.15)) * cosh(0.05 / (KB_EV * 300.15))), 1e-9);
}

/* An unknown instance parameter is refused before ngspice 46 sees it (it
** crashes on one). */
static void unknown_instance_param(void)
{
	int rc;

	lim_sess_reset(S);
	rc = lim_sess_load_text(S, "bad\n.model syn lim_synapse\nva a 0 0.1\nvc c 0 0\n"
	                        "n1 a 0 c 0 syn foo=1\n.op\n.end\n");
	check_int(rc, ==, -1);
	check(strstr(lim_sess_error(S), "'foo' is not a lim_synapse parameter") != NULL);
}

/* noise = 1: the state moves in whole carriers; the ensemble over 400
** devices of 400 carriers relaxes to w_eq with the binomial spread. */
static void stochastic(void)
{
	char *text = NULL, *name;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	double vab = 0.02, kt = KB_EV * 300.15, weq = 1 / (1 + exp(-vab / kt)), m = 0, v = 0;
	int k, on_grid = 1;
	const int nd = 400;

	fprintf(f, "noise\n.model syn lim_synapse(noise=1 n_c=400 w0=0.5 seed=7)\n"
	        "va a 0 %g\nvc c 0 1.7\n", vab);
	for (k = 0; k < nd; k++)
		fprintf(f, "n%d a 0 c 0 syn\n.save @n%d[w]\n", k, k);
	fprintf(f, ".tran 0.1u 20u\n.end\n");
	fclose(f);
	lim_sess_reset(S);
	if (!check(lim_sess_load_text(S, text) == 0 && lim_sess_run(S) == 0)) {
		tap_diag("ngspice: %s", lim_sess_error(S));
		free(text);
		return;
	}
	free(text);
	name = malloc(64);
	for (k = 0; k < nd; k++) {
		double w;
		snprintf(name, 64, "@n%d[w]", k);
		w = last(name);
		on_grid &= fabs(w * 400 - round(w * 400)) < 1e-9;
		m += w / nd;
		v += w * w / nd;
	}
	free(name);
	v -= m * m;
	tap_diag("mean %.5f (w_eq %.5f), variance %.3g (binomial %.3g)", m, weq, v,
	         weq * (1 - weq) / 400);
	check(on_grid);
	check_near(m, weq, 4 * sqrt(weq * (1 - weq) / 400 / nd));
	check_rel(v, weq * (1 - weq) / 400, 0.25);
}

/* -- The same deck on both builds ----------------------------------------------- */

/* Piecewise-constant bias: steps with 1 ps edges, a write with the barrier
** lowered and a read; ngspice picks different time points in 39 and 46,
** and the exact update makes that irrelevant. */
static const char *both_deck =
	"both\n.model syn lim_synapse(w0=0.3)\n"
	"va a 0 pwl(0 0 0.2u 0 0.200001u 0.08 1.2u 0.08 1.200001u -0.05 2u -0.05 2.000001u 0.1 3u 0.1)\n"
	"vc c 0 pwl(0 0 0.2u 0 0.200001u 1.75 2u 1.75 2.000001u 0.5 3u 0.5)\n"
	"%s\n.save %s %s %s\n.tran 10n 3u\n.end\n";

static int both_run(lim_session *s, double out[3])
{
	char dev[128], p[3][32], text[2048];
	static const char *const probes[] = {"w", "e_trans", "e_joule"};
	int k;

	lim_sess_device_line(s, "1", "a", "0", "c", "0", "syn", dev, sizeof dev);
	for (k = 0; k < 3; k++)
		lim_sess_probe_name(s, "1", probes[k], p[k], sizeof p[k]);
	snprintf(text, sizeof text, both_deck, dev, p[0], p[1], p[2]);
	lim_sess_reset(s);
	if (lim_sess_load_text(s, text) != 0 || lim_sess_run(s) != 0)
		return -1;
	for (k = 0; k < 3; k++)
		if (lim_sess_last(s, p[k], &out[k]) != 0)
			return -1;
	return 0;
}

/* The code model's side, in a child with Debian's ngspice 39. */
static int both_cm(double out[3])
{
	int fd[2], status, got;
	pid_t pid;

	if (pipe(fd) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		char err[1024];
		lim_session *s = lim_sess_open(getenv("LIMSPICE_CM"), err, sizeof err);
		double v[3];
		int ok = s && both_run(s, v) == 0;
		close(fd[0]);
		if (ok && write(fd[1], v, sizeof v) != (ssize_t)sizeof v)
			ok = 0;
		_exit(ok ? 0 : 1);
	}
	close(fd[1]);
	got = read(fd[0], out, 3 * sizeof *out) == (ssize_t)(3 * sizeof *out);
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return got ? 0 : -1;
}

/* cm: the child's figures, taken before this process opened ngspice 46
** (a child forked after it would inherit that session). */
static void same_on_both(int cm_ok, const double cm[3])
{
	double os[3];
	static const char *const what[] = {"w", "e_trans", "e_joule"};
	int k;

	if (!check(cm_ok))
		return;
	if (!check(both_run(S, os) == 0)) {
		tap_diag("ngspice 46: %s", lim_sess_error(S));
		return;
	}
	for (k = 0; k < 3; k++) {
		tap_diag("%s: code model %.12g, OSDI %.12g, relative %.3g", what[k], cm[k], os[k],
		         fabs(os[k] - cm[k]) / fabs(cm[k]));
		check_rel(os[k], cm[k], 1e-6);
	}
}

/* Only the OSDI entry points leave the library. */
static void exports(void)
{
	char cmd[4200], *out = NULL, *err = NULL;

	/* an ASan build adds its own __odr_asan.NAME beside each one */
	snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s' | awk '{print $3}' | "
	         "grep -v '^__odr_asan[.]' | sort | tr '\\n' ' '", getenv("LIMSPICE_OSDI"));
	check_int(run_capture(cmd, &out, &err), ==, 0);
	check_str(out, "OSDI_DESCRIPTORS OSDI_NUM_DESCRIPTORS OSDI_VERSION_MAJOR OSDI_VERSION_MINOR osdi_log ");
	free(out);
	free(err);
}

int main(void)
{
	const char *root = env_or_skip("LIMSPICE_NGSPICE46"), *osdi;
	char lib[4096], share[4096], err[1024];
	double cm[3];
	int cm_ok;
	lim_sess_opts o;

	if (!root || !(osdi = env_or_skip("LIMSPICE_OSDI")))
		return 0;
	snprintf(lib, sizeof lib, "%s/usr/lib/x86_64-linux-gnu/libngspice.so.0", root);
	snprintf(share, sizeof share, "%s/usr/share/ngspice", root);
	if (access(lib, R_OK) != 0) {
		tap_skip_all("ngspice 46 is not unpacked (make deps puts it in .deps/ngspice46)");
		return 0;
	}
	TEST(exports(), "limspice.osdi exports only the OSDI symbols");
	cm_ok = both_cm(cm) == 0;
	lim_sess_opts_default(&o);
	o.ngspice = lib;
	o.spice_lib_dir = share;
	o.osdi_path = osdi;
	o.solver = "klu";
	if (!(S = lim_sess_open_opts(&o, err, sizeof err))) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	TEST(check_int(lim_sess_ngspice_major(S), ==, 46); check(lim_sess_osdi(S)),
	     "lim_sess_open_opts: ngspice 46 with the OSDI device");
	TEST(same_on_both(cm_ok, cm), "one deck, code model in ngspice 39 and OSDI in 46: w, "
	     "e_trans, e_joule within 1e-6");
	TEST(closed_form(-40), "w(t), e_joule against the closed form, 0.3..1.3 eV at -40 C");
	TEST(closed_form(27), "w(t), e_joule against the closed form, 0.3..1.3 eV at 27 C");
	TEST(closed_form(125), "w(t), e_joule against the closed form, 0.3..1.3 eV at 125 C");
	TEST(detailed_balance(), "steady state = 1/(1 + exp(-dE/kT)), -40..125 C");
	TEST(energy_of_a_pulse(), "supply energy of a pulse = e_joule + e_trans within 1 %%");
	TEST(hop_work(), "e_trans = z q n_c V dw and dominates at g_max = 1e-9 S, n_c = 1e6");
	TEST(stiff_no_ringing(), "k dt ~ 2e4: the state lands on w_eq without ringing");
	TEST(step_halving(), "halving the maximum step moves the end state < 0.5 %%");
	TEST(behavioural_twin(), "agrees with a B-source + capacitor twin within 0.5 %%");
	TEST(dc_and_ac(), "DC holds w0 (linear I-V at G(w0)); AC gives G(w0)");
	TEST(temperature(), "rates follow .temp, dc temp sweeps and dtemp (Arrhenius slope = E_B)");
	TEST(instance_params(), "w0 and dtemp per instance: own DC state, own temperature");
	TEST(unknown_instance_param(), "an unknown instance parameter is refused, not crashed on");
	TEST(stochastic(), "noise = 1: whole carriers, mean w_eq, binomial variance");
	TEST(refused("g_min=2e-5", "g_min = 2e-05 S is above g_max"), "refuses g_min > g_max");
	TEST(refused("n_c=0", "n_c = 0"), "refuses n_c <= 0");
	TEST(refused("lambda=1.5", "lambda = 1.5"), "refuses lambda outside [0, 1]");
	TEST(refused("w0=2", "w0 = 2"), "refuses w0 outside [0, 1]");
	lim_sess_close(S);
	return tap_done();
}
