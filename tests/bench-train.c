/*
** bench-train.c - training steps, serial against parallel writes: time and
** time points per step from Iris to 64 x 64 with wires, energy per update
** and where it goes at 32 x 32, resident memory over 1,000 steps, and the
** two-layer digits network (64-16-10) per step with the backward read's
** share. Every figure is measured in this run. `make bench`. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "run.h"
#include "session.h"
#include "train.h"

static lim_session *S;

/* A figure of the last run from ngspice's own accounting: `rusage key`
** prints "label = value". */
static double rusage(const char *key, const char *label)
{
	char cmd[64];
	const char *p, *q;

	snprintf(cmd, sizeof cmd, "rusage %s", key);
	lim_sess_command(S, cmd);
	p = strstr(lim_sess_log(S), label);
	for (q = p; q; q = strstr(q + 1, label))
		p = q;
	return p ? atof(p + strlen(label)) : 0;
}

/* Resident memory of this process now [MB]. */
static double rss_mb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double kb = 0;

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %lf", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb / 1024;
}

typedef struct {
	double s_per_step, points_per_step, ms_per_point;
	double accuracy;          /* on the test split; NAN for regression */
	lim_train_result r;
} run;

static void train(lim_dataset *d, lim_train_write write, lim_train_mode mode, double r_wire, long steps,
                  lim_train_progress_fn progress, void *ctx, run *out)
{
	lim_train_opts o;
	int *tr, *te, ntr, nte;
	char err[1024];
	double t0, dt, pts;

	lim_data_split(d, 0.2, 1, &tr, &ntr, &te, &nte);
	if (d->nclass)                      /* idempotent: a set already standardised stays */
		lim_data_standardise(d, tr, ntr);
	lim_train_default(&o);
	o.keep_history = 0;                 /* as the command runs */
	o.write = write;
	o.mode = mode;
	o.max_steps = steps;
	o.r_wire_ohm = r_wire;
	if (steps < 0) {                    /* -N: N epochs of the power-law schedule */
		o.max_steps = 0;
		o.epochs = (int)-steps;
		o.sched.kind = LIM_PHYS_SCHED_POWER;
		steps = (long)o.epochs * ntr;
	}
	t0 = cli_now_s();
	if (lim_train_run(S, d, tr, ntr, &o, &out->r, progress, ctx, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	dt = cli_now_s() - t0;
	pts = rusage("tranpoints", "Transient timepoints = ");
	out->s_per_step = dt / steps;
	out->points_per_step = pts / steps;
	out->ms_per_point = 1e3 * dt / pts;
	out->accuracy = NAN;
	if (d->nclass && lim_train_infer(S, d, te, nte, &o, out->r.rows, out->r.pcols, out->r.w,
	                             &out->accuracy, NULL, err, sizeof err) != 0)
		fprintf(stderr, "bench: test reads: %s\n", err);
	free(tr);
	free(te);
}

static void line(const char *label, const char *scheme, const run *x)
{
	printf("  %-24s %-8s %3d x %-3d %8.3f s/step", label, scheme, x->r.rows, x->r.pcols,
	       x->s_per_step);
	if (x->points_per_step > 0)
		printf(" %7.0f points/step %7.3f ms/point\n", x->points_per_step, x->ms_per_point);
	else   /* the session keeps the first 256 kB a run prints: rusage came later */
		printf("   (ngspice's point count was past the captured output)\n");
	fflush(stdout);
}

static void speed(void)
{
	char err[1024], path[1024];
	lim_dataset d;
	run a, b;

	printf("time per training step (one sample: read, gradient, write)\n");
	snprintf(path, sizeof path, "%s/testbenches/data/sklearn_iris.csv", getenv("LIMSPICE_TOP"));
	if (lim_data_load_iris(path, &d, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	train(&d, LIM_TRAIN_WRITE_SERIAL, LIM_TRAIN_LIM, 0, 120, NULL, NULL, &a);
	line("iris, no wires", "serial", &a);
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 0, 120, NULL, NULL, &b);
	line("", "parallel", &b);
	lim_train_result_free(&a.r);
	lim_train_result_free(&b.r);
	lim_data_free(&d);

	synthetic_classes(&d, 200, 7, 4);
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 0, 20, NULL, NULL, &a);
	line("8 x 8, no wires", "parallel", &a);
	lim_data_free(&d);
	synthetic_classes(&d, 200, 63, 32);
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 0, 20, NULL, NULL, &b);
	line("64 x 64, no wires", "parallel", &b);
	printf("  points per step, 64 x 64 / 8 x 8: %.2f (goal <= 1.5)\n",
	       b.points_per_step / a.points_per_step);
	lim_train_result_free(&a.r);
	lim_train_result_free(&b.r);
	lim_data_free(&d);

	synthetic_classes(&d, 200, 15, 8);
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 1, 10, NULL, NULL, &a);
	line("16 x 16, 1 ohm wires", "parallel", &a);
	lim_train_result_free(&a.r);
	lim_data_free(&d);
	synthetic_classes(&d, 200, 31, 16);
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 1, 10, NULL, NULL, &a);
	line("32 x 32, 1 ohm wires", "parallel", &a);
	printf("  goal: a 32 x 32 wired step under 5 s (serial: 209 s, 15,073 points, "
	       "measured before the parallel write)\n");
	lim_train_result_free(&a.r);
	lim_data_free(&d);
	synthetic_classes(&d, 200, 63, 32);
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 1, 2, NULL, NULL, &a);
	line("64 x 64, 1 ohm wires", "parallel", &a);
	lim_train_result_free(&a.r);
	lim_data_free(&d);
}

