/*
** t-barrier.c - what moving a barrier costs: a crossbar's barrier line
** charged and discharged by its driver through the energy meter the
** training engine uses (drawn, returned, net), against R C circuit theory;
** and a training's own breakdown with ramped drivers. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "energy.h"
#include "run.h"
#include "session.h"
#include "tap.h"
#include "xbar.h"

static lim_session *sess;
static const char *exe;

/* ---------------------------------------------------------------------
** One cycle of one barrier line, through the meter
** ------------------------------------------------------------------- */

typedef struct {
	lim_xbar_spec x;
	lim_energy_meter *m;
	double v, t0, edge, width;     /* the driver: 0 -> v [V] at t0, edges, plateau [s] */
	double corner[8];                /* breakpoints: 4 corners, and 3 R C after each */
	int ncorner;
	double t_prev;
	int started, resolved;
	char err[256];
} cycle;

/* The driver's value: a trapezoid, linear edges of c->edge [s]. */
static double driver(void *ctx, const char *name, double t)
{
	cycle *c = ctx;
	lim_xbar_kind kind;
	int idx;
	double u = t - c->t0;

	if (lim_xbar_parse_source(&c->x, name, &kind, &idx) != 0 || kind != LIM_XBAR_BARRIER)
		return 0;                          /* rows and sense at 0 V */
	if (u <= 0)
		return 0;
	if (u < c->edge)
		return c->v * u / c->edge;
	if (u < c->edge + c->width)
		return c->v;
	if (u < 2 * c->edge + c->width)
		return c->v * (1 - (u - c->edge - c->width) / c->edge);
	return 0;
}

static void point(void *ctx, int count, const char *const *names, const double *v, double t)
{
	cycle *c = ctx;
	int k, first = c->t_prev <= 0;

	if (c->err[0])
		return;
	if (!c->resolved) {
		if (lim_energy_meter_resolve(c->m, count, names, c->err, sizeof c->err) != 0)
			return;
		c->resolved = 1;
	}
	if (!c->started) {
		lim_energy_meter_start(c->m, v);
		c->started = 1;
		c->t_prev = t;
		return;
	}
	/* ngspice takes a first-order step after each breakpoint (the engine
	** tells the meter the same way) */
	for (k = 0; k < c->ncorner; k++)
		first |= fabs(c->t_prev - c->corner[k]) < 1e-15;
	lim_energy_meter_point(c->m, v, t - c->t_prev, first);
	c->t_prev = t;
}

static const char *external(void *ctx, char kind, int index, char *buf, size_t n)
{
	(void)ctx; (void)kind; (void)index;
	snprintf(buf, n, "external");
	return buf;
}

/* Runs one cycle of the single barrier line of a 1 x 1 differential array
** (two cells on one global line, c_f in all) from a driver of r_ohm with
** edges of edge_s; *drawn, *returned and *net get the barrier driver's
** figures [J]. 0, or -1 with a diagnostic. */
static int run_cycle(double r_ohm, double c_f, double edge_s, double *drawn, double *returned,
                     double *net)
{
	cycle c;
	char an[256], *text = NULL;
	size_t len = 0;
	FILE *f;
	int k, rc, nsrc;
	double rcs = r_ohm * c_f, stop;

	memset(&c, 0, sizeof c);
	lim_xbar_default(&c.x);
	c.x.rows = 1;
	c.x.cols = 1;
	c.x.differential = 1;
	c.x.barrier = LIM_XBAR_BARRIER_GLOBAL;
	c.x.r_barrier_ohm = r_ohm;
	c.x.c_gate_f = c_f / 2;           /* two cells on the line */
	c.x.c_line_f = 0;
	c.x.save_probes = 1;
	c.v = 1;
	c.t0 = 10e-9;
	c.edge = edge_s;
	c.width = fmax(10 * edge_s, 100 * rcs);
	c.corner[0] = c.t0;
	c.corner[1] = c.t0 + edge_s;
	c.corner[2] = c.t0 + edge_s + c.width;
	c.corner[3] = c.t0 + 2 * edge_s + c.width;
	c.ncorner = 4;
	stop = c.corner[3] + 100 * rcs + 10e-9;
	/* the engine's coarse steps: a maximum of a quarter of the run, the
	** corners as breakpoints, and for a ramp one 3 R C after each (as the
	** write schemes set them: lim_write_barrier_corner) */
	for (k = 0; edge_s > 10 * rcs && k < 4; k++)
		c.corner[c.ncorner++] = c.corner[k] + 3 * rcs;
	snprintf(an, sizeof an, ".tran %.6g %.6g 0 %.6g", stop / 100, stop, stop / 4);
	c.x.analysis = an;
	if (!(f = open_memstream(&text, &len)))
		return -1;
	c.x.source = external;            /* the hook supplies every source */
	rc = lim_xbar_write(f, &c.x);
	fclose(f);
	if (rc != 0 || !(c.m = lim_energy_meter_new(&c.x))) {
		free(text);
		return -1;
	}
	lim_sess_reset(sess);
	rc = lim_sess_load_text(sess, text);
	free(text);
	if (rc != 0) {
		tap_diag("ngspice: %s", lim_sess_error(sess));
		lim_energy_meter_free(c.m);
		return -1;
	}
	lim_sess_hooks(sess, driver, point, &c);
	for (k = 0; k < c.ncorner; k++)
		lim_sess_breakpoint(sess, c.corner[k]);
	rc = lim_sess_run(sess);
	lim_sess_hooks(sess, NULL, NULL, NULL);
	if (rc != 0 || c.err[0]) {
		tap_diag("run: %s %s", lim_sess_error(sess), c.err);
		lim_energy_meter_free(c.m);
		return -1;
	}
	nsrc = lim_xbar_nsources(&c.x);
	lim_energy_meter_source_flow(c.m, nsrc - 1, drawn, returned);
	*net = lim_energy_meter_source_j(c.m, nsrc - 1);
	lim_energy_meter_free(c.m);
	return 0;
}

