/*
** t-crossbar.c - crossbar decks read through the real simulator: column
** currents against sum_i G_ij V_i and against a nodal solve written here;
** the generated deck in ngspice -b; `limspice energy` against analytic
** energies and on decks that fail. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "session.h"
#include "tap.h"
#include "xbar.h"

static lim_session *S;
static const char *exe;

/* A small deterministic generator for test weights (not the product's). */
static double unit_random(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return ((*s >> 8) & 0xffff) / 65535.0;
}

static double V[16];   /* row voltages of the current test */

static const char *row_voltage(void *ctx, char kind, int i, char *buf, size_t n)
{
	(void)ctx;
	if (kind != 'r')
		return NULL;
	snprintf(buf, n, "dc %.15g", V[i]);
	return buf;
}

/* Runs spec through the library and copies the physical column currents. */
static int read_array(const lim_xbar_spec *x, double *cur)
{
	char *text = NULL, name[32];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int p, ok;

	if (!f)
		return -1;
	lim_xbar_write(f, x);
	fclose(f);
	lim_sess_reset(S);
	ok = lim_sess_load_text(S, text) == 0 && lim_sess_run(S) == 0;
	free(text);
	if (!ok) {
		tap_diag("ngspice: %s", lim_sess_error(S));
		return -1;
	}
	for (p = 0; p < lim_xbar_pcols(x); p++) {
		snprintf(name, sizeof name, "vs%d#branch", p);
		if (lim_sess_last(S, name, &cur[p]) != 0)
			return -1;
	}
	return 0;
}

/* The generator rounds each initial state to whole carriers (xbar.h). */
static double G(const lim_phys_dev *d, double w)
{
	w = fmin(1, round(w * d->n_c) / d->n_c);
	return d->g_min + (d->g_max - d->g_min) * w;
}

static void read_without_wires(int differential)
{
	lim_xbar_spec x;
	double w[8 * 12], cur[12], worst = 0;
	unsigned seed = 7;
	int i, p, pc;

	lim_xbar_default(&x);
	x.rows = 8;
	x.cols = 6;
	x.differential = differential;
	pc = lim_xbar_pcols(&x);
	for (i = 0; i < x.rows * pc; i++)
		w[i] = unit_random(&seed);
	for (i = 0; i < x.rows; i++)
		V[i] = 0.2 * unit_random(&seed) - 0.1;
	x.w0 = w;
	x.source = row_voltage;
	check(read_array(&x, cur) == 0);
	for (p = 0; p < pc; p++) {
		double want = 0;
		for (i = 0; i < x.rows; i++)
			want += G(&x.card, w[i * pc + p]) * V[i];
		worst = fmax(worst, fabs(cur[p] - want) / fabs(want));
	}
	check_near(worst, 0, 1e-6);
	if (differential) {   /* output j = I(2j) - I(2j+1) */
		double want = 0;
		for (i = 0; i < x.rows; i++)
			want += (G(&x.card, w[i * pc]) - G(&x.card, w[i * pc + 1])) * V[i];
		check_rel(cur[0] - cur[1], want, 1e-6);
	}
}

