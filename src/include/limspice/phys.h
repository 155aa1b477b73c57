/*
** phys.h - the physics core of limspice: ../shared/physics.md in C.
** See LICENSE for copyright.
**
** This module is pure computation: it includes no ngspice header, never
** prints, never exits and keeps no state between calls. Results come back
** through out-pointers and a status code, so the code model (which compiles
** these files into the .cm), the drivers and the theory tool all call the
** same functions and the device and the bound cannot drift apart.
**
** Units are in the names or beside them: _ev electron-volts, _kt multiples
** of kT, _j joules, _k kelvin, _hz and _per_s rates, _s seconds, _v volts.
** Rates that can underflow (a barrier of 1e6 kT) travel as logarithms.
*/
#ifndef LIMSPICE_PHYS_H
#define LIMSPICE_PHYS_H

#include <stddef.h>
#include <stdint.h>

/* CODATA 2018, exact. */
#define LIM_PHYS_KB_J_PER_K   1.380649e-23
#define LIM_PHYS_KB_EV_PER_K  8.617333262e-5
#define LIM_PHYS_Q_C          1.602176634e-19
#define LIM_PHYS_ZERO_C_IN_K  273.15
#define LIM_PHYS_YEAR_S       (365.25 * 86400.0)   /* a Julian year [s] */
/* Carriers per device at most: states on a grid of 1/n_c stay exact in a
** double and in a long, and a noisy step's draw, which walks about
** sqrt(n_c) terms, stays under a million. */
#define LIM_PHYS_N_C_MAX      1e12

typedef enum {
	LIM_PHYS_OK = 0,
	LIM_PHYS_EDOM,    /* an argument is outside the range the relation accepts */
	LIM_PHYS_ERANGE   /* the result cannot be represented or computed */
} lim_phys_status;

/* ---------------------------------------------------------------------
** Section 1-2: thermally activated transitions, Eqs. 1, 3, 4 and 7
** ------------------------------------------------------------------- */

/* ln tanh(x / 2) for x > 0 given as ln x, accurate for every x from
** denormal to 1e300 (the barrier of a step with a vanishing learning rate). */
double lim_phys_ln_tanh_half(double ln_x);

/* Eq. 3: Rn / R0 = tanh(dE / 2kT); de_kt may have either sign. */
double lim_phys_rn_over_r0(double de_kt);

/* Eq. 4: E0/kT = ln(Rmax/Rn) + ln tanh(dE/2kT), with ln(Rmax/Rn) given.
** Fails with LIM_PHYS_EDOM when de_kt <= 0 (no net rate towards the bias). */
lim_phys_status lim_phys_e0_kt(double ln_rmax_over_rn, double de_kt, double *e0_kt);

/* ---------------------------------------------------------------------
** Section 3: schedules
** ------------------------------------------------------------------- */

typedef enum { LIM_PHYS_SCHED_INVERSE, LIM_PHYS_SCHED_POWER, LIM_PHYS_SCHED_EXP } lim_phys_sched_kind;
typedef enum { LIM_PHYS_LIM_A, LIM_PHYS_LIM_B } lim_phys_lim_kind;

typedef struct {
	lim_phys_sched_kind kind;
	double eps0;             /* learning rate of step 1, in (0, 1] */
	double p;                /* power-law exponent, in (0.5, 1] */
	double gamma;            /* exponential decay per step, in (0, 1] */
	double alpha;            /* Rn = R1 eps_n^(1+alpha), alpha in (0, 1) */
	double ln_r1_over_rmax;  /* ln(R1/Rmax) <= 0; 0 is the paper's R1 = Rmax */
	lim_phys_lim_kind lim;       /* LIM_A: gradient tilt only; LIM_B: topped up */
	double floor_kt;         /* LIM_B: the tilt floor e_floor [kT], >= 0 */
} lim_phys_sched;

