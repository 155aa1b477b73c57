/*
** bench-synapse.c - the lim_synapse code model against the same equations
** written as B-sources and a capacitor: 1000 devices, 1000 time points,
** same results. Prints both times and the ratio (goal: at least 3x).
** A benchmark, not a test: `make bench`. See LICENSE.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "session.h"

#define DEVICES 1000
#define KT (8.617333262e-5 * 300.15)
#define QN (1.602176634e-19 * 1e4)

/* Appends to a growing deck; exits on allocation failure (a benchmark). */
static void add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if ((size_t)n < *cap - *len)
			break;
		if (!(*buf = realloc(*buf, *cap *= 2))) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
	}
	*len += (size_t)n;
}

static char *deck(int behavioural)
{
	size_t len = 0, cap = 1 << 16;
	char *b = malloc(cap);
	int i;

	if (!b)
		exit(1);
	add(&b, &len, &cap, "bench\n.model syn lim_synapse(w0=0.3)\n"
	    "va a 0 sin(0 0.1 1meg)\nvc c 0 1.75\n");
	for (i = 0; i < DEVICES; i++) {
		if (!behavioural) {
			add(&b, &len, &cap, "a%d %%gd(a 0) %%vd(c 0) syn\n", i);
			continue;
		}
		add(&b, &len, &cap, "cw%d s%d 0 1 ic=0.3\n"
		    "bw%d 0 s%d i = 1e13*((1-v(s%d))*exp(-(1.3-0.5*v(c)-0.5*v(a))/%.12g)"
		    " - v(s%d)*exp(-(1.3-0.5*v(c)+0.5*v(a))/%.12g))\n"
		    "bd%d a 0 i = (1e-6 + 9e-6*v(s%d))*v(a) + %.12g*1e13*((1-v(s%d))*"
		    "exp(-(1.3-0.5*v(c)-0.5*v(a))/%.12g) - v(s%d)*exp(-(1.3-0.5*v(c)+0.5*v(a))/%.12g))\n",
		    i, i, i, i, i, KT, i, KT, i, i, QN, i, KT, i, KT);
	}
	add(&b, &len, &cap, ".save %s va#branch\n.tran 1n 1u 0 1n uic\n.end\n",
	    behavioural ? "v(s0)" : "@a0[w]");
	return b;
}

/* Best of three runs; *w gets device 0's final state, *points the count. */
static double time_run(lim_session *s, int behavioural, double *w, size_t *points)
{
	char *text = deck(behavioural);
	double best = INFINITY;
	int k;

	for (k = 0; k < 3; k++) {
		double t0, t1, *d;
		size_t n;
		lim_sess_reset(s);
		if (lim_sess_load_text(s, text) != 0) {
			fprintf(stderr, "bench: %s\n", lim_sess_error(s));
			exit(1);
		}
		t0 = cli_now_s();
		if (lim_sess_run(s) != 0) {
			fprintf(stderr, "bench: %s\n", lim_sess_error(s));
			exit(1);
		}
		t1 = cli_now_s();
		best = fmin(best, t1 - t0);
		if (lim_sess_vec(s, behavioural ? "v(s0)" : "@a0[w]", &d, &n) == 0) {
			*w = d[n - 1];
			*points = n;
			free(d);
		}
	}
	free(text);
	return best;
}

int main(void)
{
	char err[512];
	lim_session *s = lim_sess_open(getenv("LIMSPICE_CM"), err, sizeof err);
	double wc = NAN, wb = NAN, tc, tb;
	size_t nc = 0, nb = 0;

	if (!s) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	tc = time_run(s, 0, &wc, &nc);
	tb = time_run(s, 1, &wb, &nb);
	printf("lim_synapse code model vs B-source + capacitor twin, %d devices, "
	       "sine bias, 1 us (best of 3)\n", DEVICES);
	printf("  code model:  %7.3f s  %zu time points  final w %.6f\n", tc, nc, wc);
	printf("  behavioural: %7.3f s  %zu time points  final w %.6f\n", tb, nb, wb);
	printf("  agreement:   %.2e relative in w\n", fabs(wc - wb) / wb);
	printf("  speed-up:    %.2fx (goal: at least 3x)\n", tb / tc);
	lim_sess_close(s);
	return 0;
}