/* A prefixed array (two can then share a deck): its sense currents, read by
** the names README documents (vP s<p>), equal sum G V; and the module reads
** back exactly its own source names. */
static void prefixed_names(void)
{
	lim_xbar_spec x;
	double w[3 * 4];
	char *text = NULL, name[48];
	size_t len = 0;
	FILE *f;
	lim_xbar_kind kind;
	int i, p, idx, ok;

	lim_xbar_default(&x);
	x.rows = 3;
	x.cols = 2;
	x.differential = 1;
	x.barrier = LIM_XBAR_BARRIER_COL;
	x.prefix = "l1_";
	for (i = 0; i < 12; i++)
		w[i] = (i + 1) / 13.0;
	for (i = 0; i < 3; i++)
		V[i] = 0.05 * (i + 1);
	x.w0 = w;
	x.source = row_voltage;
	if (!(f = open_memstream(&text, &len)))
		return;
	lim_xbar_write(f, &x);
	fclose(f);
	check(strstr(text, "\nal1_2_3 ") != NULL);   /* device (2, 3) */
	lim_sess_reset(S);
	ok = lim_sess_load_text(S, text) == 0 && lim_sess_run(S) == 0;
	free(text);
	check(ok);
	for (p = 0; ok && p < 4; p++) {
		double got = NAN, want = 0;
		snprintf(name, sizeof name, "vl1_s%d#branch", p);
		check(lim_sess_last(S, name, &got) == 0);
		for (i = 0; i < 3; i++)
			want += G(&x.card, w[i * 4 + p]) * V[i];
		check_rel(got, want, 1e-6);
	}
	check(lim_xbar_parse_source(&x, "VL1_R2", &kind, &idx) == 0 && kind == LIM_XBAR_ROW && idx == 2);
	check(lim_xbar_parse_source(&x, "vl1_b3", &kind, &idx) == 0 && kind == LIM_XBAR_BARRIER &&
	      idx == 3);
	check(lim_xbar_parse_source(&x, "vr2", &kind, &idx) != 0);      /* another array's */
	check(lim_xbar_parse_source(&x, "vl1_r3", &kind, &idx) != 0);   /* past the rows */
	check(lim_xbar_parse_source(&x, "vl1_b", &kind, &idx) != 0);    /* no global line */
	check(lim_xbar_parse_source(&x, "vl1_s1x", &kind, &idx) != 0);
	x.prefix = "l1";   /* would name device (2, 3) "al12_3", as "l" names (12, 3) */
	check(lim_xbar_check(&x, (char[256]){0}, 256) != 0);
}

/* The nodal systems below are solved by run.c's elimination. */
static int solve(int n, double *a, double *b) { return solve_dense(n, a, b); }

/* Nodal analysis of an R x P array with wire segments rw, driver
** resistance rs: unknowns are row nodes r(i,p) and column nodes c(p,i)
** for i < R-1 (the last column node sits on the 0 V sense source). */
#define RR 3
#define PP 3
static void nodal_currents(const double *g, double rw, double rs, double *cur)
{
	enum { NR = RR * PP, N = RR * PP + PP * (RR - 1) };
	double a[N * N] = {0}, b[N] = {0};
	int i, p;
#define RI(i, p) ((i) * PP + (p))
#define CI(p, i) (NR + (p) * (RR - 1) + (i))
#define STAMP(u, v, gg) do { a[(u) * N + (u)] += gg; a[(v) * N + (v)] += gg; \
	a[(u) * N + (v)] -= gg; a[(v) * N + (u)] -= gg; } while (0)

	for (i = 0; i < RR; i++) {
		a[RI(i, 0) * N + RI(i, 0)] += 1 / rs;   /* driver: V_i through rs */
		b[RI(i, 0)] += V[i] / rs;
		for (p = 1; p < PP; p++)
			STAMP(RI(i, p - 1), RI(i, p), 1 / rw);
	}
	for (p = 0; p < PP; p++) {
		for (i = 1; i < RR - 1; i++)
			STAMP(CI(p, i - 1), CI(p, i), 1 / rw);
		if (RR > 1)                              /* last segment to the sense node */
			a[CI(p, RR - 2) * N + CI(p, RR - 2)] += 1 / rw;
	}
	for (i = 0; i < RR; i++)
		for (p = 0; p < PP; p++) {
			double gg = g[i * PP + p];
			if (i < RR - 1)
				STAMP(RI(i, p), CI(p, i), gg);
			else
				a[RI(i, p) * N + RI(i, p)] += gg;   /* to the 0 V sense node */
		}
	check(solve(N, a, b) == 0);
	for (p = 0; p < PP; p++)
		cur[p] = g[(RR - 1) * PP + p] * b[RI(RR - 1, p)] + b[CI(p, RR - 2)] / rw;
}