/* Fills *s with the command's defaults: inverse, eps0 1, p 0.75,
** gamma 0.999, alpha 0.5, R1 = Rmax, LIM_A, floor 0. */
void lim_phys_sched_default(lim_phys_sched *s);

/* Checks every field against its range; on failure names the field in
** *field (a static string) and returns LIM_PHYS_EDOM. */
lim_phys_status lim_phys_sched_check(const lim_phys_sched *s, const char **field);

/* ln eps_n for step n >= 1 (n real, for the closed-form tail). */
double lim_phys_sched_ln_eps(const lim_phys_sched *s, double n);

/* One step of the estimate at g^2 = 1 (physics.md section 2). */
typedef struct {
	double eps;              /* learning rate eps_n */
	double ln_rn_over_rmax;  /* ln(Rn/Rmax) */
	double de_kt;            /* tilt charged: eps_n (LIM_A) or max(eps_n, floor) */
	double e_ext_kt;         /* injected energy (LIM_B), else 0 */
	double e0_kt;            /* barrier of Eq. 7, clamped at 0 */
	double ediss_kt;         /* E0 + |dE| */
	int clamped;             /* 1 when Eq. 7 gave E0 < 0 and was clamped */
} lim_phys_step;

void lim_phys_step_at(const lim_phys_sched *s, double n, lim_phys_step *out);

/* Sums of the estimate over steps 1..n_steps for one parameter. Steps up to
** a few million are added one by one; beyond, the tail is the integral of
** the asymptotic form with the Euler-Maclaurin midpoint correction, which
** reaches 1e13 steps in microseconds. */
typedef struct {
	double steps;            /* N */
	double ediss_kt;         /* sum of E0 + |dE| */
	double e0_kt;            /* sum of E0 */
	double de_kt;            /* sum of |dE| */
	double clamped;          /* steps whose E0 was clamped at 0 */
} lim_phys_sum;

lim_phys_status lim_phys_sum_steps(const lim_phys_sched *s, double n_steps, lim_phys_sum *out);

/* The same sum, always step by step (the reference for the tail). */
lim_phys_status lim_phys_sum_direct(const lim_phys_sched *s, double n_steps, lim_phys_sum *out);

/* Landauer: b kT ln 2 [J] at temp_k. */
double lim_phys_landauer_j(double bits, double temp_k);

/* kT in J and eV. */
double lim_phys_kt_j(double temp_k);
double lim_phys_kt_ev(double temp_k);

/* Brain-scale projection (physics.md section 4): D parameters, FLOPs
** operations, N = FLOPs / (flops_per_update D) steps of the inverse
** schedule with eps0 = 1, R1 = Rmax, clamp on. */
typedef struct {
	double params;           /* D */
	double flops;            /* total operations */
	double flops_per_update; /* 6: forward, backward and update per parameter */
	double alpha;
	double temp_k;
	double bits;             /* for the Landauer comparison */
} lim_phys_projection_in;

typedef struct {
	double steps;            /* N per parameter */
	double lim_j;            /* D * sum of E_diss */
	double landauer_j;       /* FLOPs * bits * kT ln 2 */
	double clamped;          /* clamped steps per parameter */
} lim_phys_projection_out;

void lim_phys_projection_default(lim_phys_projection_in *in);
lim_phys_status lim_phys_projection(const lim_phys_projection_in *in, lim_phys_projection_out *out);

/* ---------------------------------------------------------------------
** Section 5: the lim_synapse device
** ------------------------------------------------------------------- */

typedef struct {
	double r_max;    /* Hz, attempt rate */
	double e_b0;     /* eV, barrier at V_c = 0 */
	double kappa;    /* eV/V, barrier lowering per volt on c */
	double e_min;    /* eV, lowest barrier the control reaches */
	double z;        /* 1, carrier charge number */
	double lambda;   /* 1, position of the barrier top */
	double n_c;      /* 1, carriers per device */
	double g_min;    /* S */
	double g_max;    /* S */
	double w0;       /* 1, stored state at time 0 */
	double dtemp;    /* K above the circuit temperature */
	double noise;    /* 0: deterministic; 1: hops drawn as random events */
	double seed;     /* the stream's seed (whole number) */
	double sigma_e_b0, sigma_kappa, sigma_g_min, sigma_g_max, sigma_r_max;
	                 /* 1, relative device-to-device spreads (drawn once) */
} lim_phys_dev;

