/*
** fit.c - nonlinear least squares of ln(Rf + Rr) with GSL's trust-region
** solver. See LICENSE for copyright.
**
** The model is the physics core's own device (phys_dev_rates), so a fitted
** card means in the code model what it meant in the fit. r_max is fitted as
** its logarithm: rates span tens of decades.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

#include "fit.h"

static const char *const names[FIT_NPARAM] = {"r_max", "e_b0", "kappa", "z", "lambda"};

const char *fit_param_name(int k) { return names[k]; }

typedef struct {
	const fit_point *pts;
	int n;
	phys_dev base;
	int idx[FIT_NPARAM];           /* position in the vector, -1 when fixed */
} problem;

static void device_of(const problem *p, const gsl_vector *x, phys_dev *d)
{
	*d = p->base;
	if (p->idx[FIT_R_MAX] >= 0) d->r_max = exp(gsl_vector_get(x, p->idx[FIT_R_MAX]));
	if (p->idx[FIT_E_B0] >= 0) d->e_b0 = gsl_vector_get(x, p->idx[FIT_E_B0]);
	if (p->idx[FIT_KAPPA] >= 0) d->kappa = gsl_vector_get(x, p->idx[FIT_KAPPA]);
	if (p->idx[FIT_Z] >= 0) d->z = gsl_vector_get(x, p->idx[FIT_Z]);
	if (p->idx[FIT_LAMBDA] >= 0) d->lambda = gsl_vector_get(x, p->idx[FIT_LAMBDA]);
	d->e_min = 0;                      /* the control's floor is not in the data */
}

static int residuals(const gsl_vector *x, void *data, gsl_vector *f)
{
	const problem *p = data;
	phys_dev d;
	int i;

	device_of(p, x, &d);
	for (i = 0; i < p->n; i++) {
		phys_rates r;
		phys_dev_rates(&d, p->pts[i].temp_k - PHYS_ZERO_C_IN_K, p->pts[i].v_ab,
		               p->pts[i].v_ctl, &r);
		gsl_vector_set(f, (size_t)i, log(r.rf + r.rr) - log(p->pts[i].rate_per_s));
	}
	return GSL_SUCCESS;
}

/* How many distinct values the field at byte offset off takes; lo and hi
** get its range. */
static int distinct(const fit_point *pts, int n, size_t off, double *lo, double *hi)
{
	int i, j, k = 0;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < n; i++) {
		double v = *(const double *)((const char *)&pts[i] + off);
		for (j = 0; j < i; j++)
			if (fabs(*(const double *)((const char *)&pts[j] + off) - v) <= 1e-12 * fmax(1, fabs(v)))
				break;
		k += j == i;
		*lo = fmin(*lo, v);
		*hi = fmax(*hi, v);
	}
	return k;
}

int fit_rates(const fit_point *pts, int n, const phys_dev *start, fit_result *r,
              char *err, size_t en)
{
	problem p = {pts, n, *start, {0}};
	double lo, hi, x0[FIT_NPARAM];
	int k, np = 0, info, status, i;
	int temps = distinct(pts, n, offsetof(fit_point, temp_k), &lo, &hi);
	int vcs = distinct(pts, n, offsetof(fit_point, v_ctl), &lo, &hi);
	int vabs = distinct(pts, n, offsetof(fit_point, v_ab), &lo, &hi);
	int both_signs = lo < 0 && hi > 0;
	gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_workspace *w;
	gsl_multifit_nlinear_fdf fdf;
	gsl_vector_view xv;
	gsl_matrix *cov;

	memset(r, 0, sizeof *r);
	/* What the data can tell apart: r_max needs two temperatures (else only
	** e_b0 - kT ln r_max is seen); kappa a control sweep; z a bias sweep;
	** lambda biases of both signs. */
	r->why_fixed[FIT_R_MAX] = temps < 2 ? "one temperature only" : NULL;
	r->why_fixed[FIT_E_B0] = NULL;
	r->why_fixed[FIT_KAPPA] = vcs < 2 ? "one control voltage only" : NULL;
	r->why_fixed[FIT_Z] = vabs < 2 ? "one bias voltage only" : NULL;
	r->why_fixed[FIT_LAMBDA] = vabs < 3 || !both_signs ? "needs biases of both signs" : NULL;
	x0[FIT_R_MAX] = log(start->r_max);
	x0[FIT_E_B0] = start->e_b0;
	x0[FIT_KAPPA] = start->kappa;
	x0[FIT_Z] = start->z;
	x0[FIT_LAMBDA] = start->lambda;
	for (k = 0; k < FIT_NPARAM; k++) {
		p.idx[k] = r->why_fixed[k] ? -1 : np;
		r->fitted[k] = !r->why_fixed[k];
		np += r->fitted[k];
	}
	if (n <= np) {
		snprintf(err, en, "%d points for %d parameters: expected more points than parameters",
		         n, np);
		return -1;
	}
	{
		double xs[FIT_NPARAM];
		for (k = 0, i = 0; k < FIT_NPARAM; k++)
			if (r->fitted[k])
				xs[i++] = x0[k];
		xv = gsl_vector_view_array(xs, (size_t)np);
		fdf.f = residuals;
		fdf.df = NULL;                 /* finite differences of the exact model */
		fdf.fvv = NULL;
		fdf.n = (size_t)n;
		fdf.p = (size_t)np;
		fdf.params = &p;
		w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, (size_t)n, (size_t)np);
		cov = gsl_matrix_alloc((size_t)np, (size_t)np);
		if (!w || !cov) {
			snprintf(err, en, "out of memory");
			return -1;
		}
		gsl_multifit_nlinear_init(&xv.vector, &fdf, w);
		status = gsl_multifit_nlinear_driver(500, 1e-12, 1e-12, 1e-12, NULL, NULL, &info, w);
		gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, cov);
		gsl_blas_ddot(gsl_multifit_nlinear_residual(w), gsl_multifit_nlinear_residual(w),
		              &r->chisq);
		r->dof = n - np;
		r->rms_ln = sqrt(r->chisq / n);
		r->iterations = (int)gsl_multifit_nlinear_niter(w);
		device_of(&p, gsl_multifit_nlinear_position(w), &r->dev);
		r->dev.e_min = start->e_min;
		for (k = 0; k < FIT_NPARAM; k++) {
			double se = 0;
			if (r->fitted[k])
				se = sqrt(r->chisq / r->dof * gsl_matrix_get(cov, (size_t)p.idx[k],
				                                             (size_t)p.idx[k]));
			r->stderr_[k] = se;
		}
		r->value[FIT_R_MAX] = r->dev.r_max;
		r->stderr_[FIT_R_MAX] *= r->dev.r_max;   /* from ln r_max to r_max */
		r->value[FIT_E_B0] = r->dev.e_b0;
		r->value[FIT_KAPPA] = r->dev.kappa;
		r->value[FIT_Z] = r->dev.z;
		r->value[FIT_LAMBDA] = r->dev.lambda;
		gsl_multifit_nlinear_free(w);
		gsl_matrix_free(cov);
	}
	if (status != GSL_SUCCESS) {
		snprintf(err, en, "the fit did not converge: %s", gsl_strerror(status));
		return -1;
	}
	return 0;
}