static void read_with_wires(void)
{
	lim_xbar_spec x;
	double w[RR * PP], g[RR * PP], cur[PP], want[PP], worst = 0, plain = 0;
	unsigned seed = 11;
	int i, p;

	lim_xbar_default(&x);
	x.rows = RR;
	x.cols = PP;
	x.r_wire_ohm = 2e3;     /* large, so the wires matter at the percent level */
	x.r_source_ohm = 500;
	for (i = 0; i < RR * PP; i++) {
		w[i] = unit_random(&seed);
		g[i] = G(&x.card, w[i]);
	}
	for (i = 0; i < RR; i++)
		V[i] = 0.05 + 0.1 * unit_random(&seed);
	x.w0 = w;
	x.source = row_voltage;
	check(read_array(&x, cur) == 0);
	nodal_currents(g, x.r_wire_ohm, x.r_source_ohm, want);
	for (p = 0; p < PP; p++) {
		double ideal = 0;
		for (i = 0; i < RR; i++)
			ideal += g[i * PP + p] * V[i];
		worst = fmax(worst, fabs(cur[p] - want[p]) / fabs(want[p]));
		plain = fmax(plain, fabs(ideal - want[p]) / fabs(want[p]));
	}
	tap_diag("wires and drivers move the currents by up to %.2f %%", 100 * plain);
	check(plain > 1e-3);             /* the test sees the wires at all */
	check_near(worst, 0, 1e-6);
}

/* Writes a weights file, generates a 4 x 4 deck from it, runs the deck in
** ngspice -b and through the library: both give sum_i G(w_ij) V. */
static void deck_in_binary(void)
{
	char dir[] = "/tmp/limspice-xbar-XXXXXX", wpath[600], deck[600], cmd[2048];
	char *out, *err, *p;
	double w[16], want[4] = {0}, lib[4], bin[4], worst_b = 0, worst_l = 0;
	unsigned seed = 3;
	FILE *f;
	int i, k;

	check(mkdtemp(dir) != NULL);
	snprintf(wpath, sizeof wpath, "%s/w.csv", dir);
	snprintf(deck, sizeof deck, "%s/x.cir", dir);
	f = fopen(wpath, "w");
	fprintf(f, "row,col,w\n");
	for (i = 0; i < 16; i++) {
		w[i] = unit_random(&seed);
		fprintf(f, "%d,%d,%.15g\n", i / 4, i % 4, w[i]);
	}
	fclose(f);
	for (k = 0; k < 4; k++)
		for (i = 0; i < 4; i++)
			want[k] += (1e-6 + 9e-6 * round(w[i * 4 + k] * 1e4) / 1e4) * 0.2;
	/* the ngspice binary loads the plain .cm even in a sanitized build */
	snprintf(cmd, sizeof cmd, "%s netlist crossbar --rows 4 --cols 4 --v-read 0.2 "
	         "--weights-in %s --out %s%s%s", exe, wpath, deck,
	         getenv("LIMSPICE_CM_PLAIN") ? " --cm " : "",
	         getenv("LIMSPICE_CM_PLAIN") ? getenv("LIMSPICE_CM_PLAIN") : "");
	check_int(run_capture(cmd, &out, &err), ==, 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "cd %s && ngspice -b x.cir", dir);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	for (k = 0; k < 4; k++) {
		char key[32];
		snprintf(key, sizeof key, "vs%d#branch = ", k);
		p = strstr(out, key);
		bin[k] = p ? atof(p + strlen(key)) : NAN;
		worst_b = fmax(worst_b, fabs(bin[k] - want[k]) / want[k]);
	}
	free(out);
	free(err);
	check_near(worst_b, 0, 1e-6);
	{   /* the same file through the library (its .control block left out) */
		char *text = slurp(deck), *ctl = text ? strstr(text, ".control") : NULL;
		if (ctl)
			strcpy(ctl, ".end\n");
		lim_sess_reset(S);
		check(text && lim_sess_load_text(S, text) == 0 && lim_sess_run(S) == 0);
		for (k = 0; k < 4; k++) {
			char name[32];
			snprintf(name, sizeof name, "vs%d#branch", k);
			lib[k] = NAN;
			lim_sess_last(S, name, &lib[k]);
			worst_l = fmax(worst_l, fabs(lib[k] - bin[k]) / fabs(bin[k]));
		}
		free(text);
	}
	check_near(worst_l, 0, 1e-6);   /* ngspice -b prints 7 digits */
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	check(system(cmd) == 0);
}

