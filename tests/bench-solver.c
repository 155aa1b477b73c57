/*
** bench-solver.c - a training step (parallel write) on square arrays with
** 1 ohm wires: Debian's ngspice 39 (Sparse 1.3) with the code model against
** ngspice 46 (KLU) with the OSDI device, in one run. Each ngspice runs in a
** child process of its own (a process holds one libngspice). `make bench`.
** See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"
#include "session.h"
#include "train.h"

#define NSIZES 4
static const int side[NSIZES] = {16, 32, 64, 128};
/* steps timed per size: enough to average, few enough for Sparse at 64 */
static const long steps[NSIZES] = {10, 4, 2, 1};

/* Seconds per step at one size, or NAN, on a classification task for an
** n x n array: n - 1 inputs plus the bias row, n / 2 classes on
** differential pairs (synthetic_classes). */
static double step_s(lim_session *s, int n, long nsteps)
{
	lim_train_opts o;
	lim_train_result r;
	lim_dataset d;
	int *tr, *te, ntr, nte;
	char err[1024];
	double t0, dt;

	synthetic_classes(&d, 200, n - 1, n / 2);
	lim_data_split(&d, 0.2, 1, &tr, &ntr, &te, &nte);
	lim_data_standardise(&d, tr, ntr);
	lim_train_default(&o);
	o.keep_history = 0;
	o.write = LIM_TRAIN_WRITE_PARALLEL;
	o.max_steps = nsteps;
	o.r_wire_ohm = 1;
	t0 = cli_now_s();
	if (lim_train_run(s, &d, tr, ntr, &o, &r, NULL, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %d x %d: %s\n", n, n, err);
		dt = NAN;
	} else {
		dt = (cli_now_s() - t0) / nsteps;
		lim_train_result_free(&r);
	}
	free(tr);
	free(te);
	lim_data_free(&d);
	return dt;
}

/* Runs the sizes up to max_side in a child on the session o opens; the
** seconds per step come back through a pipe. */
static void measure(const lim_sess_opts *o, int max_side, double out[NSIZES])
{
	int fd[2], k, status;
	pid_t pid;

	for (k = 0; k < NSIZES; k++)
		out[k] = NAN;
	fflush(stdout);                     /* or the child prints it again */
	if (pipe(fd) != 0 || (pid = fork()) < 0)
		return;
	if (pid == 0) {
		char err[1024];
		lim_session *s = lim_sess_open_opts(o, err, sizeof err);
		double v[NSIZES];
		close(fd[0]);
		if (!s) {
			fprintf(stderr, "bench: %s\n", err);
			_exit(1);
		}
		for (k = 0; k < NSIZES; k++) {
			v[k] = side[k] <= max_side ? step_s(s, side[k], steps[k]) : NAN;
			if (side[k] <= max_side)
				fprintf(stderr, "bench: %s, %d x %d: %.3g s/step\n",
				        lim_sess_osdi(s) ? "ngspice 46 KLU + .osdi" :
				        "ngspice 39 Sparse + .cm", side[k], side[k], v[k]);
		}
		_exit(write(fd[1], v, sizeof v) == (ssize_t)sizeof v ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], out, NSIZES * sizeof *out) != (ssize_t)(NSIZES * sizeof *out))
		for (k = 0; k < NSIZES; k++)
			out[k] = NAN;
	close(fd[0]);
	waitpid(pid, &status, 0);
}

int main(void)
{
	const char *root = getenv("LIMSPICE_NGSPICE46");
	char lib[4096], share[4096];
	double sparse[NSIZES], klu[NSIZES];
	lim_sess_opts o39, o46;
	/* LIMSPICE_BENCH_NO128=1 leaves out the 128 x 128 step (minutes) */
	int k, max128 = getenv("LIMSPICE_BENCH_NO128") ? 64 : 128;

	if (!root || !getenv("LIMSPICE_OSDI")) {
		fprintf(stderr, "bench: run through make bench (LIMSPICE_NGSPICE46, LIMSPICE_OSDI)\n");
		return 1;
	}
	snprintf(lib, sizeof lib, "%s/usr/lib/x86_64-linux-gnu/libngspice.so.0", root);
	snprintf(share, sizeof share, "%s/usr/share/ngspice", root);
	lim_sess_opts_default(&o39);
	o39.cm_path = getenv("LIMSPICE_CM");
	lim_sess_opts_default(&o46);
	o46.ngspice = lib;
	o46.spice_lib_dir = share;
	o46.osdi_path = getenv("LIMSPICE_OSDI");
	o46.solver = "klu";
	printf("training step (parallel write), square arrays with 1 ohm wires: solver and device\n");
	measure(&o39, 64, sparse);          /* 128 x 128 on Sparse would take hours */
	measure(&o46, max128, klu);
	printf("  %-10s %26s %26s %8s\n", "array", "ngspice 39 Sparse + .cm", "ngspice 46 KLU + .osdi",
	       "ratio");
	for (k = 0; k < NSIZES; k++) {
		printf("  %3d x %-4d", side[k], side[k]);
		if (isnan(sparse[k]))
			printf(" %26s", "not run");
		else
			printf(" %24.3f s", sparse[k]);
		if (isnan(klu[k]))
			printf(" %26s", "not run");
		else
			printf(" %24.3f s", klu[k]);
		if (!isnan(sparse[k]) && !isnan(klu[k]))
			printf(" %7.1fx", sparse[k] / klu[k]);
		putchar('\n');
	}
	printf("  goal: at least 5x at 64 x 64\n");
	return 0;
}
