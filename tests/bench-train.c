/*
** bench-train.c - time per training step: Iris (5 x 6 devices) and 16 x 16
** and 32 x 32 arrays with 1 ohm wire segments, one sample per step, the
** default pulses; device evaluations per second. `make bench`. See LICENSE.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "session.h"
#include "train.h"

/* A figure of the last run from ngspice's own accounting: `rusage key`
** prints "label = value". */
static double rusage(session *s, const char *key, const char *label)
{
	char cmd[64];
	const char *p, *q;

	snprintf(cmd, sizeof cmd, "rusage %s", key);
	sess_command(s, cmd);
	p = strstr(sess_log(s), label);
	for (q = p; q; q = strstr(q + 1, label))
		p = q;
	return p ? atof(p + strlen(label)) : 0;
}

static void bench(session *s, const char *label, dataset *d, double r_wire, long steps)
{
	train_opts o;
	train_result r;
	int *tr, *te, ntr, nte;
	char err[1024];
	double t0, dt, it, pts;

	data_split(d, 0.2, 1, &tr, &ntr, &te, &nte);
	if (d->nclass)
		data_standardise(d, tr, ntr);
	train_default(&o);
	o.max_steps = steps;
	o.r_wire_ohm = r_wire;
	t0 = cli_now_s();
	if (train_run(s, d, tr, ntr, &o, &r, NULL, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	dt = cli_now_s() - t0;
	it = rusage(s, "totiter", "Total iterations = ");
	pts = rusage(s, "tranpoints", "Transient timepoints = ");
	printf("  %-28s %3d x %-3d %3ld steps  %.3f s per step  %.3g device evaluations/s\n"
	       "  %-28s %.0f time points per step, %.2f ms each, %.1f iterations each\n",
	       label, r.rows, r.pcols, steps, dt / steps, it * r.rows * r.pcols / dt, "",
	       pts / steps, 1e3 * dt / pts, it / pts);
	train_result_free(&r);
	free(tr);
	free(te);
}

int main(void)
{
	char err[1024], path[1024];
	session *s = sess_open(getenv("LIMSPICE_CM"), err, sizeof err);
	dataset d;

	if (!s) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	printf("training steps (read, gradient, barrier and column-serial writes per step)\n");
	snprintf(path, sizeof path, "%s/testbenches/data/sklearn_iris.csv", getenv("LIMSPICE_TOP"));
	if (data_load_iris(path, &d, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	bench(s, "iris, no wires", &d, 0, 120);
	data_free(&d);
	data_synthetic(100, 15, 8, 1, &d);
	bench(s, "synthetic, 1 ohm wires", &d, 1, 10);
	data_free(&d);
	data_synthetic(100, 31, 16, 1, &d);
	bench(s, "synthetic, 1 ohm wires", &d, 1, 1);
	data_free(&d);
	printf("  goal: a 32 x 32 step under 5 s. Where the time goes: every pulse corner is\n"
	       "  a breakpoint, after which ngspice restarts from a small step, and with\n"
	       "  wires each point costs about two sparse factorizations (Sparse 1.3;\n"
	       "  ngspice 39 has no KLU). 5 s buys 5 s / (ms per point) points, to share\n"
	       "  among 32 column windows; width-coded pulses put a corner at every\n"
	       "  distinct width, about 70 per window.\n");
	sess_close(s);
	return 0;
}