static void netlist_refuses(const char *args, const char *names)
{
	char *out, *err;

	check_int(run_limspice(args, &out, &err), ==, 2);
	check_str(out, "");
	check(strstr(err, names) != NULL);
	free(out);
	free(err);
}

/* energy_J of the CSV line whose first fields are a, b (NULL: any) and
** window. */
static double energy_of(const char *csv, const char *a, const char *b, const char *window)
{
	const char *p;

	for (p = csv; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		char f1[64], f2[64], f3[64];
		double e;
		if (sscanf(p, "%63[^,],%63[^,],%63[^,],%lf", f1, f2, f3, &e) == 4 &&
		    !strcmp(f1, a) && (!b || !strcmp(f2, b)) && !strcmp(f3, window))
			return e;
	}
	return NAN;
}

static char *write_deck(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/tmp/limspice-deck-XXXXXX");
	f = fdopen(mkstemp(path), "w");
	fputs(text, f);
	fclose(f);
	return path;
}

/* One cycle of a driver charging C through R and discharging it, edges of
** T_edge [s]: the net energy it delivers is 2 E_edge, with per edge
** E_edge = C V^2 (RC/T) [1 - (RC/T)(1 - e^(-T/RC))] (the resistor's loss
** during a linear ramp and the tail after it), C V^2 / 2 for T << RC.
** Returns limspice energy's figure for vb; *warned when it warned. */
static double rc_cycle(double r_ohm, double c_f, double t_edge_s, double width_s,
                       const char *tmax, int *warned, char **err_out)
{
	char text[512], args[128], *path, *out, *err;
	double e;

	snprintf(text, sizeof text, "rc cycle\nvb d 0 pulse(0 1 10n %g %g %g 10)\nr1 d b %g\n"
	         "c1 b 0 %g\n.tran 0.1n %g %s\n.end\n", t_edge_s, t_edge_s, width_s, r_ohm, c_f,
	         10e-9 + 2 * t_edge_s + width_s + 20 * r_ohm * c_f + 20e-9, tmax);
	path = write_deck(text);
	snprintf(args, sizeof args, "energy %s", path);
	check_int(run_limspice(args, &out, &err), ==, 0);
	e = energy_of(out, "vb", NULL, "all");
	*warned = strstr(err, "warning: vb: its current is not resolved") != NULL &&
	          strstr(err, "maximum step") != NULL;
	*err_out = err;
	free(out);
	unlink(path);
	return e;
}

static double rc_loss_per_edge(double r_ohm, double c_f, double t_edge_s)
{
	double x = r_ohm * c_f / t_edge_s;

	return c_f * x * (1 - x * (1 - exp(-1 / x)));   /* V = 1 */
}

/* One cycle within 2 % of the analytic net, and no warning. */
static void rc_agrees(const char *what, double r_ohm, double c_f, double t_edge_s,
                      double width_s, const char *tmax)
{
	double want = 2 * rc_loss_per_edge(r_ohm, c_f, t_edge_s), got;
	char *err;
	int warned;

	got = rc_cycle(r_ohm, c_f, t_edge_s, width_s, tmax, &warned, &err);
	tap_diag("%s: %.5g J, analytic %.5g J", what, got, want);
	check_rel(got, want, 0.02);
	check(!warned);
	free(err);
}

