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

/* Integral of p over [t0, t1] [J] by the trapezoid on the raw time points,
** the ends cut by linear interpolation (a resampled vector moves the
** result: ngspice-xspice.md). Outside the data contributes nothing. */
double lim_energy_window(const double *t, const double *p, size_t n, double t0, double t1);

/* The group of a source by limspice's naming scheme: "row" (vr<i>),
** "column" (vc<j>), "barrier" (vb, vb<k>), "sense" (vs<p>), else "other". */
const char *lim_energy_group(const char *source);

/* Power delivered by source s over the current plot [W], positive when
** the source delivers: -V I for a voltage source (ngspice's branch
** current flows into its + terminal), (V(neg) - V(pos)) I for a current
** source. malloc'd, with *len points; NULL with lim_sess_error() set. */
double *lim_energy_power(lim_session *se, const lim_deck_source *s, size_t *len);

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

#endif
