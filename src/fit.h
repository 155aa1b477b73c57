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

/* Names and units of the FIT_* parameters. */
const char *fit_param_name(int k);

#endif
