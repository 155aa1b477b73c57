/*
** fit.c - nonlinear least squares of ln(Rf + Rr) with GSL's trust-region
** solver. See LICENSE for copyright.
**
** The model is the physics core's own device (lim_phys_dev_rates), so a fitted
** card means in the code model what it meant in the fit. r_max is fitted as
** its logarithm: rates span tens of decades.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_machine.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

#include "fit.h"

static const char *const names[FIT_NPARAM] = {"r_max", "e_b0", "kappa", "z", "lambda"};

const char *fit_param_name(int k) { return names[k]; }

/* ---------------------------------------------------------------------
** The solver and what its result is worth
** ------------------------------------------------------------------- */

/* The covariance (np x np, row-major) of the parameters from the Jacobian
** J at the optimum, scaled by the residual variance s2: (J^T J)^-1 s2,
** through the SVD of J with its columns scaled to unit length. A direction
** whose singular value is below the accuracy of a finite-difference
** Jacobian (sqrt(eps) of the largest) is one the data do not determine:
** every parameter with a part in it gets an infinite variance (GSL's own
** covariance would report zero for it). 0, or -1 out of memory. */
static int covariance(const gsl_matrix *J, double s2, double *cov)
{
	size_t n = J->size1, p = J->size2, i, j, k;
	gsl_matrix *a = gsl_matrix_alloc(n, p), *v = gsl_matrix_alloc(p, p);
	gsl_vector *s = gsl_vector_alloc(p), *work = gsl_vector_alloc(p);
	gsl_vector *d = gsl_vector_alloc(p), *open = gsl_vector_calloc(p);
	double tol;
	int rc = -1;

	if (!a || !v || !s || !work || !d || !open)
		goto done;
	gsl_matrix_memcpy(a, J);
	for (j = 0; j < p; j++) {
		gsl_vector_view c = gsl_matrix_column(a, j);
		double nj = gsl_blas_dnrm2(&c.vector);
		if (nj > 0 && isfinite(nj)) {
			gsl_vector_scale(&c.vector, 1 / nj);
		} else {   /* the model does not change with it (or overflows) */
			gsl_vector_set_zero(&c.vector);
			gsl_vector_set(open, j, 1);
			nj = 1;
		}
		gsl_vector_set(d, j, nj);
	}
	gsl_linalg_SV_decomp(a, v, s, work);
	tol = GSL_SQRT_DBL_EPSILON * gsl_vector_get(s, 0);
	for (k = 0; k < p; k++)
		if (!(gsl_vector_get(s, k) > tol))
			for (j = 0; j < p; j++)
				if (fabs(gsl_matrix_get(v, j, k)) > 1e-6)
					gsl_vector_set(open, j, 1);
	for (i = 0; i < p; i++)
		for (j = 0; j < p; j++) {
			double c = 0;
			for (k = 0; k < p; k++)
				if (gsl_vector_get(s, k) > tol)
					c += gsl_matrix_get(v, i, k) * gsl_matrix_get(v, j, k) /
					     (gsl_vector_get(s, k) * gsl_vector_get(s, k));
			c *= s2 / (gsl_vector_get(d, i) * gsl_vector_get(d, j));
			if (gsl_vector_get(open, i) || gsl_vector_get(open, j))
				c = i == j ? INFINITY : NAN;
			cov[i * p + j] = c;
		}
	rc = 0;
done:
	gsl_matrix_free(a);
	gsl_matrix_free(v);
	gsl_vector_free(s);
	gsl_vector_free(work);
	gsl_vector_free(d);
	gsl_vector_free(open);
	return rc;
}

typedef int (*residual_fn)(const gsl_vector *x, void *params, gsl_vector *f);

/* A residual function with one reading left out (its residual 0). */
typedef struct { residual_fn f; void *params; int skip; } leave_out;

static int left_out(const gsl_vector *x, void *data, gsl_vector *f)
{
	const leave_out *lo = data;
	int rc = lo->f(x, lo->params, f);

	if (lo->skip >= 0)
		gsl_vector_set(f, (size_t)lo->skip, 0);
	return rc;
}

