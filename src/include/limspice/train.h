/*
** train.h - closed-loop training on a simulated lim_synapse crossbar.
** See LICENSE for copyright.
**
** One transient carries the devices' state through every step. Each step
** reads one sample (forward pass through the array), computes the gradient
** in C, and programs the update, all inside the same simulated history:
** the row, column and barrier drivers are EXTERNAL sources whose values
** this module supplies as the simulation runs (ngspice-xspice.md: the
** stop/alter/resume alternative leaves `stop when` armed and needs a
** command round trip per phase; EXTERNAL sources keep one run and let
** the per-point data callback do all bookkeeping as it goes).
**
** Write rule (physics.md sections 5 and 6): the step's barrier comes from
** Eq. 7 with the schedule's eps_n and Rn = R1 eps_n^(1+alpha), turned into
** a control voltage through E0 -> E_B -> V_c; how the errors then become
** pulses is a write scheme's (write.h), which the engine does not know.
*/
#ifndef LIMSPICE_TRAIN_H
#define LIMSPICE_TRAIN_H

#include <stdint.h>

#include "dataset.h"
#include "phys.h"
#include "session.h"

typedef enum { LIM_TRAIN_LIM, LIM_TRAIN_CONVENTIONAL } lim_train_mode;

/* How a step's update reaches the devices (write.h, physics.md section 6). */
typedef enum { LIM_TRAIN_WRITE_PARALLEL, LIM_TRAIN_WRITE_SERIAL } lim_train_write;

typedef struct {
	lim_train_mode mode;
	lim_phys_dev card;          /* the device (conventional: kappa is set to 0) */
	int rows, pcols;        /* the array; 0: the smallest that fits */
	double r_wire_ohm;      /* per wire segment; 0: no wires */
	double r_barrier_ohm, c_gate_f, c_line_f;
	lim_phys_sched sched;       /* eps_n, alpha (ln_r1_over_rmax is set from r1_hz) */
	double r1_hz;           /* update rate of step 1 [1/s] */
	double temp_k;
	int epochs;
	long max_steps;         /* 0: epochs x training samples */
	double eta;             /* change of w_eff per unit eps g (w units) */
	double gain;            /* logit per unit w_eff and unit input */
	double v_read;          /* read voltage per unit input [V] */
	double tilt_kt;         /* LIM write tilt [kT] */
	double bits;            /* Landauer precision */
	uint64_t seed;
	lim_train_write write;      /* the write scheme */
	int slots;              /* parallel: BL, slots of a row pulse or train */
	int levels;             /* parallel LIM: barrier levels L; 0 continuous */
	double floor;           /* parallel: columns with |v| < floor max|v| are not written */
	double min_slot_s;      /* parallel LIM: the shortest slot, the drivers' shortest
	                           pulse [s] */
	int keep_history;       /* 1 (default): ngspice's plot keeps the whole transient
	                           for inspection, and grows with every step; 0: it keeps
	                           only the newest point (flat memory), and does so for
	                           the rest of the process (xbar.h, save_none) */
	double barrier_edge_s;  /* the barrier drivers' edges, linear ramps [s]: much
	                           shorter than r_barrier_ohm x the line's capacitance,
	                           a CMOS-like switch that loses C V^2 a cycle; much
	                           longer, adiabatic charging that loses about
	                           2 C V^2 R C / T a cycle and returns the rest */
} lim_train_opts;

void lim_train_default(lim_train_opts *o);

