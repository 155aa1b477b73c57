/*
** fit.h - lim_synapse parameters from measured relaxation rates (GSL).
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_FIT_H
#define LIMSPICE_FIT_H

#include <stddef.h>

#include "phys.h"

/* One measured condition: temperature, control and bias voltage, and the
** relaxation rate Rf + Rr (one over the state's time constant there). */
typedef struct { double temp_k, v_ctl, v_ab, rate_per_s; int line; } fit_point;

enum { FIT_R_MAX, FIT_E_B0, FIT_KAPPA, FIT_Z, FIT_LAMBDA, FIT_NPARAM };

typedef struct {
	phys_dev dev;                  /* fitted values, the rest at the start card's */
	int fitted[FIT_NPARAM];        /* 1: fitted; 0: fixed (the data cannot tell) */
	double value[FIT_NPARAM], stderr_[FIT_NPARAM];
	const char *why_fixed[FIT_NPARAM];
	double rms_ln;                 /* rms residual of ln(rate) */
	double chisq;
	int dof, iterations;
} fit_result;

/* Fits the identifiable parameters to pts (ln rate residuals), starting
** from start. Standard errors from the covariance scaled by the residual
** variance. 0, or -1 with the reason in err. */
int fit_rates(const fit_point *pts, int n, const phys_dev *start, fit_result *r,
              char *err, size_t en);

/* One later read of a relaxation trace: its condition (temperature; no
** bias), the time since the trace's first read, the first read and this. */
typedef struct { double temp_k, t_s, g0, g; } fit_trace_point;

#define FIT_MAX_TEMPS 32

typedef struct {
	double g_mid, g_mid_se;        /* where every trace relaxes to [S] */
	int ntemp;
	double temp_k[FIT_MAX_TEMPS], k[FIT_MAX_TEMPS], k_se[FIT_MAX_TEMPS];  /* Rf + Rr [1/s] */
	int count[FIT_MAX_TEMPS];
	double drift[FIT_MAX_TEMPS], model_drift[FIT_MAX_TEMPS];   /* mean G - G0 [S] */
	double drift_rms_model, drift_rms_constant;   /* [S] */
	double e_b0, e_b0_se, r_max, r_max_se;        /* Arrhenius of k = 2 R0 */
	double rms_resid;              /* [S] */
	int dof;
} fit_traces_result;

/* Relaxation at zero bias, G(t) = G_mid + (G0 - G_mid) exp(-k_T t): one
** G_mid for all traces and one k per temperature (least squares, GSL),
** then the Arrhenius line ln k = ln(2 r_max) - e_b0/kT weighted by the
** rates' standard errors. 0, or -1 with the reason in err. */
int fit_traces(const fit_trace_point *p, int n, fit_traces_result *r, char *err, size_t en);

/* One pulse train: G_n = g_inf + (g0 - g_inf) exp(-n kt), n = 0, 1, ... */
typedef struct { double g_inf, g0, kt, g_inf_se, g0_se, kt_se, rms; int n; } fit_train;

typedef struct {
	fit_train up, down;          /* potentiating and depressing trains */
	double x;                    /* tilt z V / kT of a pulse (z from the start card) */
	double g_min, g_max;         /* from the two end points and w_eq(x) */
	double lambda, lambda_se;    /* from the ratio of the two rates */
	double e_b_ev;               /* barrier during the pulses (r_max from the card) */
} fit_pulses_result;

/* Fits both trains (GSL), then the device: the up train ends at
** g_min + (g_max - g_min) w_eq, the down train at ... (1 - w_eq), with
** w_eq = 1/(1 + e^-x); k_up / k_down = e^((2 lambda - 1) x); and
** k_up = r_max e^(-E_B/kT) (e^(lambda x) + e^(-(1-lambda) x)). */
int fit_pulses(const double *up, int nu, const double *down, int nd, double amp_v,
               double width_s, double temp_k, const phys_dev *start, fit_pulses_result *r,
               char *err, size_t en);

/* Names and units of the FIT_* parameters. */
const char *fit_param_name(int k);

#endif