static void energy_rc_driver(void)
{
	double want = 2 * rc_loss_per_edge(1e4, 0.12e-15, 1e-9), got;
	char *err;
	int warned;

	/* step edges (1 ps against RC = 1 ns): C V^2 a cycle */
	rc_agrees("steps", 1e3, 1e-12, 1e-12, 200e-9, "");
	/* ramps of 200 ns against RC = 1 ns: 2 C V^2 RC / T, 1 % of C V^2 */
	rc_agrees("ramps", 1e3, 1e-12, 200e-9, 1e-6, "");
	/* the barrier driver of a crossbar: 10 kOhm into 0.12 fF, 1 ns edges.
	** Default steps cannot resolve RC = 1.2 ps: a warning, then within
	** 2 % with the remedy it names */
	got = rc_cycle(1e4, 0.12e-15, 1e-9, 100e-9, "", &warned, &err);
	tap_diag("stiff, default steps: %.5g J (%.2gx the analytic %.5g J)", got, got / want, want);
	check(warned);
	free(err);
	rc_agrees("stiff, maximum step 1 ps", 1e4, 0.12e-15, 1e-9, 100e-9, "0 1p");
}

/* A ramp into 1 kOhm then a plateau, and a constant 2 V into 2 kOhm:
** E = (T/3 + T)/R1 with T = 1 us, and 4 V^2 / 2 kOhm x 2 us. */
static void energy_analytic(void)
{
	char *path = write_deck("energy test\nvr0 a 0 pwl(0 0 1u 1 2u 1)\nr1 a 0 1k\n"
	                        "vb b 0 dc 2\nr2 b 0 2k\n.tran 1n 2u 0 1n\n"
	                        ".control\nrun\n.endc\n.end\n");
	char args[256], *out, *err;
	double row = (1e-6 / 3 + 1e-6) / 1e3, bar = 4.0 / 2e3 * 2e-6;

	snprintf(args, sizeof args, "energy %s --window 0:1u --window 1u:2u", path);
	check_int(run_limspice(args, &out, &err), ==, 0);
	check(strstr(err, "left out") != NULL);   /* the .control warning */
	check(strncmp(out, "source,group,window,energy_J\n", 29) == 0);
	check_rel(energy_of(out, "vr0", NULL, "all"), row, 1e-6);
	check_rel(energy_of(out, "vb", NULL, "all"), bar, 1e-6);
	check_rel(energy_of(out, "vr0", NULL, "0:1u"), 1e-6 / 3 / 1e3, 1e-6);
	check_rel(energy_of(out, "vr0", NULL, "1u:2u"), 1e-6 / 1e3, 1e-6);
	check_rel(energy_of(out, "TOTAL", "row", "all"), row, 1e-6);
	check_rel(energy_of(out, "TOTAL", "barrier", "all"), bar, 1e-6);
	check_rel(energy_of(out, "TOTAL", "all", "0:1u") + energy_of(out, "TOTAL", "all", "1u:2u"),
	          energy_of(out, "TOTAL", "all", "all"), 1e-12);
	free(out);
	free(err);
	remove(path);
}