/* One training step's figures. */
typedef struct {
	int epoch, sample;
	double eps, e0_kt;        /* schedule and Eq. 7 barrier [kT] */
	double v_c, v_write;      /* barrier control and write voltage [V] */
	double loss;
	int correct;              /* classification: the read predicted right */
	double accuracy;          /* running training accuracy so far */
	int updates;              /* devices with |dw| >= 1/(2 n_c) this step */
	int clipped;              /* pulses cut to the window */
	double e_read_j, e_write_j;       /* supply energy by phase */
	double e_trans_j, e_joule_j;      /* device transition and conduction heat */
	double e_resistor_j;              /* wire and driver resistors */
	double e_wire_j;                  /* of which the wire segments */
	double e_joule_write_j;           /* conduction heat during the write */
	double lim_estimate_kt;   /* E0_n + mean eps g^2 over the updated devices */
	double decay_kt;          /* largest k t a device spent unpulsed, barrier low */
	/* where the write phase's supply went (e_write_j is their sum, to the
	** closure): */
	double e_trans_write_j;   /* transition heat */
	double e_wire_write_j;    /* wire segments */
	double e_barrier_loss_j;  /* barrier drivers' resistors: their net less e_line_j */
	double e_line_j;          /* change of the energy stored on the barrier lines */
	double e_free_j;          /* free-energy floor of the step's state change: over
	                             the updated devices, the rise of n_c kT [w ln w +
	                             (1 - w) ln(1 - w)] (a fall counts 0: a write
	                             cannot hand it to another device) */
} lim_train_step;

typedef struct {
	long nsteps;
	lim_train_step *steps;        /* nsteps */
	int rows, pcols;
	double *w;                /* final states, rows x pcols */
	double supply_j;          /* all sources, whole run */
	double read_j, write_j;
	double trans_j, joule_j, resistor_j, cap_j;  /* where it went */
	double joule_write_j;     /* conduction heat while writing (pulsed rows) */
	double wire_j;            /* the wires' share of resistor_j; the rest is the
	                             barrier drivers' loss */
	long updates;
	double decay_max;         /* largest decay k t of any write */
	double dw_error_rms;      /* realised dw - intended dw over pulsed devices */
	long dw_count;            /* how many pulsed devices that was measured on */
	double sim_time_s;
	double *source_j;         /* per source: rows, then sense, then barrier */
	char (*source_name)[16];
	int nsources;
	/* the write phases' breakdown, sums of the steps' (lim_train_step) */
	double trans_write_j, wire_write_j, barrier_loss_j, line_write_j, free_j;
	double *source_drawn_j;   /* per source: drawn from its supply, whole run */
	double *source_returned_j;    /* and given back; source_j is the net */
} lim_train_result;

typedef void (*lim_train_progress_fn)(void *ctx, long step, long nsteps);

/* The steps lim_train_run takes: --steps, else epochs x the training rows. */
long lim_train_planned_steps(const lim_train_opts *o, int ntrain);

/* Trains on the rows train[0..ntrain) of d (standardised already). The
** session must be open; its plot stays for inspection until the next load.
** 0, or -1 with the reason in err. r is freed with lim_train_result_free. */
int lim_train_run(lim_session *s, const lim_dataset *d, const int *train, int ntrain,
                  const lim_train_opts *o, lim_train_result *r, lim_train_progress_fn progress,
                  void *pctx, char *err, size_t n);

/* Reads every sample idx[0..nidx) through an array holding states w (rows x
** pcols, rounded to whole carriers) and returns the accuracy (classification)
** or the mean squared error (regression); pred[k] gets each prediction when
** non-NULL. */
int lim_train_infer(lim_session *s, const lim_dataset *d, const int *idx, int nidx,
                    const lim_train_opts *o, int rows, int pcols, const double *w,
                    double *score, int *pred, char *err, size_t n);

/* Holds an array of states w for duration_s at temp_k with every driver at
** 0 V and the barrier at its retention height; w gets the states after. */
int lim_train_hold(lim_session *s, const lim_train_opts *o, int rows, int pcols, double *w,
                   double duration_s, double temp_k, char *err, size_t n);

/* The effective weights w+ - w- (rows x nout) of an array of states. */
void lim_train_weights(int rows, int pcols, const double *w, double *weff);

/* The smallest array for d: inputs plus a bias row, two columns per output. */
void lim_train_array_size(const lim_dataset *d, int *rows, int *pcols);

void lim_train_result_free(lim_train_result *r);

#endif
