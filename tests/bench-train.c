/*
** bench-train.c - time per training step: Iris (5 x 6 devices) and 16 x 16
** and 32 x 32 arrays with 1 ohm wire segments, one sample per step, the
** default pulses; device evaluations per second. `make bench`. See LICENSE.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session.h"
#include "train.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Newton iterations of the last run, from ngspice's own accounting. */
static double iterations(session *s)
{
	const char *p;

	sess_command(s, "rusage totiter");
	p = strstr(sess_log(s), "Total iterations = ");
	for (const char *q = p; q; q = strstr(q + 1, "Total iterations = "))
		p = q;
	return p ? atof(p + 19) : 0;
}

static void bench(session *s, const char *label, dataset *d, double r_wire, long steps)
{
	train_opts o;
	train_result r;
	int *tr, *te, ntr, nte;
	char err[1024];
	double t0, dt, it;

	data_split(d, 0.2, 1, &tr, &ntr, &te, &nte);
	if (d->nclass)
		data_standardise(d, tr, ntr);
	train_default(&o);
	o.max_steps = steps;
	o.r_wire_ohm = r_wire;
	t0 = now_s();
	if (train_run(s, d, tr, ntr, &o, &r, NULL, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	dt = now_s() - t0;
	it = iterations(s);
	printf("  %-28s %3d x %-3d %3ld steps  %.3f s per step  %.3g device evaluations/s\n",
	       label, r.rows, r.pcols, steps, dt / steps, it * r.rows * r.pcols / dt);
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
	       "  a breakpoint, after which ngspice restarts from a small step (about 275\n"
	       "  points per column window at 16 x 16), and with wires each point costs a\n"
	       "  sparse factorization.\n");
	sess_close(s);
	return 0;
}
