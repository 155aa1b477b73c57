/*
** cmd_bound.c - `limspice bound`: the LIM energy estimate for a schedule.
** See LICENSE for copyright.
*/
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "outfile.h"
#include "phys.h"
#include "plot.h"

#define VERB "bound"
#define CSV_MAX_STEPS 1e7   /* one row per step beyond this is not useful */

static const char usage[] =
"Usage: limspice bound [options]\n"
"The LIM energy estimate of physics.md (Eq. 7) per update step and in total,\n"
"against Landauer's limit. Energies in kT and J.\n"
"\n"
"Schedule:\n"
"  --schedule S   inverse (eps0/n), power (eps0 n^-p) or exp (eps0 gamma^(n-1));\n"
"                 default inverse\n"
"  --eps0 X       learning rate of step 1, in (0, 1]; default 1\n"
"  --p X          power-law exponent, in (0.5, 1]; default 0.75\n"
"  --gamma X      exponential decay per step, in (0, 1]; default 0.999\n"
"  --alpha X      update rate Rn = R1 eps_n^(1+alpha), alpha in (0, 1); default 0.5\n"
"  --steps N      update steps per parameter, 1 to 1e15; default 1000\n"
"  --rmax HZ      attempt rate Rmax [Hz], > 0; default 1e13\n"
"  --r1 HZ        update rate of step 1 [Hz], in (0, rmax]; default rmax (the paper)\n"
"  --temp T       temperature with unit, 300K or 27C, above 0 K; default 300K\n"
"  --params D     parameters updated each step, >= 1; default 1\n"
"  --bits B       precision of an update for the Landauer line, (0, 64]; default 8\n"
"  --lim a|b      LIM_A: the gradient alone tilts the wells; LIM_B: an external\n"
"                 energy tops the tilt up to --floor; default a\n"
"  --floor KT     LIM_B tilt floor [kT], >= 0; default 1\n"
"\n"
"Output (one of; default a readable table):\n"
"  --csv          one row per step: n,eps,rn_over_rmax,e0_kT,de_kT,ediss_kT\n"
"                 (at most 1e7 steps)\n"
"  --summary      totals as metric,value,unit rows\n"
"  --projection   the brain-scale projection table (physics.md section 4)\n"
"  --plot FILE    also draw barrier and energy per step into FILE (PNG)\n"
"  --out FILE     write the data to FILE instead of stdout\n"
"  -h, --help     this text\n"
"\n"
"Eq. 7 is taken at g^2 = 1; E_diss = E0 + |dE|; a negative E0 is clamped at 0\n"
"and counted. Exit status: 0 ok, 1 failure, 2 bad usage.\n";

typedef enum { OUT_TABLE, OUT_CSV, OUT_SUMMARY, OUT_PROJECTION } out_kind;

typedef struct {
	lim_phys_sched s;
	double steps, rmax_hz, r1_hz, temp_k, params, bits;
	out_kind out;
	const char *plot, *path;
} bound_opts;

enum { O_SCHED = 256, O_EPS0, O_P, O_GAMMA, O_ALPHA, O_STEPS, O_RMAX, O_R1,
       O_TEMP, O_PARAMS, O_BITS, O_LIM, O_FLOOR, O_CSV, O_SUMMARY, O_PROJ,
       O_PLOT, O_OUT };

static const struct option longopts[] = {
	{"schedule", required_argument, 0, O_SCHED},
	{"eps0", required_argument, 0, O_EPS0},
	{"p", required_argument, 0, O_P},
	{"gamma", required_argument, 0, O_GAMMA},
	{"alpha", required_argument, 0, O_ALPHA},
	{"steps", required_argument, 0, O_STEPS},
	{"rmax", required_argument, 0, O_RMAX},
	{"r1", required_argument, 0, O_R1},
	{"temp", required_argument, 0, O_TEMP},
	{"params", required_argument, 0, O_PARAMS},
	{"bits", required_argument, 0, O_BITS},
	{"lim", required_argument, 0, O_LIM},
	{"floor", required_argument, 0, O_FLOOR},
	{"csv", no_argument, 0, O_CSV},
	{"summary", no_argument, 0, O_SUMMARY},
	{"projection", no_argument, 0, O_PROJ},
	{"plot", required_argument, 0, O_PLOT},
	{"out", required_argument, 0, O_OUT},
	{"help", no_argument, 0, 'h'},
	{0, 0, 0, 0}
};