/* The same circuit with its sources and .tran in an .include file and a
** .lib section (a second section, not asked for, holds a source that must
** not count): the energies equal the analytic ones of energy_analytic. */
static void energy_included(void)
{
	char dir[] = "/tmp/limspice-inc-XXXXXX", path[600], args[700], *out, *err;
	double row = (1e-6 / 3 + 1e-6) / 1e3, bar = 4.0 / 2e3 * 2e-6;
	FILE *f;

	check(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/src.inc", dir);
	f = fopen(path, "w");
	fputs("* the row driver and the analysis\nvr0 a 0 pwl(0 0 1u 1 2u 1)\n"
	      ".tran 1n 2u 0 1n\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/drivers.lib", dir);
	f = fopen(path, "w");
	fputs("* drivers\n.lib barrier\nvb b 0 dc 2\n.endl\n.lib other\nvx c 0 dc 9\n"
	      "rx c 0 1\n.endl\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/deck.cir", dir);
	f = fopen(path, "w");
	fputs("included\n.include src.inc\n.lib drivers.lib barrier\nr1 a 0 1k\nr2 b 0 2k\n"
	      ".end\n", f);
	fclose(f);
	snprintf(args, sizeof args, "energy %s", path);
	check_int(run_limspice(args, &out, &err), ==, 0);
	check_rel(energy_of(out, "vr0", NULL, "all"), row, 1e-6);
	check_rel(energy_of(out, "vb", NULL, "all"), bar, 1e-6);
	check(strstr(out, "vx,") == NULL);
	free(out);
	free(err);
	snprintf(args, sizeof args, "rm -rf %s", dir);
	check(system(args) == 0);
}

/* No source found is an error, not a total of 0 J. */
static void energy_no_source(void)
{
	char *path = write_deck("no sources\nr1 a 0 1k\n.tran 1n 10n\n.end\n"), args[256];
	char *out, *err;

	snprintf(args, sizeof args, "energy %s", path);
	check_int(run_limspice(args, &out, &err), ==, 2);
	check(strstr(err, "no independent source") != NULL);
	check(strstr(out, "TOTAL") == NULL);
	free(out);
	free(err);
	remove(path);
}

static void energy_fails(const char *text, const char *words)
{
	char *path = write_deck(text), args[256], *out, *err;

	snprintf(args, sizeof args, "energy %s", path);
	check_int(run_limspice(args, &out, &err), ==, 1);
	check_str(out, "");
	check(strstr(err, words) != NULL);
	if (!strstr(err, words))
		tap_diag("stderr: %s", err);
	free(out);
	free(err);
	remove(path);
}

int main(void)
{
	int status;

	if (!(exe = env_or_skip("LIMSPICE")))
		return 0;
	if (!(S = test_session(&status)))
		return status;
	TEST(read_without_wires(0), "8 x 6 read without wires = sum_i G_ij V_i within 1e-6");
	TEST(read_without_wires(1), "differential pairs: I(2j) - I(2j+1) = sum_i (G+ - G-) V_i");
	TEST(prefixed_names(), "prefix l1_: vl1_s<p> = sum G V, and only its own names parse back");
	TEST(read_with_wires(), "3 x 3 read with 2 kOhm wires and 500 Ohm drivers = nodal solve");
	TEST(deck_in_binary(), "4 x 4 deck from --weights-in: ngspice -b = library = sum G V");
	TEST(netlist_refuses("netlist crossbar --rows 0", "--rows"), "netlist refuses 0 rows");
	TEST(netlist_refuses("netlist crossbar --rows 300", "256"), "netlist refuses 300 rows");
	TEST(netlist_refuses("netlist crossbar --param lambda=2", "lambda"), "netlist refuses a bad card value");
	TEST(netlist_refuses("netlist crossbar --weights-in /nonexistent.csv", "/nonexistent.csv"),
	     "netlist refuses a missing weights file");
	TEST(energy_included(), "energy: sources in .include and a .lib section count, others not");
	TEST(energy_no_source(), "energy: a deck with no source found is an error, not 0 J");
	TEST(energy_analytic(), "energy of sources into resistors = analytic within 1e-6, by group and window");
	TEST(energy_rc_driver(), "energy of an R C driver, steps and ramps, within 2 %%; unresolved: warned, then 2 %%");
	TEST(energy_fails("unknown model\nva a 0 1\na1 %gd(a 0) %vd(a 0) nosuchmodel\n"
	                  ".tran 1n 10n\n.end\n", "nosuchmodel"),
	     "energy: an unknown model fails with ngspice's words");
	TEST(energy_fails("nonconv\nv1 a 0 pulse(0 1 1n 1p 1p 1n 2n)\nb1 b 0 v = v(b) > 0.5 ? 0 : 1\n"
	                  "r1 b 0 1k\nr2 a 0 1k\n.tran 1p 10n\n.end\n", "imestep too small"),
	     "energy: a deck that cannot converge fails with ngspice's words");
	TEST(energy_fails("refused\n.model bad lim_synapse(g_min=1e-3)\nva a 0 0.1\nvc c 0 0\n"
	                  "r1 a 0 1k\na1 %gd(a 0) %vd(c 0) bad\n.tran 1n 10n\n.end\n",
	                  "lim_synapse: refused"),
	     "energy: a refused lim_synapse card fails with the model's message");
	lim_sess_close(S);
	return tap_done();
}