/* The device parameter table: name, unit, default, range, meaning. The code
** model's validation, README, --help and the sweep checks all read it. */
typedef struct {
	const char *name;
	const char *unit;
	double def;
	double min, max;         /* -HUGE_VAL / HUGE_VAL where open-ended */
	int min_open, max_open;  /* 1: the bound itself is excluded */
	const char *meaning;
	size_t offset;           /* of the double in lim_phys_dev */
} lim_phys_param;

extern const lim_phys_param lim_phys_dev_params[];
extern const size_t lim_phys_dev_nparams;

/* A device model as the deck writers and card readers see it: the type
** name on its .model line and its parameter table (each a double at an
** offset of the device's struct). The card reader, the card writer, the
** crossbar generator and the session name the model only through this, so
** a second device model is its table, its struct and its equations. */
typedef struct {
	const char *model;             /* ngspice's model type, "lim_synapse" */
	const lim_phys_param *params;
	size_t nparams;
} lim_phys_model;

extern const lim_phys_model lim_phys_synapse;

void lim_phys_dev_default(lim_phys_dev *d);
const lim_phys_param *lim_phys_dev_param(const char *name);  /* NULL if unknown */
/* The parameter an unknown name was probably meant to be (at most two
** edits away, case ignored: "wo" gives w0), or NULL. */
const lim_phys_param *lim_phys_dev_param_near(const char *name);
double *lim_phys_dev_field(lim_phys_dev *d, const lim_phys_param *p);
double lim_phys_dev_value(const lim_phys_dev *d, const lim_phys_param *p);

/* Writes the range of p as "(0, 1]" style text into buf. */
void lim_phys_param_range(const lim_phys_param *p, char *buf, size_t n);

/* Validates d: each value in its range, g_min <= g_max, e_min <= e_b0.
** Every value must be finite. On failure writes "name = value <unit>:
** expected ..." into msg and returns LIM_PHYS_EDOM; d is not changed. */
lim_phys_status lim_phys_dev_check(const lim_phys_dev *d, char *msg, size_t n);

/* Whether d may run at the circuit temperature temp_k [K]: the device's
** own, temp_k + dtemp, must be finite and above 0 K. LIM_PHYS_OK, or
** LIM_PHYS_EDOM with the reason in msg. */
lim_phys_status lim_phys_dev_check_temp(const lim_phys_dev *d, double temp_k, char *msg, size_t n);

/* Rates and their exact derivatives at one bias point. */
typedef struct {
	double kt_ev;            /* kT at the device temperature */
	double e_b_ev;           /* barrier after the e_min clamp */
	double ef_kt, er_kt;     /* forward and reverse barriers E_f, E_r [kT] */
	double rf, rr;           /* forward and reverse rates [1/s] */
	double drf_dvab, drr_dvab;   /* d/dV_ab [1/(s V)] */
	double drf_dvc, drr_dvc;     /* d/dV_c  [1/(s V)] */
} lim_phys_rates;

/* temp_c is the circuit temperature [C]; d->dtemp is added. Rates never
** exceed r_max: when the tilt would push a barrier below zero both are
** raised together (detailed balance stays exact), so exp() never overflows
** whatever bias a Newton trial tries. */
void lim_phys_dev_rates(const lim_phys_dev *d, double temp_c, double v_ab_v,
                        double v_c_v, lim_phys_rates *r);