static const char *const sched_words[] = {"inverse", "power", "exp", NULL};
static const char *const lim_words[] = {"a", "b", NULL};

/* Parses argv into *o without side effects; CLI_OK, CLI_USAGE, or -1 for
** --help. */
static int parse(int argc, char **argv, bound_opts *o)
{
	int c, k, r1_given = 0, rc = CLI_OK;
	double floor_kt = 1;

	lim_phys_sched_default(&o->s);
	o->steps = 1000;
	o->rmax_hz = 1e13;
	o->temp_k = 300;
	o->params = 1;
	o->bits = 8;
	o->out = OUT_TABLE;
	o->plot = o->path = NULL;
	optind = 0;   /* not 1: glibc then forgets an earlier scan (sweeps) */
	opterr = 0;
	while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		const char *name = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
		switch (c) {
		case 'h': return -1;
		case O_SCHED:
			if ((rc = cli_choice(VERB, "--schedule", optarg, sched_words, &k)) == CLI_OK)
				o->s.kind = (lim_phys_sched_kind)k;
			break;
		case O_EPS0: rc = cli_real(VERB, "--eps0", optarg, 0, 1, 1, 0, &o->s.eps0); break;
		case O_P: rc = cli_real(VERB, "--p", optarg, 0.5, 1, 1, 0, &o->s.p); break;
		case O_GAMMA: rc = cli_real(VERB, "--gamma", optarg, 0, 1, 1, 0, &o->s.gamma); break;
		case O_ALPHA: rc = cli_real(VERB, "--alpha", optarg, 0, 1, 1, 1, &o->s.alpha); break;
		case O_STEPS: rc = cli_count(VERB, "--steps", optarg, 1, &o->steps); break;
		case O_RMAX: rc = cli_real(VERB, "--rmax", optarg, 0, 1, HUGE_VAL, 0, &o->rmax_hz); break;
		case O_R1:
			rc = cli_real(VERB, "--r1", optarg, 0, 1, HUGE_VAL, 0, &o->r1_hz);
			r1_given = 1;
			break;
		case O_TEMP: rc = cli_temp(VERB, "--temp", optarg, &o->temp_k); break;
		case O_PARAMS: rc = cli_real(VERB, "--params", optarg, 1, 0, HUGE_VAL, 0, &o->params); break;
		case O_BITS: rc = cli_real(VERB, "--bits", optarg, 0, 1, 64, 0, &o->bits); break;
		case O_LIM:
			if ((rc = cli_choice(VERB, "--lim", optarg, lim_words, &k)) == CLI_OK)
				o->s.lim = (lim_phys_lim_kind)k;
			break;
		case O_FLOOR: rc = cli_real(VERB, "--floor", optarg, 0, 0, HUGE_VAL, 0, &floor_kt); break;
		case O_CSV: o->out = OUT_CSV; break;
		case O_SUMMARY: o->out = OUT_SUMMARY; break;
		case O_PROJ: o->out = OUT_PROJECTION; break;
		case O_PLOT: o->plot = optarg; break;
		case O_OUT: o->path = optarg; break;
		default: return cli_bad_option(VERB, c, name);
		}
	}
	if ((rc = cli_end_options(VERB, rc, argc, argv)) != CLI_OK)
		return rc;
	if (!r1_given)
		o->r1_hz = o->rmax_hz;
	if (o->r1_hz > o->rmax_hz)
		return cli_usage(VERB, "--r1: %g Hz is above --rmax %g Hz, expected a rate "
		                 "in (0, rmax]", o->r1_hz, o->rmax_hz);
	o->s.ln_r1_over_rmax = log(o->r1_hz / o->rmax_hz);
	if (o->s.lim == LIM_PHYS_LIM_B)
		o->s.floor_kt = floor_kt;
	if (o->out == OUT_CSV && o->steps > CSV_MAX_STEPS)
		return cli_usage(VERB, "--csv: %g steps is too many rows, expected at most "
		                 "%g (use --summary for totals)", o->steps, CSV_MAX_STEPS);
	return CLI_OK;
}