/* The Jacobian of f at x by central differences, each step cbrt(eps)
** times max(|x_j|, 1). GSL's own forward steps scale with |x_j|: for a
** parameter at 0 (lambda = 0, kappa = 0) they vanish, and its column would
** hold rounding only and look undetermined. 0, or -1 out of memory. */
static int jacobian(residual_fn f, void *params, const double *x, gsl_matrix *J)
{
	size_t n = J->size1, np = J->size2, j, i;
	gsl_vector *xv = gsl_vector_alloc(np), *fp = gsl_vector_alloc(n), *fm = gsl_vector_alloc(n);
	int rc = -1;

	if (xv && fp && fm) {
		for (j = 0; j < np; j++) {
			double h = cbrt(GSL_DBL_EPSILON) * fmax(fabs(x[j]), 1);
			for (i = 0; i < np; i++)
				gsl_vector_set(xv, i, x[i]);
			gsl_vector_set(xv, j, x[j] + h);
			f(xv, params, fp);
			gsl_vector_set(xv, j, x[j] - h);
			f(xv, params, fm);
			for (i = 0; i < n; i++)
				gsl_matrix_set(J, i, j, (gsl_vector_get(fp, i) - gsl_vector_get(fm, i)) /
				               (2 * h));
		}
		rc = 0;
	}
	gsl_vector_free(xv);
	gsl_vector_free(fp);
	gsl_vector_free(fm);
	return rc;
}

/* One nonlinear least-squares solve with GSL's trust-region method and
** finite-difference Jacobian, reading skip (-1: none) left out: x (np
** values) in, the optimum out; cov gets the covariance (covariance() of
** jacobian() there) scaled by the residual variance chisq / (n - np); res (n values, or
** NULL) the residuals there. The one place the solver is set up, for every
** kind of fit. FIT_OK, or FIT_EFAIL with err. */
static fit_status solve(residual_fn f, void *params, int skip, int n, int np, double *x,
                        double *cov, double *res, double *chisq, char *err, size_t en)
{
	gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_workspace *w;
	gsl_multifit_nlinear_fdf fdf;
	gsl_vector_view xv = gsl_vector_view_array(x, (size_t)np);
	leave_out lo = {f, params, skip};
	gsl_vector *r;
	gsl_matrix *J = gsl_matrix_alloc((size_t)n, (size_t)np);
	int info = 0, status, i;

	fdf.f = left_out;
	fdf.df = NULL;                     /* finite differences of the exact model */
	fdf.fvv = NULL;
	fdf.n = (size_t)n;
	fdf.p = (size_t)np;
	fdf.params = &lo;
	w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, (size_t)n, (size_t)np);
	if (!w || !J) {
		if (w)
			gsl_multifit_nlinear_free(w);
		gsl_matrix_free(J);
		snprintf(err, en, "out of memory");
		return FIT_EFAIL;
	}
	gsl_multifit_nlinear_init(&xv.vector, &fdf, w);
	status = gsl_multifit_nlinear_driver(500, 1e-12, 0, 1e-12, NULL, NULL, &info, w);
	/* GSL 2.7 reports a first iteration in which no trial step, however
	** short, lowered the cost as "exceeded max number of iterations" with
	** info GSL_ENOPROG: the start is a minimum already. Noise-free data do
	** that (limspice characterize): their start estimates are exact. */
	if (status == GSL_EMAXITER && info == GSL_ENOPROG && gsl_multifit_nlinear_niter(w) <= 1)
		status = GSL_SUCCESS;
	r = gsl_multifit_nlinear_residual(w);
	gsl_blas_ddot(r, r, chisq);
	for (i = 0; i < np; i++)
		x[i] = gsl_vector_get(gsl_multifit_nlinear_position(w), (size_t)i);
	for (i = 0; res && i < n; i++)
		res[i] = gsl_vector_get(r, (size_t)i);
	gsl_multifit_nlinear_free(w);
	if (status == GSL_SUCCESS && (jacobian(left_out, &lo, x, J) != 0 ||
	                              covariance(J, *chisq / (n > np ? n - np : 1), cov) != 0)) {
		gsl_matrix_free(J);
		snprintf(err, en, "out of memory");
		return FIT_EFAIL;
	}
	gsl_matrix_free(J);
	if (status != GSL_SUCCESS) {
		snprintf(err, en, "the fit did not converge: %s", gsl_strerror(status));
		return FIT_EFAIL;
	}
	return FIT_OK;
}

/* How far res[i] lies from the median of res (n values), in robust
** standard deviations: 1.4826 times the median absolute deviation, but at
** least floor (noise-free data scatter by the rounding of their printed
** digits only). -1 out of memory. */
static double robust_z(const double *res, int n, int i, double floor)
{
	double *tmp = malloc(2 * (size_t)n * sizeof *tmp), med, sd;

	if (!tmp)
		return -1;
	memcpy(tmp, res, (size_t)n * sizeof *tmp);
	sd = fmax(gsl_stats_mad(tmp, 1, (size_t)n, tmp + n), floor);
	med = gsl_stats_median(tmp, 1, (size_t)n);
	free(tmp);
	return fabs(res[i] - med) / sd;
}

