/*
** bench-crossbar.c - crossbar decks through the session: generation and
** parse time, one read with and without wire resistance, memory over 1000
** runs in one process, and the share of a read that is not simulation.
** A benchmark, not a test: `make bench`. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "session.h"
#include "xbar.h"

static double rss_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

/* states: NULL for the card's w0, else random levels (a trained array). */
static char *generate_states(int side, double r_wire, int random_states, double *seconds)
{
	lim_xbar_spec x;
	double *w = NULL;
	unsigned s = 1;
	int i;
	char *text = NULL;
	size_t len = 0;
	double t0 = cli_now_s();
	FILE *f = open_memstream(&text, &len);

	lim_xbar_default(&x);
	x.rows = x.cols = side;
	x.r_wire_ohm = r_wire;
	if (random_states) {
		if (!(w = malloc((size_t)side * side * sizeof *w)))
			exit(1);
		for (i = 0; i < side * side; i++) {
			s = s * 1103515245u + 12345u;
			w[i] = ((s >> 8) & 0xffff) / 65535.0;
		}
		x.w0 = w;
	}
	if (!f)
		exit(1);
	lim_xbar_write(f, &x);
	fclose(f);
	free(w);
	*seconds = cli_now_s() - t0;
	return text;
}

static char *generate(int side, double r_wire, double *seconds)
{
	return generate_states(side, r_wire, 0, seconds);
}

static void must(lim_session *s, int rc)
{
	if (rc != 0) {
		fprintf(stderr, "bench: ngspice: %s\n", lim_sess_error(s));
		exit(1);
	}
}

/* Times of one read: generate, load (parse), run, copy outputs, clean up. */
typedef struct { double gen, load, run, copy, reset; } read_times;

static read_times one_read(lim_session *s, int side, double r_wire)
{
	read_times t;
	char *text = generate(side, r_wire, &t.gen), name[32];
	double t0 = cli_now_s(), v;
	int p;

	must(s, lim_sess_load_text(s, text));
	t.load = cli_now_s() - t0;
	t0 = cli_now_s();
	must(s, lim_sess_run(s));
	t.run = cli_now_s() - t0;
	t0 = cli_now_s();
	for (p = 0; p < side; p++) {
		snprintf(name, sizeof name, "vs%d#branch", p);
		must(s, lim_sess_last(s, name, &v));
	}
	t.copy = cli_now_s() - t0;
	t0 = cli_now_s();
	lim_sess_reset(s);
	t.reset = cli_now_s() - t0;
	free(text);
	return t;
}

int main(void)
{
	static const int sides[] = {16, 32, 64};
	char err[512];
	lim_session *s = lim_sess_open(getenv("LIMSPICE_CM"), err, sizeof err);
	double g, t0, before, after;
	read_times t;
	int i, k;

	if (!s) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	printf("crossbar decks through libngspice (one .op read each)\n");
	for (i = 0; i < 4; i++) {
		int side = i & 1 ? 256 : 64, random_states = i >= 2;
		char *text = generate_states(side, 1, random_states, &g);
		t0 = cli_now_s();
		must(s, lim_sess_load_text(s, text));
		printf("  %3d x %-3d %-13s generate %.3f s (%.1f MB of text), parse %.3f s\n", side,
		       side, random_states ? "random states" : "uniform", g,
		       strlen(text) / 1048576.0, cli_now_s() - t0);
		lim_sess_reset(s);
		free(text);
	}
	for (i = 0; i < 3; i++)
		for (k = 0; k < 2; k++) {
			t = one_read(s, sides[i], k ? 1.0 : 0.0);
			printf("  read %2d x %-2d %-14s run %.4f s  (generate %.4f, parse %.4f, copy "
			       "%.5f, clean-up %.4f)\n", sides[i], sides[i],
			       k ? "1 ohm wires" : "no wires", t.run, t.gen, t.load, t.copy, t.reset);
		}
	t = one_read(s, 64, 1.0);
	printf("  64 x 64 with wires: limspice's own work (generate, copy, clean-up) is %.2f %% "
	       "of the read, ngspice's parse %.2f %% (goal: under 5 %% not simulating)\n",
	       100 * (t.gen + t.copy + t.reset) / (t.gen + t.load + t.run + t.copy + t.reset),
	       100 * t.load / (t.gen + t.load + t.run + t.copy + t.reset));
	for (k = 0; k < 10; k++)
		one_read(s, 4, 0);
	before = rss_mb();
	t0 = cli_now_s();
	for (k = 0; k < 1000; k++)
		one_read(s, 4, 0);
	after = rss_mb();
	printf("  1000 consecutive 4 x 4 runs: %.2f ms each, resident memory %.2f -> %.2f MB "
	       "(growth %.3f MB; goal under 1 MB)\n", 1e3 * (cli_now_s() - t0) / 1000, before, after,
	       after - before);
	lim_sess_close(s);
	return 0;
}