/* R C theory for one edge of length T into R C from a linear ramp: the
** resistor loses C V^2 x [1 - x (1 - e^(-1/x))], x = R C / T (the ramp's
** constant current C V / T through R, less the lag at its start, plus the
** tail after it); x -> 0 gives C V^2 R C / T, x -> oo gives C V^2 / 2. */
static double edge_loss(double r, double c, double t, double v)
{
	double x = r * c / t;

	return c * v * v * x * (1 - x * -expm1(-1 / x));
}

static void ramp_cycle(void)
{
	double r = 1e4, c = 0.6e-15, t = 1e-9, v = 1, drawn, returned, net;
	double simple = 2 * c * v * v * r * c / t;   /* 2 C V^2 R C / T */

	if (run_cycle(r, c, t, &drawn, &returned, &net) != 0) {
		check(!"the cycle ran");
		return;
	}
	tap_diag("ramps of %g s, R C = %g s: drawn %.5g J, returned %.5g J, net %.5g J; "
	         "2 C V^2 R C / T = %.5g J, with the lag %.5g J", t, r * c, drawn, returned, net,
	         simple, 2 * edge_loss(r, c, t, v));
	check_rel(net, simple, 0.05);
	check_rel(net, 2 * edge_loss(r, c, t, v), 0.05);
	check_near(drawn - returned, net, 1e-6 * drawn);
	/* adiabatic: nearly all of the C V^2 / 2 it drew comes back */
	check_rel(drawn, c * v * v / 2, 0.02);
	check_rel(returned, c * v * v / 2, 0.02);
}

static void step_cycle(void)
{
	double r = 1e4, c = 0.1e-12, t = 1e-12, v = 1, drawn, returned, net;

	if (run_cycle(r, c, t, &drawn, &returned, &net) != 0) {
		check(!"the cycle ran");
		return;
	}
	tap_diag("edges of %g s, R C = %g s: drawn %.5g J, returned %.5g J, net %.5g J; "
	         "C V^2 = %.5g J", t, r * c, drawn, returned, net, c * v * v);
	check_rel(net, c * v * v, 0.01);
	/* a switch returns nothing: the discharge runs at the source's 0 V */
	check(returned < 0.01 * drawn);
}

/* The value of metric,value,unit row `name` in csv. */
static double metric(const char *csv, const char *name)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof key, "\n%s,", name);
	p = csv ? strstr(csv, key) : NULL;
	return p ? atof(p + strlen(key)) : NAN;
}

/* A training whose barrier drivers ramp: every line cycles from 0 to its
** V_c and back, whatever V_c is, so what the drivers keep over what they
** drew is 2 L / (C V^2 / 2 + L), L = C V^2 x [1 - x (1 - e^(-1/x))], for
** every line and step alike; and the write energy per update is the sum of
** its breakdown. */
static void training_ramps(void)
{
	double r = 1e4, cell = 0.12e-15, t = 2e-9, x, l, want;
	char args[512], *out, *err;

	/* Iris: 5 rows on each column's line */
	x = r * 5 * cell / t;
	l = x * (1 - x * -expm1(-1 / x));        /* per C V^2 */
	want = 2 * l / (0.5 + l);
	snprintf(args, sizeof args, "train --quiet --steps 10 --param g_min=1e-11 "
	         "--param g_max=1e-10 --n-c 1000 --param kappa=2 --r-barrier %g --c-gate 1e-16 "
	         "--c-line 2e-17 --barrier-edge %g", r, t);
	check_int(run_limspice(args, &out, &err), ==, 0);
	tap_diag("barrier drivers: drew %.5g J, returned %.5g J, net / drawn %.5g against %.5g",
	         metric(out, "barrier_drawn_J"), metric(out, "barrier_returned_J"),
	         metric(out, "barrier_net_J") / metric(out, "barrier_drawn_J"), want);
	check_rel(metric(out, "barrier_net_J") / metric(out, "barrier_drawn_J"), want, 0.02);
	check_near(metric(out, "barrier_drawn_J") - metric(out, "barrier_returned_J"),
	           metric(out, "barrier_net_J"), 1e-6 * metric(out, "barrier_drawn_J"));
	check_near(metric(out, "energy_closure"), 0, 1e-3);
	check_near(metric(out, "breakdown_closure"), 0, 1e-3);
	check_rel(metric(out, "write_transition_heat_per_update_J") +
	          metric(out, "write_conduction_per_update_J") +
	          metric(out, "barrier_line_loss_per_update_J") +
	          metric(out, "wire_loss_per_update_J") +
	          metric(out, "line_energy_left_per_update_J"),
	          metric(out, "energy_per_update_J"), 1e-3);
	free(out);
	free(err);
}

int main(void)
{
	int status;

	if (!(exe = env_or_skip("LIMSPICE")))
		return 0;
	if (!(sess = test_session(&status)))
		return status;
	TEST(ramp_cycle(), "a barrier line ramped up and down (T = 167 R C) through the meter "
	     "loses 2 C V^2 R C / T within 5 %%, and returns what it drew");
	TEST(step_cycle(), "a barrier line switched up and down (1 ps against R C = 1 ns) loses "
	     "C V^2 within 1 %%");
	TEST(training_ramps(), "a training with ramped barrier drivers: what they keep of what "
	     "they drew = R C theory within 2 %%; closure and breakdown within 1e-3");
	lim_sess_close(sess);
	return tap_done();
}