/* Where a scheme's energy went, per update [J]. */
static void split(const char *scheme, const lim_train_result *r)
{
	double u = r->updates ? (double)r->updates : 1;
	double kt = 1.380649e-23 * 300.15, lim = 0, closure;
	long k;

	for (k = 0; k < r->nsteps; k++)
		lim += r->steps[k].lim_estimate_kt * r->steps[k].updates;
	closure = (r->supply_j - r->trans_j - r->joule_j - r->resistor_j - r->cap_j) / r->supply_j;
	printf("  %-8s %9.3g J/update (%8.3g kT), measured / LIM estimate %8.3g, closure %.1e\n",
	       scheme, r->write_j / u, r->write_j / u / kt, r->write_j / (lim * kt), closure);
	printf("  %-8s split per update [J]: row conduction %.3g, transition %.3g, barrier "
	       "lines %.3g, wires %.3g, read %.3g\n", "", r->joule_write_j / u, r->trans_j / u,
	       (r->resistor_j - r->wire_j) / u, r->wire_j / u, r->read_j / u);
}

static void energy(void)
{
	lim_dataset d;
	run a, b;

	printf("energy per update at 32 x 32, no wires, the same 20 steps (softmax, 16 classes)\n");
	synthetic_classes(&d, 200, 31, 16);
	train(&d, LIM_TRAIN_WRITE_SERIAL, LIM_TRAIN_LIM, 0, 20, NULL, NULL, &a);
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 0, 20, NULL, NULL, &b);
	split("serial", &a.r);
	split("parallel", &b.r);
	/* (6.3): serial / parallel row heat = sum_p |v_p| / (V_A + V_B), which
	** is exactly 2 on every sample for softmax cross-entropy with
	** differential pairs (the true class's error is the sum of the others) */
	printf("  row conduction serial / parallel: %.3g (physics.md 6.3 for softmax: 2; "
	       "exact serial widths make it up to 2.4)\n", a.r.joule_write_j / b.r.joule_write_j);
	printf("  simulated time per step: serial %.3g s, parallel %.3g s (%.3g x)\n",
	       a.r.sim_time_s / a.r.nsteps, b.r.sim_time_s / b.r.nsteps,
	       a.r.sim_time_s / b.r.sim_time_s);
	lim_train_result_free(&a.r);
	lim_train_result_free(&b.r);
	lim_data_free(&d);
}

typedef struct { long at[2]; double mb[2]; } rss_probe;

static void probe_rss(void *ctx, long step, long nsteps)
{
	rss_probe *p = ctx;
	int k;

	(void)nsteps;
	for (k = 0; k < 2; k++)
		if (step == p->at[k])
			p->mb[k] = rss_mb();
}