/* The reading farthest off the fit of the others (index -1 below
** FIT_OUTLIER_MIN readings). Candidates: the largest residual res of the
** fit of all, and also (-1: none), a reading the model can absorb into a
** parameter of its own (a train's first pulse). Each is left out, the rest
** fitted again from the fit's start x0 (not from its optimum, which the
** reading may have dragged where the model no longer moves), and its
** residual there measured against the refit's (robust_z): a single wild
** reading cannot hide by pulling the fit of all towards itself. dres (n)
** gets the worst one's refit residuals. */
static fit_worst worst_reading(residual_fn f, void *params, int n, int np, const double *x0,
                               const double *res, int also, double floor, double *dres)
{
	fit_worst wr = {-1, 0};
	double xc[3 + FIT_NPARAM], cov[(3 + FIT_NPARAM) * (3 + FIT_NPARAM)], chisq, *r;
	char err[128];
	int cand[2] = {0, also}, k, i;

	if (n < FIT_OUTLIER_MIN || np > 3 + FIT_NPARAM || !(r = malloc((size_t)n * sizeof *r)))
		return wr;
	for (i = 1; i < n; i++)
		if (fabs(res[i]) > fabs(res[cand[0]]))
			cand[0] = i;
	for (k = 0; k < 2; k++) {
		gsl_vector_view v = gsl_vector_view_array(xc, (size_t)np);
		gsl_vector_view fv = gsl_vector_view_array(r, (size_t)n);
		double z;
		if (cand[k] < 0 || (k == 1 && cand[1] == cand[0]))
			continue;
		memcpy(xc, x0, (size_t)np * sizeof *xc);
		if (solve(f, params, cand[k], n, np, xc, cov, NULL, &chisq, err, sizeof err) != FIT_OK)
			continue;   /* no verdict on this one */
		f(&v.vector, params, &fv.vector);
		if ((z = robust_z(r, n, cand[k], floor)) > wr.z) {
			wr.z = z;
			wr.index = cand[k];
			memcpy(dres, r, (size_t)n * sizeof *r);
		}
	}
	free(r);
	return wr;
}

/* A fitted card parameter *v: FIT_OK, or FIT_EFAIL naming it, its value
** and what was wrong: an infinite or nan standard error (the data do not
** determine it), or a value outside its range in lim_phys_dev_params. A value
** beyond a closed end of the range by no more than 3 standard errors, or
** by 1e-6 in its unit (the solver's reach on noise-free data: lambda = 0
** came back as -3.7e-8), is consistent with it: *v becomes that end, and
** note (nn bytes, appended to) says so. kappa = 0 (a conventional memory)
** and lambda = 0 or 1 fit to either side of the end. */
static fit_status check_fitted(const char *name, double *v, double se, char *note, size_t nn,
                               char *err, size_t en)
{
	const lim_phys_param *p = lim_phys_dev_param(name);
	const char *unit = p && strcmp(p->unit, "1") ? p->unit : "";
	double end;
	lim_phys_dev d;
	char range[80], msg[256];

	if (!isfinite(se)) {
		snprintf(err, en, "the data do not determine %s = %g%s%s: its standard error is %g "
		         "(the fitted data do not change with it, or it trades off exactly against "
		         "another parameter): expected data that vary with it; no card", name, *v,
		         *unit ? " " : "", unit, se);
		return FIT_EFAIL;
	}
	if (!p)
		return FIT_OK;
	lim_phys_dev_default(&d);
	*lim_phys_dev_field(&d, p) = *v;
	if (isfinite(*v) && lim_phys_dev_check(&d, msg, sizeof msg) == LIM_PHYS_OK)
		return FIT_OK;
	lim_phys_param_range(p, range, sizeof range);
	end = *v < p->min ? p->min : p->max;
	if (isfinite(end) && !(end == p->min ? p->min_open : p->max_open) &&
	    fabs(*v - end) <= fmax(3 * se, 1e-6 * fmax(1, fabs(end)))) {
		snprintf(note + strlen(note), nn - strlen(note), "%s%s = %g%s%s (+- %.3g) lies %.2g "
		         "outside its range %s, within 3 standard errors or 1e-6: set to %g",
		         *note ? "; " : "", name, *v, *unit ? " " : "", unit, se, fabs(*v - end), range,
		         end);
		*v = end;
		return FIT_OK;
	}
	snprintf(err, en, "the fitted %s = %g%s%s (+- %.3g): expected a value in %s; no card",
	         name, *v, *unit ? " " : "", unit, se, range);
	return FIT_EFAIL;
}

/* ---------------------------------------------------------------------
** Relaxation rates
** ------------------------------------------------------------------- */

typedef struct {
	const fit_point *pts;
	int n;
	lim_phys_dev base;
	int idx[FIT_NPARAM];           /* position in the vector, -1 when fixed */
} problem;

