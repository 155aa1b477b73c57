/*
** bench-sweep.c - points per minute of `limspice sweep` with one and two
** workers on a small sweep (12 short Iris trainings), the better of two
** runs each; goal: -j 2 at least 1.8 x -j 1. `make bench`. See LICENSE.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char spec[] =
	"[fixed]\ndata = iris\nsteps = 60\n"
	"[vary]\ne_b0 = 1.0:1.5:6\nmemory = lim, conventional\n";
enum { POINTS = 12, REPEATS = 2 };

/* Seconds for the whole sweep with jobs workers, the best of REPEATS;
** -1 if one failed. */
static double sweep(const char *exe, const char *dir, int jobs)
{
	char cmd[2048];
	double best = -1, t0;
	int k;

	for (k = 0; k < REPEATS; k++) {
		snprintf(cmd, sizeof cmd, "rm -rf %s/j%d && %s sweep %s/bench.ini -j %d "
		         "--out %s/j%d --quiet", dir, jobs, exe, dir, jobs, dir, jobs);
		t0 = cli_now_s();
		if (system(cmd) != 0)
			return -1;
		if (best < 0 || cli_now_s() - t0 < best)
			best = cli_now_s() - t0;
	}
	return best;
}

int main(void)
{
	const char *exe = getenv("LIMSPICE");
	char dir[] = "/tmp/limspice-bench-sweep-XXXXXX", path[128];
	double t1, t2;
	FILE *f;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (!exe || !mkdtemp(dir)) {
		fprintf(stderr, "bench-sweep: set LIMSPICE (make bench does)\n");
		return 1;
	}
	snprintf(path, sizeof path, "%s/bench.ini", dir);
	if (!(f = fopen(path, "w")))
		return 1;
	fputs(spec, f);
	fclose(f);
	printf("sweep: %d points (Iris, 60 steps each, LIM and conventional), %ld cores, "
	       "best of %d\n", POINTS, cores, REPEATS);
	t1 = sweep(exe, dir, 1);
	t2 = sweep(exe, dir, 2);
	if (t1 < 0 || t2 < 0) {
		fprintf(stderr, "bench-sweep: a sweep failed\n");
		return 1;
	}
	printf("  -j 1   %6.1f s   %6.1f points/min\n", t1, POINTS * 60 / t1);
	printf("  -j 2   %6.1f s   %6.1f points/min\n", t2, POINTS * 60 / t2);
	printf("  -j 2 / -j 1 = %.2fx (goal >= 1.8x%s)\n", t1 / t2,
	       cores < 2 ? "; this machine has one core" : "");
	snprintf(path, sizeof path, "rm -rf %s", dir);
	return system(path) != 0;
}
