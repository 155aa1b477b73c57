/*
** fit.h - lim_synapse parameters from measured relaxation rates, retention
** traces and pulse trains (GSL). See LICENSE for copyright.
**
** Nothing here prints or exits: every fit returns a fit_status and, on
** failure, the reason in err (without the file name, which the caller
** adds). A fit never hands back a parameter outside the range of
** lim_phys_dev_params or with an infinite or nan standard error: that is a
** failure that names the parameter. A value within 3 standard errors (or
** 1e-6) of a closed end of its range is set to that end, and the result's
** note says so.
*/
#ifndef LIMSPICE_FIT_H
#define LIMSPICE_FIT_H

#include <stddef.h>

#include "phys.h"

typedef enum {
	FIT_OK = 0,
	FIT_EDATA,      /* too few data for the parameters (bad input) */
	FIT_EREADING,   /* one reading lies far off the fit of all others: see fit_worst */
	FIT_EFAIL       /* no result: no convergence, a parameter the data do not
	                ** determine, or one outside its physical range */
} fit_status;

/* The reading farthest from the fit: its index in the fit's input and its
** distance from the median residual in robust standard deviations (1.4826
** times the median absolute deviation of all residuals). */
typedef struct { int index; double z; } fit_worst;

/* A reading this many robust standard deviations off the fit of the others
** is refused (FIT_EREADING). Gaussian noise passes 6 once in 500 million
** readings; of the measured data in testbenches/data, the RRAM bake's
** worst read is at 11 and the ReRAM trains' worst pulse at 3.6 (t-fit
** holds them below 25). Looked for in fits of FIT_OUTLIER_MIN readings or
** more. */
#define FIT_OUTLIER_Z 50.0
#define FIT_OUTLIER_MIN 10

/* One measured condition: temperature, control and bias voltage, and the
** relaxation rate Rf + Rr (one over the state's time constant there). */
typedef struct { double temp_k, v_ctl, v_ab, rate_per_s; int line; } fit_point;

enum { FIT_R_MAX, FIT_E_B0, FIT_KAPPA, FIT_Z, FIT_LAMBDA, FIT_NPARAM };

typedef struct {
	lim_phys_dev dev;                  /* fitted values, the rest at the start card's */
	int fitted[FIT_NPARAM];        /* 1: fitted; 0: fixed (the data cannot tell) */
	double value[FIT_NPARAM], stderr_[FIT_NPARAM];
	const char *why_fixed[FIT_NPARAM];
	double rms_ln;                 /* rms residual of ln(rate) */
	double chisq;
	int dof, iterations;
	fit_worst worst;               /* index into the points */
	char note[256];                /* values set to the end of their range, or "" */
} fit_result;

/* Fits the identifiable parameters to pts (ln rate residuals), starting
** from start. Standard errors from the covariance scaled by the residual
** variance. FIT_EDATA: no more points than parameters; FIT_EFAIL: no more
** distinct conditions than parameters, no convergence, or a parameter
** undetermined or out of range; FIT_EREADING: r->worst is the point. */
fit_status fit_rates(const fit_point *pts, int n, const lim_phys_dev *start, fit_result *r,
                     char *err, size_t en);

/* One later read of a relaxation trace: its condition (temperature; no
** bias), the time since the trace's first read, the first read and this;
** the file lines of this read and of the trace's first read. */
typedef struct { double temp_k, t_s, g0, g; int line, line0; } fit_trace_point;

#define FIT_MAX_TEMPS 32

typedef struct {
	double g_mid, g_mid_se;        /* where every trace relaxes to [S] */
	int ntemp;
	double temp_k[FIT_MAX_TEMPS];
	double k[FIT_MAX_TEMPS], k_se[FIT_MAX_TEMPS];   /* each temperature's own Rf + Rr [1/s] */
	int resolved[FIT_MAX_TEMPS];   /* 1: k_se below k/2; 0: the reads do not resolve k */
	int count[FIT_MAX_TEMPS];
	double drift[FIT_MAX_TEMPS], model_drift[FIT_MAX_TEMPS];   /* mean G - G0 [S] */
	double drift_rms_model, drift_rms_constant;   /* [S] */
	double e_b0, e_b0_se, r_max, r_max_se;        /* k = 2 r_max exp(-e_b0/kT) */
	double rms_resid;              /* [S] */
	int dof;
	fit_worst worst;               /* index into the points */
	char note[256];                /* values set to the end of their range, or "" */
} fit_traces_result;

/* Relaxation at zero bias, G(t) = G_mid + (G0 - G_mid) exp(-k_T t). First
** one G_mid and one k_T per temperature (the rates the README reports and
** plots, and the start), then G_mid, e_b0 and r_max from all reads at once
** with k_T = 2 r_max exp(-e_b0/kT) (least squares, GSL): a temperature
** whose reads do not resolve its rate still counts, for what it shows.
** FIT_EDATA: fewer than two temperatures or too few reads; FIT_EFAIL: more
** than FIT_MAX_TEMPS temperatures, rates resolved at fewer than two, no
** convergence, or a result undetermined or out of range; FIT_EREADING:
** r->worst is the read. */
fit_status fit_traces(const fit_trace_point *p, int n, fit_traces_result *r, char *err,
                      size_t en);

/* One pulse train: G_n = g_inf + (g0 - g_inf) exp(-n kt), n = 0, 1, ...
** resolved: kt is at least twice its standard error (else the train shows
** no approach to an end point, and neither kt nor g_inf is known). */
typedef struct {
	double g_inf, g0, kt, g_inf_se, g0_se, kt_se, rms;
	int n, resolved;
	fit_worst worst;             /* index: the pulse */
} fit_train;

typedef struct {
	fit_train up, down;          /* potentiating and depressing trains */
	double x;                    /* tilt z V / kT of a pulse (z from the start card) */
	double g_min, g_max;         /* from the two end points and w_eq(x) */
	double lambda, lambda_se;    /* from the ratio of the two rates */
	double e_b_ev;               /* barrier during the pulses (r_max from the card) */
	/* "" when derived from the data; else why the value is the start
	** card's (g_min, g_max, lambda) or is not known (e_b_ev: NAN) */
	char span_why[160], lambda_why[160], e_b_why[160];
	int worst_up;                /* with FIT_EREADING: 1 the up train, 0 the down */
	char note[256];              /* lambda set to the end of its range, or "" */
} fit_pulses_result;

/* Fits both trains (GSL), then the device: the up train ends at
** g_min + (g_max - g_min) w_eq, the down train at ... (1 - w_eq), with
** w_eq = 1/(1 + e^-x); k_up / k_down = e^((2 lambda - 1) x); and
** k_up = r_max e^(-E_B/kT) (e^(lambda x) + e^(-(1-lambda) x)) for a pulse
** of width_s. What an unresolved train leaves unknown is the start card's,
** with the reason. FIT_EDATA: a train of fewer than 5 pulses; FIT_EFAIL:
** no convergence, an infinite or nan standard error, lambda outside
** [0, 1] or a negative barrier; FIT_EREADING: see worst_up and the
** train's worst. */
fit_status fit_pulses(const double *up, int nu, const double *down, int nd, double amp_v,
                      double width_s, double temp_k, const lim_phys_dev *start,
                      fit_pulses_result *r, char *err, size_t en);

/* Names and units of the FIT_* parameters. */
const char *fit_param_name(int k);

#endif
