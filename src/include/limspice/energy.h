/*
** energy.h - energy delivered by the independent sources of a run.
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_ENERGY_H
#define LIMSPICE_ENERGY_H

#include <stddef.h>

#include "deck.h"
#include "session.h"
#include "xbar.h"

/* Energy over [t0, t1] [J] from a source's voltage v [V] and current i [A]
** on the raw time points t: each step books its charge (the trapezoid of i,
** the charge ngspice's integration moved) at the step's mean voltage. On
** steps where v and i are linear in time this is twice as accurate as the
** trapezoid of v i, and for a capacitor it gives 1/2 C (V1^2 - V0^2)
** exactly. Window ends are cut by linear interpolation; outside the data
** contributes nothing. */
double lim_energy_window(const double *t, const double *v, const double *i, size_t n,
                         double t0, double t1);

/* Time points that do not resolve a source's current i [A] at voltage v
** [V]: where i reverses sign on both sides (trapezoid ringing; |i| over
** 1e-3 of the largest |i|), or changes by over half its largest |i| in one
** step while v holds still (an R C tail shorter than the step, seen with
** method=gear; not counted on the first step, from the operating point). Either way the node the source drives has a time constant
** far below ngspice's steps, the charge of those steps is not known from
** the points, and the energy can be off several times: the remedy is a
** maximum step under that time constant. */
long lim_energy_unresolved(const double *v, const double *i, size_t n);

/* The group of a source by limspice's naming scheme: "row" (vr<i>),
** "column" (vc<j>), "barrier" (vb, vb<k>), "sense" (vs<p>), else "other". */
const char *lim_energy_group(const char *source);

/* Source s's voltage v = V(+) - V(-) [V] and the current i it delivers
** [A] over the current plot, so that v i is the power it delivers (positive
** when it delivers). Both malloc'd (the caller frees them), *len points.
** 0, or -1 with lim_sess_error() set and nothing to free. */
int lim_energy_vi(lim_session *se, const lim_deck_source *s, double **v, double **i, size_t *len);

/* ---------------------------------------------------------------------
** The meter: a crossbar run's energies, point by point, from the data
** callback, so that nothing needs the stored history of the run.
** ------------------------------------------------------------------- */

typedef struct lim_energy_meter lim_energy_meter;

/* Totals since the first point [J]; the closure is supply_j = trans_j +
** joule_j + wire_j + (barrier_j - line_j change), the last term being the
** barrier drivers' resistor loss. */
typedef struct {
	double supply_j;      /* delivered by every source */
	double barrier_j;     /* of which by the barrier drivers */
	double wire_j;        /* dissipated in the wire segments */
	double line_j;        /* stored on the barrier lines now (not a total) */
	double trans_j;       /* the devices' transition heat (e_trans probes) */
	double joule_j;       /* and conduction heat (e_joule probes) */
} lim_energy_reading;

/* A meter for the array x describes (its sources in xbar order, its
** wires, its barrier lines, its devices' probes; x must save probes, and
** its nodes when it has wires). NULL when out of memory. */
lim_energy_meter *lim_energy_meter_new(const lim_xbar_spec *x);
void lim_energy_meter_free(lim_energy_meter *m);   /* accepts NULL */

/* Finds every vector the meter reads among a run's names: 0, or -1 with
** the first one missing in err. */
int lim_energy_meter_resolve(lim_energy_meter *m, int count, const char *const *names, char *err,
                             size_t n);

/* The first point (the operating point) is the baseline: totals start at 0. */
void lim_energy_meter_start(lim_energy_meter *m, const double *v);

/* Integrates from the previous point to this one, dt [s] later. A source
** is integrated by the trapezoid of its power; a barrier driver, which
** feeds only a capacitor, by its mid-step voltage times the current
** ngspice's integration implies (the end point's when the step began at a
** breakpoint, first_order, else the mean): a trapezoid of V I would book a
** spurious V I dt / 2 at every ramp corner, and this is 1/2 C (V1^2 - V0^2)
** exactly. */
void lim_energy_meter_point(lim_energy_meter *m, const double *v, double dt, int first_order);

/* The totals so far, with the line energy and probes at point v. */
void lim_energy_meter_read(const lim_energy_meter *m, const double *v, lim_energy_reading *r);

/* What source k (xbar order) delivered so far [J]. */
double lim_energy_meter_source_j(const lim_energy_meter *m, int k);

/* What source k drew from its supply and gave back to it so far [J], both
** >= 0, summed over the time steps by the sign of each step's energy; the
** net, drawn - returned, is lim_energy_meter_source_j. A driver that ramps a
** line up and down gets most of its charge's energy back: its net is what
** its resistance lost (plus what the line still stores). */
void lim_energy_meter_source_flow(const lim_energy_meter *m, int k, double *drawn_j,
                                  double *returned_j);

#endif