static void device_of(const problem *p, const gsl_vector *x, lim_phys_dev *d)
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
	lim_phys_dev d;
	int i;

	device_of(p, x, &d);
	for (i = 0; i < p->n; i++) {
		lim_phys_rates r;
		lim_phys_dev_rates(&d, p->pts[i].temp_k - LIM_PHYS_ZERO_C_IN_K, p->pts[i].v_ab,
		                   p->pts[i].v_ctl, &r);
		gsl_vector_set(f, (size_t)i, log(r.rf + r.rr) - log(p->pts[i].rate_per_s));
	}
	return GSL_SUCCESS;
}

static int same(double a, double b) { return fabs(a - b) <= 1e-12 * fmax(1, fabs(b)); }

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
			if (same(*(const double *)((const char *)&pts[j] + off), v))
				break;
		k += j == i;
		*lo = fmin(*lo, v);
		*hi = fmax(*hi, v);
	}
	return k;
}

/* How many distinct conditions (temperature, control, bias) pts hold. */
static int conditions(const fit_point *pts, int n)
{
	int i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (same(pts[j].temp_k, pts[i].temp_k) && same(pts[j].v_ctl, pts[i].v_ctl) &&
			    same(pts[j].v_ab, pts[i].v_ab))
				break;
		k += j == i;
	}
	return k;
}

fit_status fit_rates(const fit_point *pts, int n, const lim_phys_dev *start, fit_result *r,
                     char *err, size_t en)
{
	problem p = {pts, n, *start, {0}};
	double lo, hi, x0[FIT_NPARAM], xs[FIT_NPARAM], xs0[FIT_NPARAM], *res;
	double cov[FIT_NPARAM * FIT_NPARAM];
	int k, np = 0, i, conds = conditions(pts, n);
	int temps = distinct(pts, n, offsetof(fit_point, temp_k), &lo, &hi);
	int vcs = distinct(pts, n, offsetof(fit_point, v_ctl), &lo, &hi);
	int vabs = distinct(pts, n, offsetof(fit_point, v_ab), &lo, &hi);
	int both_signs = lo < 0 && hi > 0;
	fit_status st;
	gsl_vector_view v;

	memset(r, 0, sizeof *r);
	r->worst.index = -1;
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
		return FIT_EDATA;
	}
	if (conds <= np) {   /* repeated rows: no scatter left to give an error */
		char fitted[64] = "", fixed[256] = "";
		for (k = 0; k < FIT_NPARAM; k++)
			if (r->fitted[k])
				snprintf(fitted + strlen(fitted), sizeof fitted - strlen(fitted), "%s%s",
				         *fitted ? ", " : "", names[k]);
			else
				snprintf(fixed + strlen(fixed), sizeof fixed - strlen(fixed), "%s%s (%s)",
				         *fixed ? ", " : "", names[k], r->why_fixed[k]);
		snprintf(err, en, "the %d rows hold %d distinct condition%s (temperature, v_ctl, "
		         "v_ab): they cannot determine %s with an error, nor %s: expected more "
		         "distinct conditions than the %d parameter%s fitted; no card", n, conds,
		         conds == 1 ? "" : "s", fitted, *fixed ? fixed : "anything else", np,
		         np == 1 ? "" : "s");
		return FIT_EFAIL;
	}
	for (k = 0, i = 0; k < FIT_NPARAM; k++)
		if (r->fitted[k])
			xs[i++] = x0[k];
	if (!(res = malloc(2 * (size_t)n * sizeof *res))) {   /* the fit's, then the refit's */
		snprintf(err, en, "out of memory");
		return FIT_EFAIL;
	}
	memcpy(xs0, xs, sizeof xs);
	if ((st = solve(residuals, &p, -1, n, np, xs, cov, res, &r->chisq, err, en)) == FIT_OK)
		r->worst = worst_reading(residuals, &p, n, np, xs0, res, -1, 1e-9, res + n);
	if (st == FIT_OK && r->worst.z > FIT_OUTLIER_Z) {
		const fit_point *q = &pts[r->worst.index];
		snprintf(err, en, "rate %g /s at %g K, v_ctl %g V, v_ab %g V is %.3g robust standard "
		         "deviations off the fit of the other rows (ln rate %+.3g from it): expected a "
		         "rate consistent with them; no card", q->rate_per_s, q->temp_k, q->v_ctl,
		         q->v_ab, r->worst.z, -res[n + r->worst.index]);
		st = FIT_EREADING;
	}
	free(res);
	if (st != FIT_OK)
		return st;
	r->dof = n - np;
	r->rms_ln = sqrt(r->chisq / n);
	v = gsl_vector_view_array(xs, (size_t)np);
	device_of(&p, &v.vector, &r->dev);
	r->dev.e_min = start->e_min;
	for (k = 0; k < FIT_NPARAM; k++)
		r->stderr_[k] = r->fitted[k] ? sqrt(cov[p.idx[k] * np + p.idx[k]]) : 0;
	r->value[FIT_R_MAX] = r->dev.r_max;
	r->stderr_[FIT_R_MAX] *= r->dev.r_max;   /* from ln r_max to r_max */
	r->value[FIT_E_B0] = r->dev.e_b0;
	r->value[FIT_KAPPA] = r->dev.kappa;
	r->value[FIT_Z] = r->dev.z;
	r->value[FIT_LAMBDA] = r->dev.lambda;
	for (k = 0; k < FIT_NPARAM; k++) {
		if (!r->fitted[k])
			continue;
		if ((st = check_fitted(names[k], &r->value[k], r->stderr_[k], r->note,
		                       sizeof r->note, err, en)) != FIT_OK)
			return st;
		*lim_phys_dev_field(&r->dev, lim_phys_dev_param(names[k])) = r->value[k];
	}
	if (lim_phys_dev_check(&r->dev, err, en) != LIM_PHYS_OK)   /* e_min above the fitted e_b0 */
		return FIT_EFAIL;
	return FIT_OK;
}