static void write_csv(FILE *f, const bound_opts *o)
{
	double n;
	lim_phys_step st;

	fprintf(f, "n,eps,rn_over_rmax,e0_kT,de_kT,ediss_kT\n");
	for (n = 1; n <= o->steps; n++) {
		lim_phys_step_at(&o->s, n, &st);
		fprintf(f, "%.0f,%.9g,%.9g,%.9g,%.9g,%.9g\n", n, st.eps,
		        exp(st.ln_rn_over_rmax), st.e0_kt, st.de_kt, st.ediss_kt);
	}
}

static void row(FILE *f, const char *metric, double v, const char *unit)
{
	fprintf(f, "%s,%.9g,%s\n", metric, v, unit);
}

static void write_summary(FILE *f, const bound_opts *o, const lim_phys_sum *sum)
{
	double kt = lim_phys_kt_j(o->temp_k), per = sum->ediss_kt / sum->steps;
	double land_kt = o->bits * log(2);

	fprintf(f, "metric,value,unit\n");
	row(f, "steps", o->steps, "1");
	row(f, "params", o->params, "1");
	row(f, "temperature", o->temp_k, "K");
	row(f, "kT", kt, "J");
	row(f, "energy_per_update", per, "kT");
	row(f, "energy_per_update", per * kt, "J");
	row(f, "barrier_per_update", sum->e0_kt / sum->steps, "kT");
	row(f, "tilt_per_update", sum->de_kt / sum->steps, "kT");
	row(f, "energy_per_param", sum->ediss_kt, "kT");
	row(f, "energy_per_param", sum->ediss_kt * kt, "J");
	row(f, "energy_total", sum->ediss_kt * kt * o->params, "J");
	row(f, "landauer_per_update", land_kt, "kT");
	row(f, "landauer_per_update", land_kt * kt, "J");
	row(f, "landauer_total", land_kt * kt * o->steps * o->params, "J");
	row(f, "estimate_over_landauer", per / land_kt, "1");
	row(f, "clamped_steps", sum->clamped, "1");
}

/* Steps 1, 2, 5, 10, 20, 50, ... up to N, and N. */
static double next_shown(double n)
{
	double dec = pow(10, floor(log10(n) + 1e-9)), m = n / dec;

	return m < 1.5 ? 2 * dec : m < 3.5 ? 5 * dec : 10 * dec;
}

