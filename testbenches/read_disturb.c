/*
** read_disturb.c - how much do reads disturb a 16 x 16 LIM array whose
** barrier is partly lowered (a neighbour being written, a leaky barrier
** driver)? A driver program of a designer's own, built only against the
** installed library:
**
**     cc read_disturb.c $(pkg-config --cflags --libs limspice) -o read_disturb
**     ./read_disturb [V_READ_V [V_BARRIER_V [TIME_S [R_WIRE_OHM]]]]
**
** Defaults: 0.2 V on every row for 10 ms with the barrier control at 1.0 V
** (1.3 eV lowered to 0.8 eV by the default card), no wire resistance. The
** states start as a checkerboard of 0.2 and 0.8. Prints CSV on stdout, one
** line per device: row, col, w0, w_end, dw; a summary on stderr. Exit
** status 0, 1 when the simulation fails, 2 for bad arguments.
**
** The library calls it uses: lim_xbar_default / lim_xbar_write (the deck
** and its names), lim_sess_open / lim_sess_load_text / lim_sess_run
** (ngspice), lim_xbar_read_states (every device's state at the end of the run).
** See LICENSE for copyright.
*/
#define _POSIX_C_SOURCE 200809L   /* open_memstream */

#include <stdio.h>
#include <stdlib.h>

#include <limspice/limspice.h>

enum { SIDE = 16 };

static int number(const char *arg, const char *what, double lo, double hi, double *v)
{
	char *end;

	*v = strtod(arg, &end);
	if (end == arg || *end || !(*v >= lo && *v <= hi)) {
		fprintf(stderr, "read_disturb: %s '%s': expected a number in [%g, %g]\n", what, arg,
		        lo, hi);
		return -1;
	}
	return 0;
}

/* The deck as one string: lim_xbar_write prints into a memory stream. */
static char *deck_text(const lim_xbar_spec *x)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (lim_xbar_write(f, x) != 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int main(int argc, char **argv)
{
	double v_read = 0.2, v_barrier = 1.0, time_s = 1e-2, r_wire = 0;
	double w0[SIDE * SIDE], w_end[SIDE * SIDE], sum = 0, lo = 1, hi = -1;
	char tran[64], err[1024];
	lim_xbar_spec x;
	lim_session *s;
	char *text;
	int i, p;

	if ((argc > 1 && number(argv[1], "V_READ_V", -5, 5, &v_read)) ||
	    (argc > 2 && number(argv[2], "V_BARRIER_V", -5, 5, &v_barrier)) ||
	    (argc > 3 && number(argv[3], "TIME_S", 1e-12, 1e9, &time_s)) ||
	    (argc > 4 && number(argv[4], "R_WIRE_OHM", 0, 1e6, &r_wire)) || argc > 5)
		return 2;

	lim_xbar_default(&x);
	x.rows = x.cols = SIDE;
	x.r_wire_ohm = r_wire;
	x.v_read = v_read;
	x.v_barrier = v_barrier;
	for (i = 0; i < SIDE; i++)
		for (p = 0; p < SIDE; p++)
			w0[i * SIDE + p] = (i + p) % 2 ? 0.8 : 0.2;
	x.w0 = w0;
	x.save_probes = 1;
	snprintf(tran, sizeof tran, ".tran %g %g", time_s / 100, time_s);
	x.analysis = tran;
	if (lim_xbar_check(&x, err, sizeof err) != 0) {
		fprintf(stderr, "read_disturb: %s\n", err);
		return 2;
	}

	/* NULL: $LIMSPICE_CM, else the code model installed with the library */
	if (!(s = lim_sess_open(NULL, err, sizeof err))) {
		fprintf(stderr, "read_disturb: %s\n", err);
		return 1;
	}
	if (!(text = deck_text(&x))) {
		fprintf(stderr, "read_disturb: cannot write the deck\n");
		return 1;
	}
	if (lim_sess_load_text(s, text) != 0 || lim_sess_run(s) != 0) {
		fprintf(stderr, "read_disturb: ngspice: %s\n", lim_sess_error(s));
		free(text);
		return 1;
	}
	free(text);

	if (lim_xbar_read_states(s, &x, w_end, err, sizeof err) != 0) {
		fprintf(stderr, "read_disturb: %s\n", err);
		return 1;
	}
	printf("row,col,w0,w_end,dw\n");
	for (i = 0; i < SIDE * SIDE; i++) {
		double dw = w_end[i] - w0[i];

		printf("%d,%d,%.3f,%.9f,%.9g\n", i / SIDE, i % SIDE, w0[i], w_end[i], dw);
		sum += dw;
		lo = dw < lo ? dw : lo;
		hi = dw > hi ? dw : hi;
	}
	lim_sess_close(s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("read_disturb: stdout");
		return 1;
	}
	fprintf(stderr, "read_disturb: limspice %s, %d x %d, %g V reads for %g s at barrier "
	        "control %g V, wires %g ohm: dw mean %.4g, min %.4g, max %.4g\n", lim_version(),
	        SIDE, SIDE, v_read, time_s, v_barrier, r_wire, sum / (SIDE * SIDE), lo, hi);
	return 0;
}