/* ---------------------------------------------------------------------
** Relaxation traces
** ------------------------------------------------------------------- */

#define G_SCALE 1e-6                /* conductances fitted in uS */

/* x: G_mid [uS], then either ln k per temperature (per_temp) or ln k at
** 1/kT = inv_kt_ref and e_b0 [eV] (Arrhenius). */
typedef struct {
	const fit_trace_point *p;
	int n;
	const int *cond;                /* temperature index of each point */
	int per_temp;
	const double *inv_kt;           /* 1/kT of each temperature [1/eV] */
	double inv_kt_ref;
} traces;

static double trace_lnk(const traces *t, const gsl_vector *x, int c)
{
	if (t->per_temp)
		return gsl_vector_get(x, 1 + (size_t)c);
	return gsl_vector_get(x, 1) - gsl_vector_get(x, 2) * (t->inv_kt[c] - t->inv_kt_ref);
}

static int trace_residuals(const gsl_vector *x, void *data, gsl_vector *f)
{
	const traces *t = data;
	double gmid = gsl_vector_get(x, 0) * G_SCALE;
	int i;

	for (i = 0; i < t->n; i++) {
		const fit_trace_point *q = &t->p[i];
		double k = exp(trace_lnk(t, x, t->cond[i]));   /* t_s = 0 apart: inf times 0 */
		double model = q->t_s > 0 ? gmid + (q->g0 - gmid) * exp(-k * q->t_s) : q->g0;
		gsl_vector_set(f, (size_t)i, (q->g - model) / G_SCALE);
	}
	return GSL_SUCCESS;
}

/* The per-temperature fit: G_mid and one rate each; the Arrhenius start
** (x: G_mid, ln k at inv_kt_ref, e_b0) from the resolved rates. */
static fit_status traces_per_temp(traces *t, fit_traces_result *r, const double *tsum,
                                  double mean_g, double *x, char *err, size_t en)
{
	int np = 1 + r->ntemp, c, i, nres = 0;
	double *x0 = malloc((size_t)np * sizeof *x0), *cov = malloc((size_t)(np * np) * sizeof *cov);
	double xs[FIT_MAX_TEMPS], ys[FIT_MAX_TEMPS], ws[FIT_MAX_TEMPS], chisq;
	double c0, c1, c00, c01, c11, wchi;
	fit_status st = FIT_EFAIL;

	if (!x0 || !cov) {
		snprintf(err, en, "out of memory");
		goto done;
	}
	x0[0] = mean_g / G_SCALE;
	for (c = 0; c < r->ntemp; c++) {
		/* start: the fraction f of the way to G_mid that a least-squares line
		** of G - G0 against G_mid - G0 gives, clipped to (1e-6, 0.99) */
		double num = 0, den = 0, fr;
		for (i = 0; i < t->n; i++)
			if (t->cond[i] == c) {
				double a = x0[0] * G_SCALE - t->p[i].g0;
				num += (t->p[i].g - t->p[i].g0) * a;
				den += a * a;
			}
		fr = den > 0 ? fmin(0.99, fmax(1e-6, num / den)) : 0.1;
		x0[1 + c] = log(-log1p(-fr) / (tsum[c] / r->count[c]));
	}
	t->per_temp = 1;
	if ((st = solve(trace_residuals, t, -1, t->n, np, x0, cov, NULL, &chisq, err, en)) !=
	    FIT_OK)
		goto done;
	for (c = 0; c < r->ntemp; c++) {
		double lk = x0[1 + c], se = sqrt(cov[(1 + c) * np + 1 + c]);
		r->k[c] = exp(lk);
		r->k_se[c] = r->k[c] * se;
		r->resolved[c] = se < 0.5;   /* k_se < k/2: NAN and INFINITY are not */
		if (r->resolved[c]) {
			xs[nres] = t->inv_kt[c];
			ys[nres] = lk;
			ws[nres++] = 1 / fmax(se * se, 1e-24);   /* noise-free: se ~ 0 */
		}
	}
	if (nres < 2) {
		int m = snprintf(err, en, "the reads resolve a relaxation rate at %d of %d "
		                 "temperatures: expected two or more, to give e_b0 and r_max; ", nres,
		                 r->ntemp);
		for (c = 0; c < r->ntemp && m > 0 && (size_t)m < en; c++)
			m += snprintf(err + m, en - (size_t)m, "%s%g K: %.3g +- %.3g /s", c ? ", " : "",
			              r->temp_k[c], r->k[c], r->k_se[c]);
		st = FIT_EFAIL;
		goto done;
	}
	gsl_fit_wlinear(xs, 1, ws, 1, ys, 1, (size_t)nres, &c0, &c1, &c00, &c01, &c11, &wchi);
	x[0] = x0[0];
	x[1] = c0 + c1 * t->inv_kt_ref;
	x[2] = -c1;
	st = FIT_OK;
done:
	free(x0);
	free(cov);
	return st;
}

