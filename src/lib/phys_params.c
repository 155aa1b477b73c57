/*
** phys_params.c - the lim_synapse parameter table and card validation.
** See LICENSE for copyright.
**
** The one list of the device's parameters. models/lim_synapse/ifspec.ifs
** repeats names and defaults because cmpp needs them there; t-params checks
** the two agree.
*/
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "phys.h"

#define F(x) offsetof(lim_phys_dev, x)
#define INF HUGE_VAL

const lim_phys_param lim_phys_dev_params[] = {
	{"r_max", "Hz", 1e13, 0, INF, 1, 0, "attempt rate", F(r_max)},
	{"e_b0", "eV", 1.3, 0, INF, 0, 0,
	 "barrier with V_c = 0 (10.7 years at 27 C)", F(e_b0)},
	{"kappa", "eV/V", 0.5, 0, INF, 0, 0, "barrier lowering per volt on c", F(kappa)},
	{"e_min", "eV", 0, 0, INF, 0, 0,
	 "lowest barrier the control can reach (at most e_b0)", F(e_min)},
	{"z", "1", 1, 0, INF, 1, 0, "carrier charge number (tilt per volt)", F(z)},
	{"lambda", "1", 0.5, 0, 1, 0, 0, "position of the barrier top", F(lambda)},
	{"n_c", "1", 1e4, 0, LIM_PHYS_N_C_MAX, 1, 0, "carriers per device", F(n_c)},
	{"g_min", "S", 1e-6, 0, INF, 0, 0, "read conductance at w = 0", F(g_min)},
	{"g_max", "S", 1e-5, 0, INF, 0, 0,
	 "read conductance at w = 1 (at least g_min)", F(g_max)},
	{"w0", "1", 0.5, 0, 1, 0, 0, "stored state at time 0", F(w0)},
	{"dtemp", "K", 0, -INF, INF, 0, 0, "device temperature above the circuit's", F(dtemp)},
	{"noise", "1", 0, 0, 1, 0, 0,
	 "0: deterministic; 1: hops drawn from the exact transition probabilities", F(noise)},
	{"seed", "1", 0, 0, 9007199254740992.0, 0, 0, "random stream of the device (with its nodes)",
	 F(seed)},
	{"sigma_e_b0", "1", 0, 0, INF, 0, 0, "relative device-to-device spread of e_b0", F(sigma_e_b0)},
	{"sigma_kappa", "1", 0, 0, INF, 0, 0, "relative spread of kappa", F(sigma_kappa)},
	{"sigma_g_min", "1", 0, 0, INF, 0, 0, "relative spread of g_min", F(sigma_g_min)},
	{"sigma_g_max", "1", 0, 0, INF, 0, 0, "relative spread of g_max", F(sigma_g_max)},
	{"sigma_r_max", "1", 0, 0, INF, 0, 0, "relative spread of r_max", F(sigma_r_max)},
};
const size_t lim_phys_dev_nparams = sizeof lim_phys_dev_params / sizeof lim_phys_dev_params[0];

const lim_phys_model lim_phys_synapse = {
	"lim_synapse", lim_phys_dev_params, sizeof lim_phys_dev_params / sizeof lim_phys_dev_params[0]
};

void lim_phys_dev_default(lim_phys_dev *d)
{
	size_t i;

	for (i = 0; i < lim_phys_dev_nparams; i++)
		*lim_phys_dev_field(d, &lim_phys_dev_params[i]) = lim_phys_dev_params[i].def;
}

const lim_phys_param *lim_phys_dev_param(const char *name)
{
	size_t i;

	for (i = 0; i < lim_phys_dev_nparams; i++)
		if (strcmp(lim_phys_dev_params[i].name, name) == 0)
			return &lim_phys_dev_params[i];
	return NULL;
}

/* Edit distance (insertions, deletions, substitutions, case ignored) of
** two short names; 99 beyond 31 characters. */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), d[32][32], i, j;

	if (la > 31 || lb > 31)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int sub = d[i - 1][j - 1] + (tolower((unsigned char)a[i - 1]) !=
			                             tolower((unsigned char)b[j - 1]));
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}

