/*
** write.h - write schemes: how a training step's errors become the driver
** waveforms that program the array (physics.md sections 5 and 6).
** See LICENSE for copyright.
**
** The engine (train.c) reads a sample, computes the output errors, and
** hands them to the scheme, which plans the step's write. While ngspice
** runs, the scheme gives each row, sense and barrier driver's value at a
** time into the write phase, and lists the corners ngspice must land on.
** The engine does not know which scheme runs; a scheme does not know the
** simulator.
*/
#ifndef LIMSPICE_WRITE_H
#define LIMSPICE_WRITE_H

#include "phys.h"
#include "train.h"
#include "xbar.h"

/* The write schemes are the engine's private seam, not the library's API:
** hidden, so liblimspice.so exports only what src/include/limspice/ declares. */
#pragma GCC visibility push(hidden)

/* Timeline constants [s]. Edges are linear ramps; every corner gets a
** breakpoint, so ngspice lands on it and never steps over a pulse. */
#define T_EDGE    1e-9     /* read ramps */
/* The default barrier edge (lim_train_opts.barrier_edge_s): lines switch
** like a CMOS driver, an edge much faster than the driver's R C (10 kOhm x
** cells x 0.12 fF), so charging is not adiabatic and each cycle costs about
** C V^2, as on a chip. */
#define T_BEDGE   1e-12
#define T_SETTLE  2e-9     /* read plateau before the sample */
#define T_PULSE   0.1e-9   /* write pulse ramps; shorter pulses are dropped */
#define T_GUARD   0.5e-9   /* between a barrier or column edge and a pulse */
#define T_READ    (2 * T_EDGE + T_SETTLE)

/* What a scheme is told of the run. */
typedef struct {
	const lim_train_opts *o;    /* mode, schedule, eta, gain, tilt, ... */
	lim_phys_dev card;          /* as simulated (conventional: kappa = 0) */
	int rows, pcols;        /* rows: inputs, bias, unused; pcols: pairs per output */
	int nout;               /* outputs: pairs in use */
	double kt_ev;           /* kT at the device [eV] */
	double temp_c;          /* the circuit's temperature [C] */
	double u_max;           /* the largest |input| of the data (bias 1 included) */
	unsigned stream;        /* which array of the deck: its own random draws */
} lim_write_setup;

typedef struct lim_write_scheme lim_write_scheme;

typedef struct {
	const char *name;
	/* The scheme's state for a run; NULL when out of memory. */
	lim_write_scheme *(*open)(const lim_write_setup *su);
	void (*close)(lim_write_scheme *w);      /* accepts NULL */
	/* The write phase's length [s]: the same every step. */
	double (*length)(const lim_write_scheme *w);
	/* Plans step n (1-based, for the schedule) from the row inputs u
	** (rows values) and the output errors delta (nout values, dL/dz);
	** sets st's eps, e0_kt, v_c, v_write, clipped (serial: pulses cut to
	** their window; parallel LIM: devices whose update falls short of the
	** linear one by over 2.5 %; conventional parallel: 0) and decay_kt. */
	void (*plan)(lim_write_scheme *w, long n, const double *u, const double *delta,
	             lim_train_step *st);
	/* Every corner [s] of the planned write when it starts at time start. */
	void (*corners)(const lim_write_scheme *w, double start,
	                void (*add)(void *ctx, double t), void *ctx);
	/* A driver's value [V] at time t into the planned write. */
	double (*value)(const lim_write_scheme *w, lim_xbar_kind kind, int idx, double t);
	/* The change device c should have made from w_start by the plan's
	** deterministic rule; NAN where the scheme does not say. */
	double (*expected)(const lim_write_scheme *w, int c, double w_start);
} lim_write_ops;

/* Today's rules: one window per physical column (physics.md section 6,
** "Serial"); the conventional memory writes with the V/2 scheme. */
extern const lim_write_ops lim_write_serial_lim;
extern const lim_write_ops lim_write_serial_conventional;

/* Every device in one window: LIM by row widths and column barriers in two
** sign phases, conventional by coincidence of half-voltage trains in
** four quadrant sub-phases (physics.md section 6, "parallel"). */
extern const lim_write_ops lim_write_parallel_lim;
extern const lim_write_ops lim_write_parallel_conventional;

/* --- What the schemes share ------------------------------------------ */

/* The barrier of step n (1-based): Eq. 7 -> E_B -> V_c [V], the device's
** relaxation rate k [1/s] at the write tilt under it, E0 [kT] and eps_n. */
void lim_write_step_barrier(const lim_write_setup *su, long n, double *v_c, double *k,
                            double *e0_kt, double *eps);

/* Width [s] of a pulse that moves w by dw from 1/2 at rate k and tilt x
** [kT]: dw = tanh(x/2)/2 (1 - exp(-k t)). -1 when out of reach. */
double lim_write_width_for(double dw, double k, double x);

/* The write voltage [V] at which a pulse of width t [s] at the fixed
** barrier (the conventional memory: the card's e_b0, no control) moves w by
** dw from 1/2: bisection on dw = tanh(x/2)/2 (1 - e^-k t), x = z V / kT. */
double lim_write_fixed_barrier_voltage(const lim_write_setup *su, double dw, double t);

/* The run's barrier edge [s]: the option, or T_BEDGE when unset (0). */
double lim_write_bedge(const lim_write_setup *su);

/* Adds a barrier line's corner at t [s]; for a ramp (an edge over 10 R C of
** the line) also one 3 R C later. ngspice's first step after a corner is
** otherwise a tenth of the ramp, over which the meter takes the current as
** even, while it settles within R C: charge that in truth flowed at the
** corner's voltage is booked at the step's mean, and the ramp's loss came
** out 5 % low (t-barrier, a ramp of 167 R C). */
void lim_write_barrier_corner(const lim_write_setup *su, double t,
                              void (*add)(void *ctx, double t), void *ctx);

/* A trapezoid of full width at half maximum w whose rise starts at 0. */
double lim_write_trap(double u, double w, double edge);

#pragma GCC visibility pop

#endif