fit_status fit_traces(const fit_trace_point *p, int n, fit_traces_result *r, char *err,
                      size_t en)
{
	double mean_all = 0, tsum[FIT_MAX_TEMPS] = {0}, inv_kt[FIT_MAX_TEMPS], x[3], x0[3], cov[9];
	double chisq, gscale = 0, all = 0, sm = 0, sc = 0, lnr_se, *res = NULL, *dres = NULL;
	traces t = {p, n, NULL, 0, inv_kt, 0};
	int *cond = malloc((size_t)n * sizeof *cond), i, c;
	fit_status st = FIT_EFAIL;

	memset(r, 0, sizeof *r);
	r->worst.index = -1;
	if (!cond || !(res = malloc((size_t)n * sizeof *res))) {
		snprintf(err, en, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {   /* conditions: distinct temperatures */
		for (c = 0; c < r->ntemp && fabs(r->temp_k[c] - p[i].temp_k) > 0.01; c++)
			;
		if (c == r->ntemp) {
			if (r->ntemp == FIT_MAX_TEMPS) {
				snprintf(err, en, "more than %d temperatures", FIT_MAX_TEMPS);
				goto done;
			}
			r->temp_k[r->ntemp++] = p[i].temp_k;
		}
		cond[i] = c;
		r->count[c]++;
		r->drift[c] += p[i].g - p[i].g0;
		tsum[c] += p[i].t_s;
		mean_all += p[i].g;
		gscale = fmax(gscale, fmax(fabs(p[i].g), fabs(p[i].g0)));
	}
	if (r->ntemp < 2 || n <= 1 + r->ntemp) {
		snprintf(err, en, "%d later reads at %d temperatures: expected two temperatures or "
		         "more and more reads than parameters", n, r->ntemp);
		st = FIT_EDATA;
		goto done;
	}
	t.cond = cond;
	for (c = 0; c < r->ntemp; c++) {
		inv_kt[c] = 1 / lim_phys_kt_ev(r->temp_k[c]);
		t.inv_kt_ref += inv_kt[c] * r->count[c] / n;   /* the reads' centre: e_b0 and */
	}                                                   /* ln k there hardly correlate */
	if ((st = traces_per_temp(&t, r, tsum, mean_all / n, x, err, en)) != FIT_OK)
		goto done;
	t.per_temp = 0;
	memcpy(x0, x, sizeof x);
	if ((st = solve(trace_residuals, &t, -1, n, 3, x, cov, res, &chisq, err, en)) != FIT_OK)
		goto done;
	if (!(dres = malloc((size_t)n * sizeof *dres))) {
		snprintf(err, en, "out of memory");
		st = FIT_EFAIL;
		goto done;
	}
	r->worst = worst_reading(trace_residuals, &t, n, 3, x0, res, -1, 1e-9 * gscale / G_SCALE,
	                         dres);
	if (r->worst.z > FIT_OUTLIER_Z) {
		const fit_trace_point *q = &p[r->worst.index];
		snprintf(err, en, "conductance %g S at %g s, %g K (the trace that starts at line %d "
		         "with %g S) is %.3g robust standard deviations off the fit of the other "
		         "reads (%+.3g S): expected a read consistent with them; no card", q->g, q->t_s,
		         q->temp_k, q->line0, q->g0, r->worst.z, dres[r->worst.index] * G_SCALE);
		st = FIT_EREADING;
		goto done;
	}
	r->dof = n - 3;
	r->rms_resid = sqrt(chisq / n) * G_SCALE;
	r->g_mid = x[0] * G_SCALE;
	r->g_mid_se = sqrt(cov[0]) * G_SCALE;
	r->e_b0 = x[2];
	r->e_b0_se = sqrt(cov[8]);
	/* ln(2 r_max) = ln k_ref + e_b0 / kT_ref */
	r->r_max = exp(x[1] + x[2] * t.inv_kt_ref) / 2;
	lnr_se = sqrt(cov[4] + t.inv_kt_ref * t.inv_kt_ref * cov[8] +
	              2 * t.inv_kt_ref * cov[5]);
	r->r_max_se = r->r_max * lnr_se;
	if ((st = check_fitted("e_b0", &r->e_b0, r->e_b0_se, r->note, sizeof r->note, err,
	                       en)) != FIT_OK ||
	    (st = check_fitted("r_max", &r->r_max, r->r_max_se, r->note, sizeof r->note, err,
	                       en)) != FIT_OK ||
	    (st = check_fitted("g_mid", &r->g_mid, r->g_mid_se, r->note, sizeof r->note, err,
	                       en)) != FIT_OK)
		goto done;
	if (!(r->g_mid >= 0)) {
		snprintf(err, en, "the fitted end point g_mid = %g S (+- %.3g) is below 0: expected "
		         "(g_min + g_max)/2 >= 0; no card", r->g_mid, r->g_mid_se);
		st = FIT_EFAIL;
		goto done;
	}
	/* mean drift per temperature: the model (the Arrhenius rates) against a
	** constant */
	for (c = 0; c < r->ntemp; c++)
		all += r->drift[c];
	all /= n;
	for (i = 0; i < n; i++)
		r->model_drift[cond[i]] += (r->g_mid - p[i].g0) *
		                           -expm1(-exp(x[1] - x[2] * (inv_kt[cond[i]] - t.inv_kt_ref)) *
		                                  p[i].t_s);
	for (c = 0; c < r->ntemp; c++) {
		r->drift[c] /= r->count[c];
		r->model_drift[c] /= r->count[c];
		sm += (r->drift[c] - r->model_drift[c]) * (r->drift[c] - r->model_drift[c]);
		sc += (r->drift[c] - all) * (r->drift[c] - all);
	}
	r->drift_rms_model = sqrt(sm / r->ntemp);
	r->drift_rms_constant = sqrt(sc / r->ntemp);
	st = FIT_OK;
done:
	free(cond);
	free(res);
	free(dres);
	return st;
}

/* ---------------------------------------------------------------------
** Pulse trains
** ------------------------------------------------------------------- */

typedef struct { const double *g; int n; } train_data;

static int train_residuals(const gsl_vector *x, void *data, gsl_vector *f)
{
	const train_data *t = data;
	double ginf = gsl_vector_get(x, 0), g0 = gsl_vector_get(x, 1);
	double kt = exp(gsl_vector_get(x, 2));
	int i;

	for (i = 0; i < t->n; i++)   /* i = 0 apart: inf times 0 is nan */
		gsl_vector_set(f, (size_t)i, t->g[i] - (i ? ginf + (g0 - ginf) * exp(-kt * i) : g0));
	return GSL_SUCCESS;
}

static fit_status fit_train_one(const double *g, int n, const char *which, fit_train *tr,
                                char *err, size_t en)
{
	train_data t = {g, n};
	double x[3], x0[3], cov[9], chisq, *res, *dres, gscale = 0;
	fit_status st;
	int i;

	if (n < 5) {
		snprintf(err, en, "a train of %d pulses: expected at least 5", n);
		return FIT_EDATA;
	}
	res = malloc((size_t)n * sizeof *res);
	dres = malloc((size_t)n * sizeof *dres);
	if (!res || !dres) {
		free(res);
		free(dres);
		snprintf(err, en, "out of memory");
		return FIT_EFAIL;
	}
	x[0] = g[n - 1];                   /* start: the last point, the first, 3/n */
	x[1] = g[0];
	x[2] = log(3.0 / n);
	for (i = 0; i < n; i++)
		gscale = fmax(gscale, fabs(g[i]));
	/* the first pulse has a parameter of its own (g0) to hide in */
	memcpy(x0, x, sizeof x);
	if ((st = solve(train_residuals, &t, -1, n, 3, x, cov, res, &chisq, err, en)) == FIT_OK)
		tr->worst = worst_reading(train_residuals, &t, n, 3, x0, res, 0, 1e-9 * gscale, dres);
	if (st == FIT_OK && tr->worst.z > FIT_OUTLIER_Z) {
		snprintf(err, en, "pulse %d of the %s train: %g is %.3g robust standard deviations "
		         "off the fit of the other pulses (%+.3g): expected a reading consistent with "
		         "them; no card", tr->worst.index + 1, which, g[tr->worst.index], tr->worst.z,
		         dres[tr->worst.index]);
		st = FIT_EREADING;
	}
	free(res);
	free(dres);
	if (st != FIT_OK)
		return st;
	tr->g_inf = x[0];
	tr->g0 = x[1];
	tr->kt = exp(x[2]);
	tr->g_inf_se = sqrt(cov[0]);
	tr->g0_se = sqrt(cov[4]);
	tr->kt_se = tr->kt * sqrt(cov[8]);
	tr->rms = sqrt(chisq / n);
	tr->n = n;
	if (!isfinite(tr->kt) || !isfinite(tr->kt_se) || !isfinite(tr->g_inf_se) ||
	    !isfinite(tr->g0_se)) {
		snprintf(err, en, "the %s train does not determine its rate: k t = %g per pulse "
		         "(+- %g), end point %g (+- %g), start %g (+- %g): expected a train that "
		         "approaches its end point over several pulses; no card", which, tr->kt,
		         tr->kt_se, tr->g_inf, tr->g_inf_se, tr->g0, tr->g0_se);
		return FIT_EFAIL;
	}
	tr->resolved = tr->kt >= 2 * tr->kt_se;
	return FIT_OK;
}

fit_status fit_pulses(const double *up, int nu, const double *down, int nd, double amp_v,
                      double width_s, double temp_k, const lim_phys_dev *start,
                      fit_pulses_result *r, char *err, size_t en)
{
	double kt = lim_phys_kt_ev(temp_k), weq, dg, lam;
	const fit_train *tr;
	fit_status st;

	memset(r, 0, sizeof *r);
	r->worst_up = 1;
	if ((st = fit_train_one(up, nu, "up", &r->up, err, en)) != FIT_OK)
		return st;
	r->worst_up = 0;
	if ((st = fit_train_one(down, nd, "down", &r->down, err, en)) != FIT_OK)
		return st;
	r->x = start->z * amp_v / kt;
	weq = 1 / (1 + exp(-r->x));
	r->lambda = start->lambda;
	r->lambda_se = NAN;
	r->e_b_ev = NAN;
	if (!r->up.resolved || !r->down.resolved) {
		tr = r->up.resolved ? &r->down : &r->up;
		snprintf(r->span_why, sizeof r->span_why, "the %s train shows no approach to an "
		         "end point: k t = %.3g +- %.2g per pulse", tr == &r->up ? "up" : "down",
		         tr->kt, tr->kt_se);
		snprintf(r->lambda_why, sizeof r->lambda_why, "%s", r->span_why);
		r->g_min = start->g_min;
		r->g_max = start->g_max;
	} else {
		dg = (r->up.g_inf - r->down.g_inf) / (2 * weq - 1);
		r->g_min = r->down.g_inf - dg * (1 - weq);
		r->g_max = r->g_min + dg;
		r->lambda = (log(r->up.kt / r->down.kt) / r->x + 1) / 2;
		r->lambda_se = sqrt(pow(r->up.kt_se / r->up.kt, 2) +
		                    pow(r->down.kt_se / r->down.kt, 2)) / (2 * r->x);
		if ((st = check_fitted("lambda", &r->lambda, r->lambda_se, r->note, sizeof r->note,
		                       err, en)) != FIT_OK)
			return st;
	}
	/* the barrier from a resolved rate: k t = r_max t e^(-E_B/kT) times
	** (e^(lambda x) + e^(-(1-lambda) x)) up, the same with -x down */
	lam = r->lambda;
	if (r->up.resolved)
		r->e_b_ev = kt * log(start->r_max * width_s * (exp(lam * r->x) +
		                     exp(-(1 - lam) * r->x)) / r->up.kt);
	else if (r->down.resolved)
		r->e_b_ev = kt * log(start->r_max * width_s * (exp(-lam * r->x) +
		                     exp((1 - lam) * r->x)) / r->down.kt);
	else
		snprintf(r->e_b_why, sizeof r->e_b_why, "neither train shows an approach to an "
		         "end point");
	if (r->e_b_ev < 0) {
		snprintf(err, en, "the pulses relax faster than r_max = %g Hz allows at a zero "
		         "barrier (E_B = %.3g eV): expected a start card (--card) with a higher r_max; "
		         "no card", start->r_max, r->e_b_ev);
		return FIT_EFAIL;
	}
	return FIT_OK;
}