const lim_phys_param *lim_phys_dev_param_near(const char *name)
{
	const lim_phys_param *best = NULL;
	int best_d = 3;   /* at most two edits, and fewer than the name's length */
	size_t i;

	for (i = 0; i < lim_phys_dev_nparams; i++) {
		int dd = distance(name, lim_phys_dev_params[i].name);
		if (dd < best_d && dd < (int)strlen(lim_phys_dev_params[i].name)) {
			best = &lim_phys_dev_params[i];
			best_d = dd;
		}
	}
	return best;
}

double *lim_phys_dev_field(lim_phys_dev *d, const lim_phys_param *p)
{
	return (double *)((char *)d + p->offset);
}

double lim_phys_dev_value(const lim_phys_dev *d, const lim_phys_param *p)
{
	return *(const double *)((const char *)d + p->offset);
}

void lim_phys_param_range(const lim_phys_param *p, char *buf, size_t n)
{
	char lo[32] = "-inf", hi[32] = "inf";

	if (isfinite(p->min))
		snprintf(lo, sizeof lo, "%g", p->min);
	if (isfinite(p->max))
		snprintf(hi, sizeof hi, "%g", p->max);
	snprintf(buf, n, "%c%s, %s%c", p->min_open || !isfinite(p->min) ? '(' : '[',
	         lo, hi, p->max_open || !isfinite(p->max) ? ')' : ']');
}

static int in_range(const lim_phys_param *p, double v)
{
	if (!isfinite(v))                   /* inf is no device, whatever the range */
		return 0;
	if (p->min_open ? !(v > p->min) : v < p->min)
		return 0;
	return p->max_open ? v < p->max : v <= p->max;
}

/* Appends one problem to msg ("; " between them); counts it in *bad. */
static void problem(char *msg, size_t n, int *bad, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(char *msg, size_t n, int *bad, const char *fmt, ...)
{
	size_t used = *bad && n ? strlen(msg) : 0;
	va_list ap;

	if (*bad && used + 2 < n) {
		memcpy(msg + used, "; ", 3);
		used += 2;
	}
	if (used < n) {
		va_start(ap, fmt);
		vsnprintf(msg + used, n - used, fmt, ap);
		va_end(ap);
	}
	++*bad;
}

lim_phys_status lim_phys_dev_check(const lim_phys_dev *d, char *msg, size_t n)
{
	size_t i;
	int bad = 0;

	if (n)
		msg[0] = '\0';
	for (i = 0; i < lim_phys_dev_nparams; i++) {   /* every problem, not the first */
		const lim_phys_param *p = &lim_phys_dev_params[i];
		double v = *lim_phys_dev_field((lim_phys_dev *)d, p);
		char range[80];

		if (!in_range(p, v)) {
			lim_phys_param_range(p, range, sizeof range);
			problem(msg, n, &bad, "%s = %g%s%s: expected a %svalue in %s", p->name, v,
			        strcmp(p->unit, "1") ? " " : "", strcmp(p->unit, "1") ? p->unit : "",
			        isfinite(v) ? "" : "finite ", range);
		}
	}
	if (d->g_min > d->g_max)
		problem(msg, n, &bad, "g_min = %g S is above g_max = %g S: expected g_min <= g_max",
		        d->g_min, d->g_max);
	if (d->noise != 0 && d->noise != 1 && in_range(lim_phys_dev_param("noise"), d->noise))
		problem(msg, n, &bad, "noise = %g: expected 0 or 1", d->noise);
	if (isfinite(d->seed) && d->seed != floor(d->seed))
		problem(msg, n, &bad, "seed = %g: expected a whole number", d->seed);
	if (d->e_min > d->e_b0)
		problem(msg, n, &bad, "e_min = %g eV is above e_b0 = %g eV: expected e_min <= e_b0",
		        d->e_min, d->e_b0);
	return bad ? LIM_PHYS_EDOM : LIM_PHYS_OK;
}

lim_phys_status lim_phys_dev_check_temp(const lim_phys_dev *d, double temp_k, char *msg, size_t n)
{
	double t = temp_k + d->dtemp;

	if (isfinite(t) && t > 0)
		return LIM_PHYS_OK;
	snprintf(msg, n, "the device temperature %g K + dtemp %g K = %g K: expected above 0 K",
	         temp_k, d->dtemp, t);
	return LIM_PHYS_EDOM;
}