static void write_table(FILE *f, const bound_opts *o, const lim_phys_sum *sum)
{
	static const char *const sname[] = {"inverse", "power", "exp"};
	double kt = lim_phys_kt_j(o->temp_k), kt_ev = lim_phys_kt_ev(o->temp_k), n;
	double land_kt = o->bits * log(2), per = sum->ediss_kt / sum->steps;
	lim_phys_step st;

	fprintf(f, "LIM energy estimate (the paper's Eq. 7 at g^2 = 1, E_diss = E0 + |dE|)\n");
	fprintf(f, "schedule %s, eps0 %g", sname[o->s.kind], o->s.eps0);
	if (o->s.kind == LIM_PHYS_SCHED_POWER)
		fprintf(f, ", p %g", o->s.p);
	if (o->s.kind == LIM_PHYS_SCHED_EXP)
		fprintf(f, ", gamma %g", o->s.gamma);
	fprintf(f, ", alpha %g, Rmax %g Hz, R1 %g Hz, T %g K, %s",
	        o->s.alpha, o->rmax_hz, o->r1_hz, o->temp_k,
	        o->s.lim == LIM_PHYS_LIM_A ? "LIM_A" : "LIM_B");
	if (o->s.lim == LIM_PHYS_LIM_B)
		fprintf(f, " (floor %g kT)", o->s.floor_kt);
	fprintf(f, "\n\n%12s %11s %11s %10s %9s %11s %11s %11s\n", "n", "eps",
	        "Rn/Rmax", "E0 [kT]", "E0 [eV]", "dE [kT]", "E_diss[kT]", "E_diss [J]");
	for (n = 1;; n = next_shown(n)) {
		if (n > o->steps)
			n = o->steps;
		lim_phys_step_at(&o->s, n, &st);
		fprintf(f, "%12.0f %11.4g %11.4g %9.4f%s %9.4f %11.4g %11.4f %11.4g\n", n,
		        st.eps, exp(st.ln_rn_over_rmax), st.e0_kt, st.clamped ? "*" : " ",
		        st.e0_kt * kt_ev, st.de_kt, st.ediss_kt, st.ediss_kt * kt);
		if (n >= o->steps)
			break;
	}
	if (sum->clamped > 0)
		fprintf(f, "* Eq. 7 gave E0 < 0: clamped at 0 (%.0f of %.0f steps)\n",
		        sum->clamped, sum->steps);
	fprintf(f, "\nper parameter over %.0f steps: %.6g kT = %.6g J\n", sum->steps,
	        sum->ediss_kt, sum->ediss_kt * kt);
	fprintf(f, "per update (mean):          %.6g kT = %.6g J\n", per, per * kt);
	fprintf(f, "Landauer, %g bits:           %.6g kT = %.6g J per update "
	        "(estimate / Landauer = %.4g)\n", o->bits, land_kt, land_kt * kt,
	        per / land_kt);
	fprintf(f, "total for %g parameters:     %.6g J (Landauer %.6g J)\n", o->params,
	        sum->ediss_kt * kt * o->params, land_kt * kt * o->steps * o->params);
}

static int write_projection(FILE *f, const bound_opts *o)
{
	static const double alphas[] = {0.25, 0.5, 0.75};
	static const double per_update[] = {6, 1};
	lim_phys_projection_in in;
	lim_phys_projection_out out;
	size_t i, j;

	lim_phys_projection_default(&in);
	in.temp_k = o->temp_k;
	in.bits = o->bits;
	fprintf(f, "Brain-scale projection: D = 1e15 parameters, 1e28 FLOPs, T = %g K.\n"
	        "Assumption (physics.md section 4): N = FLOPs / (k D) update steps per\n"
	        "parameter, inverse schedule eps_n = 1/n, R1 = Rmax, E0 clamped at 0;\n"
	        "k = 6 (forward, backward, update) is the stated mapping.\n\n", o->temp_k);
	fprintf(f, "%8s %8s %4s %10s %6s %12s %12s\n", "D", "FLOPs", "k", "N", "alpha",
	        "LIM [J]", "Landauer [J]");
	for (j = 0; j < 2; j++)
		for (i = 0; i < 3; i++) {
			in.flops_per_update = per_update[j];
			in.alpha = alphas[i];
			if (lim_phys_projection(&in, &out) != LIM_PHYS_OK)
				return CLI_FAIL;
			fprintf(f, "%8.0e %8.0e %4g %10.4g %6g %12.4g %12.4g\n", in.params, in.flops,
			        in.flops_per_update, out.steps, in.alpha, out.lim_j, out.landauer_j);
		}
	fprintf(f, "\nLandauer at %g bits per operation: %.4g J; at 4 to 32 bits: %.4g to "
	        "%.4g J.\nAn accelerator at 10 pJ per FLOP would spend 1e17 J.\n", o->bits,
	        in.flops * lim_phys_landauer_j(o->bits, o->temp_k),
	        in.flops * lim_phys_landauer_j(4, o->temp_k),
	        in.flops * lim_phys_landauer_j(32, o->temp_k));
	return CLI_OK;
}