static void memory(void)
{
	char err[1024], path[1024];
	lim_dataset d;
	run a;
	rss_probe p = {{100, 1000}, {0, 0}};

	printf("resident memory over a run (the deck saves none: ngspice keeps only each "
	       "vector's newest point)\n");
	snprintf(path, sizeof path, "%s/testbenches/data/sklearn_digits.csv", getenv("LIMSPICE_TOP"));
	if (lim_data_load_csv(path, &d, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 0, -1, probe_rss, &p, &a);
	printf("  digits 65 x 20, no wires, one epoch (%ld steps, power-law schedule): %.1f MB "
	       "after step 100, %.1f MB after step 1000 (+%.1f MB; goal < 100 MB); %.3f s per "
	       "step; test accuracy %.3f (goal >= 0.90)\n", a.r.nsteps, p.mb[0], p.mb[1],
	       p.mb[1] - p.mb[0], a.s_per_step, a.accuracy);
	lim_train_result_free(&a.r);
	lim_data_free(&d);
	synthetic_classes(&d, 200, 31, 16);
	p.at[0] = 10;
	p.at[1] = 100;
	train(&d, LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_LIM, 1, 100, probe_rss, &p, &a);
	printf("  32 x 32, 1 ohm wires: %.1f MB after step 10, %.1f MB after step 100 "
	       "(+%.1f MB)\n", p.mb[0], p.mb[1], p.mb[1] - p.mb[0]);
	lim_train_result_free(&a.r);
	lim_data_free(&d);
}

/* Digits through 16 hidden units: two arrays (65 x 32 and 17 x 20) in one
** deck; a step reads array 1, array 2, array 2 backwards, then writes both.
** The share of the backward read is of the wall time ngspice spent
** reaching the points of that phase (train.h, phase_wall_s). */
static void two_layers(void)
{
	char err[1024], path[1024];
	lim_dataset d;
	lim_train_opts o;
	lim_train_result r;
	int *tr, *te, ntr, nte, w;
	double cpu;
	static const double wires[2] = {0, 1};
	static const long steps[2] = {10, 2};

	printf("two layers, digits 64-16-10 (arrays 65 x 32 and 17 x 20 in one deck)\n");
	snprintf(path, sizeof path, "%s/testbenches/data/sklearn_digits.csv", getenv("LIMSPICE_TOP"));
	if (lim_data_load_csv(path, &d, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	lim_data_split(&d, 0.2, 1, &tr, &ntr, &te, &nte);
	lim_data_standardise(&d, tr, ntr);
	for (w = 0; w < 2; w++) {
		double t0, dt, wall = 0;
		clock_t c0 = clock();
		long pts = 0;
		int k;
		lim_train_default(&o);
		o.keep_history = 0;
		o.hidden = 16;
		o.max_steps = steps[w];
		o.r_wire_ohm = wires[w];
		t0 = cli_now_s();
		if (lim_train_run(S, &d, tr, ntr, &o, &r, NULL, NULL, err, sizeof err) != 0) {
			fprintf(stderr, "bench: %s\n", err);
			exit(1);
		}
		dt = cli_now_s() - t0;
		cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
		for (k = 0; k < LIM_TRAIN_PHASES; k++) {
			wall += r.phase_wall_s[k];
			pts += r.phase_points[k];
		}
		printf("  %s, %ld steps: %.3f s/step (%.3f s of CPU: the figure on a loaded machine), "
		       "%.0f points/step; backward read %.1f %% of the "
		       "wall time (%.1f %% of the points), forward reads %.1f %%, writes %.1f %%\n",
		       wires[w] > 0 ? "1 ohm wires" : "no wires", r.nsteps, dt / r.nsteps,
		       cpu / r.nsteps, (double)pts / r.nsteps,
		       100 * r.phase_wall_s[LIM_TRAIN_PHASE_BACKWARD] / wall,
		       100.0 * r.phase_points[LIM_TRAIN_PHASE_BACKWARD] / pts,
		       100 * r.phase_wall_s[LIM_TRAIN_PHASE_FORWARD] / wall,
		       100 * r.phase_wall_s[LIM_TRAIN_PHASE_WRITE] / wall);
		fflush(stdout);
		lim_train_result_free(&r);
	}
	free(tr);
	free(te);
	lim_data_free(&d);
}

int main(void)
{
	char err[1024];

	if (!(S = lim_sess_open(getenv("LIMSPICE_CM"), err, sizeof err))) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	if (getenv("BENCH_ONLY") && !strcmp(getenv("BENCH_ONLY"), "two_layers")) {
		two_layers();   /* the two-layer figures alone, for a loaded machine */
		lim_sess_close(S);
		return 0;
	}
	speed();
	energy();
	memory();
	two_layers();
	lim_sess_close(S);
	return 0;
}