/* The rates over a time step whose bias moves linearly in time from
** (v_ab0_v, v_c0_v) at its start to (v_ab1_v, v_c1_v) at its end: *end
** gets lim_phys_dev_rates() at the end; *mean the rates averaged over the step,
** (1/dt) integral R dt [1/s], with their derivatives with respect to the
** end's bias (the start being fixed) and the end's kt_ev, e_b_ev, ef_kt
** and er_kt. start is lim_phys_dev_rates() at the start's bias (the step
** before's end: it saves two exp()), or NULL to compute it. Exact for such
** a bias: E_f and E_r are then linear in time between the kinks where a
** clamp switches (the step is split there), and exp(-E/kT) of a linear E
** integrates in closed form. A constant bias gives the end's rates with
** half their derivatives. */
void lim_phys_dev_rates_step(const lim_phys_dev *d, double temp_c, const lim_phys_rates *start,
                             double v_ab0_v, double v_c0_v, double v_ab1_v, double v_c1_v,
                             lim_phys_rates *end, lim_phys_rates *mean);

/* The longest time step [s] over which a barrier that bends (d^2E/dt^2,
** bend_kt_per_s2 [kT/s^2] in E_f or E_r) errs by at most the fraction
** rel_err of the step's change of w, when the step takes the barrier as
** linear in time (lim_phys_dev_rates_step): the bend shifts the rate integral
** by about bend dt^2 / 12. A step whose change is below dw_floor (k_per_s
** = Rf + Rr, dist = |w_eq - w|) may be longer, its error staying under
** rel_err * dw_floor. HUGE_VAL when nothing bends or the state rests. */
double lim_phys_dev_step_max(double bend_kt_per_s2, double k_per_s, double dist,
                             double rel_err, double dw_floor);

/* Conductance G(w) [S]. */
double lim_phys_dev_conductance(const lim_phys_dev *d, double w);

/* Exact update of dw/dt = (1-w) Rf - w Rr over dt with rates held fixed:
** w1 = w_eq + (w0 - w_eq) exp(-k dt), written so that k = 0 and k dt
** below 1e-16 stay exact. dw1_drf and dw1_drr are its derivatives. */
void lim_phys_dev_advance(double rf, double rr, double w0, double dt_s,
                          double *w1, double *dw1_drf, double *dw1_drr);

/* Paper barrier E0 at tilt x = dE_dev/kT -> device barrier E_B [eV]
** (E_B = E0 + kT ln[(e^(lambda x) + e^(-(1-lambda) x))/2]) and the control
** voltage that sets it (V_c = (e_b0 - E_B)/kappa). */
double lim_phys_dev_eb_for_e0(const lim_phys_dev *d, double e0_ev, double tilt_kt,
                              double kt_ev);
lim_phys_status lim_phys_dev_vc_for_eb(const lim_phys_dev *d, double e_b_ev, double *v_c);

/* Device-to-device variability: d's e_b0, kappa, g_min, g_max and r_max
** each scaled by (1 + sigma N(0,1)) with normal deviates from the stream
** (key, counters 0..9), kept physical (values >= 0, r_max > 0, g_min <=
** g_max, e_min <= e_b0). A card without spreads is returned unchanged. */
void lim_phys_dev_vary(lim_phys_dev *d, uint64_t key);

/* Inverse: the paper's E0 = -kT ln(R0_eff/Rmax) of the device at a bias. */
double lim_phys_dev_e0_ev(const lim_phys_rates *r, double r_max);

/* ---------------------------------------------------------------------
** Random streams
** ------------------------------------------------------------------- */

/* 64 well-mixed bits for (key, counter); the same pair, the same bits. */
uint64_t lim_phys_rng_hash(uint64_t key, uint64_t counter);

/* A uniform number in [0, 1) from (key, counter). */
double lim_phys_rng_uniform(uint64_t key, uint64_t counter);

/* A Binomial(n, p) draw from one uniform u in [0, 1): exact inversion of
** the distribution, searched outward from its mode, so the cost grows as
** sqrt(n p (1 - p)) and a retried time step redraws the same count from
** the same u. n >= 0 whole, p in [0, 1]. */
double lim_phys_binomial(double n, double p, double u);

#endif