/* The plot into png (opened by the caller, who commits it with the data). */
static int draw(const bound_opts *o, outfile *png)
{
	size_t cap = 1 << 16, len = 0;
	char *script = malloc(cap), err[256];
	double n, step = o->steps > 2000 ? pow(o->steps, 1.0 / 2000) : 0;
	lim_phys_step st;
	int rc;

	if (!script)
		return CLI_FAIL;
	len += snprintf(script + len, cap - len,
	        "set terminal pngcairo size 900,560\nset output '@OUT@'\n"
	        "set logscale x\nset xlabel 'update step n'\nset ylabel 'energy [kT]'\n"
	        "set key top left\nset grid\n"
	        "set title 'LIM estimate per update (Eq. 7, g^2 = 1)'\n$d << EOD\n");
	for (n = 1; n <= o->steps; n = step ? fmax(n + 1, floor(n * step)) : n + 1) {
		if (cap - len < 128) {
			char *p = realloc(script, cap *= 2);
			if (!p) {
				free(script);
				return CLI_FAIL;
			}
			script = p;
		}
		lim_phys_step_at(&o->s, n, &st);
		len += snprintf(script + len, cap - len, "%.0f %.9g %.9g %.9g\n", n, st.e0_kt,
		                st.ediss_kt, st.de_kt);
	}
	if (cap - len < 512) {
		char *p = realloc(script, cap + 512);
		if (!p) {
			free(script);
			return CLI_FAIL;
		}
		script = p;
		cap += 512;
	}
	snprintf(script + len, cap - len,
	         "EOD\nplot $d u 1:2 w l lw 2 t 'barrier E0', "
	         "$d u 1:3 w l lw 2 t 'E_diss = E0 + |dE|', $d u 1:4 w l t 'tilt |dE|', "
	         "%.9g w l dt 2 t 'Landauer, %g bits'\n", o->bits * log(2), o->bits);
	rc = plot_render(script, png, err, sizeof err);
	free(script);
	if (rc)
		cli_say(VERB, "%s", err);
	return rc ? CLI_FAIL : CLI_OK;
}

int cmd_bound(int argc, char **argv)
{
	bound_opts o;
	lim_phys_sum sum;
	outset set;
	outfile *out, *png = NULL;
	const char *field;
	char err[4200];
	int rc = parse(argc, argv, &o);

	if (rc < 0) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	if (rc != CLI_OK)
		return rc;
	if (lim_phys_sched_check(&o.s, &field) != LIM_PHYS_OK)   /* parse checked each; belt */
		return cli_usage(VERB, "--%s is out of range", field);
	if (o.out != OUT_PROJECTION && o.out != OUT_CSV &&
	    lim_phys_sum_steps(&o.s, o.steps, &sum) != LIM_PHYS_OK) {
		cli_say(VERB, "--steps %g: this schedule decays too slowly to sum beyond "
		        "1e8 steps in closed form", o.steps);
		return CLI_FAIL;
	}
	/* the data and the plot appear together or not at all */
	outset_init(&set);
	if (!(out = outset_add(&set, NULL, o.path, err, sizeof err)) ||
	    (o.plot && !(png = outset_add(&set, NULL, o.plot, err, sizeof err)))) {
		cli_say(VERB, "%s", err);
		return cli_finish_set(VERB, &set, CLI_FAIL);
	}
	switch (o.out) {
	case OUT_CSV: write_csv(out->f, &o); break;
	case OUT_SUMMARY: write_summary(out->f, &o, &sum); break;
	case OUT_PROJECTION: rc = write_projection(out->f, &o); break;
	case OUT_TABLE: write_table(out->f, &o, &sum); break;
	}
	if (rc == CLI_OK && png)
		rc = draw(&o, png);
	return cli_finish_set(VERB, &set, rc);
}
