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
** Two layers (hidden > 0, physics.md section 6, "The backward read"): two
** arrays in one deck, prefixed l1_ (inputs and a bias -> hidden units) and
** l2_ (hidden units and a bias -> outputs). Each step, in simulated time:
** the forward read of array 1; the activation y = f(a) of its outputs,
** computed here and applied as array 2's row voltages; the forward read of
** array 2 and the output errors; the backward read of array 2 (its columns
** driven at +-v_back delta_k / max|delta|, its rows held at 0 V by their
** drivers, whose currents are sensed), giving the hidden errors; then the
** parallel write of both arrays at once. The read currents, not a copy of
** the weights, carry both passes.
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

/* The hidden units' activation: bounded to [0, 1], so array 2's rows stay
** at read levels (v_read y). */
typedef enum {
	LIM_TRAIN_ACT_SIGMOID,    /* y = 1 / (1 + e^-a), dy/da = y (1 - y) */
	LIM_TRAIN_ACT_HARD        /* y = min(1, max(0, 1/2 + a/4)), dy/da = 1/4 inside */
} lim_train_act;

/* y = f(a) and *dy_da (may be NULL) for activation f. */
double lim_train_activation(lim_train_act f, double a, double *dy_da);

#define LIM_TRAIN_HIDDEN_MAX 127   /* 2 columns per unit, and a bias row, in 256 */

/* What one step's passes carried (two layers), for studies and tests. */
typedef struct {
	long step;                /* 0-based */
	int hidden, nout;
	const double *a;          /* hidden pre-activations from array 1's currents */
	const double *y;          /* activations f(a): array 2's row inputs (bias 1 after) */
	const double *z;          /* outputs from array 2's currents */
	const double *delta;      /* output errors dL/dz, clipped to [-1, 1] */
	double v_col;             /* backward read: column drive per unit error [V]; pair
	                             k's plus column at +v_col delta_k, minus at -v_col
	                             delta_k */
	const double *i_back;     /* array 2's row currents in the backward read [A]:
	                             hidden rows, then the bias row; positive from the
	                             columns into the row (sum_p G_jp V_p without wires) */
	const double *delta_h;    /* hidden errors f'(a) gain (I D / (v_back dg)),
	                             clipped to [-1, 1] */
} lim_train_pass;

typedef void (*lim_train_pass_fn)(void *ctx, const lim_train_pass *p);

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
	int hidden;             /* 0: one layer; N: inputs -> N hidden units -> outputs
	                           on two arrays (1 .. LIM_TRAIN_HIDDEN_MAX); the arrays
	                           are then sized by the data (rows, pcols must be 0) */
	lim_train_act activation;   /* the hidden units' f (default sigmoid) */
	double v_back;          /* backward read: the largest column drive [V]; 0:
	                           v_read (a read level: the barriers stay high) */
	double init_sd;         /* two layers: the initial states' spread (see
	                           lim_train_init_states); default 1 */
	const double *w_init[2];    /* each array's initial states (rows x pcols), or
	                               NULL: the card's w0 (one layer), the seeded
	                               spread (two layers) */
	lim_train_pass_fn pass;     /* two layers: called at each step's backward read */
	void *pass_ctx;
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
	double e_back_j;          /* of e_read_j: the backward read (two layers) */
	double e_cap_j;           /* change of the energy stored on the barrier lines
	                             over the whole step (e_line_j: the write phase) */
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

/* Where a run's time went, by phase of the steps. */
enum { LIM_TRAIN_PHASE_FORWARD, LIM_TRAIN_PHASE_BACKWARD, LIM_TRAIN_PHASE_WRITE,
       LIM_TRAIN_PHASES };

/* An array's (or the network's) energies over a run [J]. */
typedef struct {
	double supply_j, read_j, write_j;
	double back_j;            /* of read_j: the backward read */
	double trans_j, joule_j, resistor_j, cap_j, joule_write_j, wire_j;
	long updates;
	double estimate_kt;       /* sum over steps of lim_estimate_kt x updates [kT] */
	double decay_max;
} lim_train_energy;

typedef struct {
	long nsteps;
	lim_train_step *steps;        /* nsteps; with two layers the sums of both arrays'
	                                 figures (the estimate over both arrays' updates,
	                                 the decay and write voltage the larger) */
	int layers;               /* arrays: 1, or 2 with a hidden layer */
	lim_train_step *layer_steps;  /* nsteps x layers: [n * layers + l] is array l's
	                                 own part of step n */
	lim_train_energy layer[2];    /* each array's totals */
	int rows2, pcols2;        /* two layers: array 2 (hidden units and a bias row,
	                             a pair per output) */
	double *w2;               /* its final states, rows2 x pcols2 */
	double phase_wall_s[LIM_TRAIN_PHASES];  /* wall time ngspice spent reaching the
	                                           points of each phase [s] */
	long phase_points[LIM_TRAIN_PHASES];    /* accepted time points per phase */
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

/* Two layers: reads every sample idx[0..nidx) through array 1 holding w
** (lim_train_layer_size 0) and array 2 holding w2 (size 1), as
** lim_train_infer. */
int lim_train_infer2(lim_session *s, const lim_dataset *d, const int *idx, int nidx,
                     const lim_train_opts *o, const double *w, const double *w2,
                     double *score, int *pred, char *err, size_t n);

/* Holds both arrays of a two-layer network in one deck, as lim_train_hold;
** w (array 1) and w2 (array 2) get the states after. */
int lim_train_hold2(lim_session *s, const lim_train_opts *o, const lim_dataset *d, double *w,
                    double *w2, double duration_s, double temp_k, char *err, size_t n);

/* Array l (0: inputs, 1: hidden units) of a network with o->hidden > 0
** hidden units on data d: rows (its inputs and a bias) and physical
** columns (a pair per output). With o->hidden == 0, array 0 is
** lim_train_array_size's. */
void lim_train_layer_size(const lim_dataset *d, const lim_train_opts *o, int l, int *rows,
                          int *pcols);

/* Array l's initial states, rows x pcols, for two layers: 0.5 + r (2 U - 1)
** with U uniform in [0, 1) from a stream of o->seed and l, and r =
** init_sd sqrt(3 / (2 rows)) / gain: with unit inputs on every row, an
** output's logit gain sum (w+ - w-) u then has standard deviation init_sd.
** (Equal states would keep every hidden unit alike forever.) */
void lim_train_init_states(const lim_train_opts *o, int l, int rows, int pcols, double *w);

/* The effective weights w+ - w- (rows x nout) of an array of states. */
void lim_train_weights(int rows, int pcols, const double *w, double *weff);

/* The smallest array for d: inputs plus a bias row, two columns per output. */
void lim_train_array_size(const lim_dataset *d, int *rows, int *pcols);

void lim_train_result_free(lim_train_result *r);

#endif
