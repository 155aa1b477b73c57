/*
** osdi.c - the lim_synapse device as a hand-written OSDI 0.3 library
** (build/limspice.osdi), for ngspice 46's pre_osdi. See LICENSE.
**
** Like cfunc.mod, this is glue: every equation comes from the physics core
** (src/include/limspice/phys.h, compiled into the .osdi) and the parameter
** table is lim_phys_dev_params, turned into OSDI's tables when the library
** is loaded. The interface is osdi.h 0.3 from the fetched ngspice source.
**
** Terminals a b c ref, as the code model's %gd(a b) %vd(c ref): the synapse
** a-b (current a -> b) and the barrier control c, referred to ref. Every
** parameter is an instance parameter whose default is the .model card's.
**
** State and rejected steps. OSDI 0.3 hands a device the trial solution, the
** trial time (abstime) and one state vector; ngspice's loader points both
** prev_state and next_state at CKTstate0, so there is no slot for the last
** accepted time point, and a state held as an internal node's charge would
** be integrated by ngspice's trapezoid or gear, not by the exact update
** (its error on a stiff state is what the code model was built to avoid).
** So the device keeps its own history in its instance data: the last
** accepted point (time, w, bias, energies) and the pending trial time. A
** trial is accepted exactly when ngspice moves on to a later time: the
** first evaluation at a time above the pending one commits it, recomputed
** from prev_solve, which then holds that point's converged solution. A
** trial time below the pending one is a retry after a rejection, and the
** pending point is dropped: rejected steps never reach the history. w is
** not an unknown of the circuit, so the matrix keeps the terminals' size.
** ngspice's truncation-error control does not see w, so the device bounds
** the time step itself (OSDI's bound_step): the exact update is exact for a
** constant bias, and with the rates at the mid-step bias its local error
** is third order in the step where the bias moves. Each trial step is
** compared with two half steps (each at its own mid-step bias); where they
** differ by more than STEP_TOL, the bound asks for a step that would not,
** and ngspice then rejects the trial (as for a truncation error) and
** retries shorter. An idle device (high barrier, k dt tiny) never binds.
*/
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osdi.h"
#include "phys.h"

#define EXPORT __attribute__((visibility("default")))

enum { N_A, N_B, N_C, N_REF, N_NODES };
#define N_JAC 8          /* rows a, b x columns a, b, c, ref */
#define MAX_PARAMS 32    /* room for lim_phys_dev_params */
/* osdi.h's PARA_KIND_OPVAR is (2 << 30), which overflows an int (UBSan
** says so): the same bits, unsigned. */
#define KIND_OPVAR (2u << 30)
/* Largest local error of w per step [1] where the bias moves: 1e-7 is
** far below a training update (1e-3) and the carrier quantum (1e-4). */
#define STEP_TOL 1e-7

/* The opvars: the code model's probes, in its order. */
enum { OP_W, OP_E_B, OP_RATE_RELAX, OP_RATE_NET, OP_E_TRANS, OP_E_JOULE, OP_ERR, N_OPVARS };
static const char *const opvar_info[N_OPVARS][3] = {
	{"w", "1", "state: fraction of the carriers in the potentiated well"},
	{"e_b", "eV", "barrier after the control"},
	{"rate_relax", "1/s", "relaxation rate Rf + Rr"},
	{"rate_net", "1/s", "net rate (Rf - Rr)/2"},
	{"e_trans", "J", "work of the hop current since the analysis began (signed)"},
	{"e_joule", "J", "read-path conduction heat since the analysis began"},
	{"err", "1", "1 when the card was refused, else 0"},
};

typedef struct {
	lim_phys_dev card;       /* the .model card's values (defaults where not given) */
	uint32_t given;          /* bit i: parameter i given on the card */
} syn_model;

/* The accepted point, or the point a trial computes. */
typedef struct {
	double w;                /* state [1] */
	double v_ab, v_c;        /* bias [V] */
	double p_joule;          /* G(w) V_ab^2 [W] */
	double e_trans, e_joule; /* since the analysis began [J] */
	double bound;            /* the step bound this step asks for [s] */
} syn_point;

typedef struct {
	lim_phys_dev vals;       /* instance values; after setup, the effective ones */
	uint32_t given;          /* bit i: parameter i given on the instance line */
	lim_phys_dev dev;        /* validated and varied: what the equations use */
	double temp_c;           /* circuit temperature [C] (dtemp is in dev) */
	double carriers;         /* round(n_c), for noise = 1 */
	uint64_t key;            /* random stream: seed and instance name */
	int refused;
	/* history (see the file's comment) */
	double t_acc;            /* time of the accepted point [s] */
	syn_point acc;
	double t_pending;        /* time of the newest trial [s]; pending when has_pending */
	int has_pending;
	/* what eval hands to the load functions */
	double resid[N_NODES];   /* current out of each node into the device [A] */
	double jac[N_JAC];       /* d resid / d V [S] */
	double opvar[N_OPVARS];
	/* owned by ngspice: node indices, matrix pointers, empty tables */
	uint32_t node[N_NODES];
	double *jac_ptr[N_JAC];
	bool collapsed[1];
	uint32_t state_idx[1];
	double bound_step;       /* the longest next step the device allows [s] */
} syn_inst;

/* ngspice's handle for messages (osdidefs.h: OsdiNgspiceHandle). OSDI calls
** it opaque; ngspice's own logger reads the name the same way. */
typedef struct {
	uint32_t kind;
	char *name;
} syn_handle;

/* Filled by ngspice when the library is loaded (optional symbol). */
EXPORT void (*osdi_log)(void *handle, char *msg, uint32_t lvl) = NULL;

/* -- Tables: the parameter table as OSDI wants it, built at load time ---------- */

static char *param_names[MAX_PARAMS + N_OPVARS][1];
static OsdiParamOpvar param_opvar[MAX_PARAMS + N_OPVARS];
static size_t n_params;

static OsdiNode nodes[N_NODES] = {
	{"a", "V", "A", offsetof(syn_inst, resid[N_A]), UINT32_MAX, UINT32_MAX, UINT32_MAX, false},
	{"b", "V", "A", offsetof(syn_inst, resid[N_B]), UINT32_MAX, UINT32_MAX, UINT32_MAX, false},
	{"c", "V", "A", offsetof(syn_inst, resid[N_C]), UINT32_MAX, UINT32_MAX, UINT32_MAX, false},
	{"ref", "V", "A", offsetof(syn_inst, resid[N_REF]), UINT32_MAX, UINT32_MAX, UINT32_MAX, false},
};

/* Entry k: row (k / 4 ? b : a), column k % 4. */
#define JE(r, c) {{r, c}, UINT32_MAX, JACOBIAN_ENTRY_RESIST}
static OsdiJacobianEntry jac_entries[N_JAC] = {
	JE(N_A, N_A), JE(N_A, N_B), JE(N_A, N_C), JE(N_A, N_REF),
	JE(N_B, N_A), JE(N_B, N_B), JE(N_B, N_C), JE(N_B, N_REF),
};

static void syn_tables(void)
{
	size_t i;

	n_params = lim_phys_dev_nparams <= MAX_PARAMS ? lim_phys_dev_nparams : 0;
	for (i = 0; i < n_params; i++) {
		const lim_phys_param *p = &lim_phys_dev_params[i];
		param_names[i][0] = (char *)p->name;
		param_opvar[i] = (OsdiParamOpvar){param_names[i], 0, (char *)p->meaning,
		                                  (char *)p->unit, PARA_TY_REAL | PARA_KIND_INST, 0};
	}
	for (i = 0; i < N_OPVARS; i++) {
		param_names[n_params + i][0] = (char *)opvar_info[i][0];
		param_opvar[n_params + i] = (OsdiParamOpvar){param_names[n_params + i], 0,
		                                             (char *)opvar_info[i][2],
		                                             (char *)opvar_info[i][1],
		                                             PARA_TY_REAL | KIND_OPVAR, 0};
	}
}

/* -- Parameters ------------------------------------------------------------------ */

static void *syn_access(void *inst_, void *model_, uint32_t id, uint32_t flags)
{
	syn_inst *in = inst_;
	syn_model *m = model_;

	if (id < n_params) {
		const lim_phys_param *p = &lim_phys_dev_params[id];
		/* an instance line, or ngspice asking an instance; else the card */
		if ((flags & ACCESS_FLAG_INSTANCE) && in) {
			if (flags & ACCESS_FLAG_SET)
				in->given |= 1u << id;
			return lim_phys_dev_field(&in->vals, p);
		}
		if (!m)
			return NULL;
		if (flags & ACCESS_FLAG_SET)
			m->given |= 1u << id;
		return lim_phys_dev_field(&m->card, p);
	}
	if (id < n_params + N_OPVARS && in)   /* ngspice reads opvars with flags 0 */
		return &in->opvar[id - n_params];
	return NULL;
}

static void syn_no_errors(OsdiInitInfo *res)
{
	res->flags = 0;
	res->num_errors = 0;
	res->errors = NULL;
}

static void syn_setup_model(void *handle, void *model_, OsdiSimParas *sim, OsdiInitInfo *res)
{
	syn_model *m = model_;
	size_t i;

	(void)handle;
	(void)sim;
	for (i = 0; i < n_params; i++)
		if (!(m->given & (1u << i)))
			*lim_phys_dev_field(&m->card, &lim_phys_dev_params[i]) = lim_phys_dev_params[i].def;
	syn_no_errors(res);
}

/* FNV-1a over the instance name: the code model, which has no name in
** ngspice 39, hashes its nodes instead; here each device has its own name. */
static uint64_t syn_key(const char *name, double seed)
{
	uint64_t h = 1469598103934665603ull;

	for (; name && *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return lim_phys_rng_hash(h, (uint64_t)seed);
}

static void syn_log(void *handle, uint32_t lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void syn_log(void *handle, uint32_t lvl, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (osdi_log)
		osdi_log(handle, msg, lvl);
	else
		fprintf(stderr, "%s\n", msg);
}

/* Starts the history at the stored state: an analysis begins here. */
static void syn_restart(syn_inst *in, double v_ab, double v_c)
{
	double g;

	in->t_acc = 0;
	in->t_pending = 0;
	in->has_pending = 0;
	in->acc.w = in->dev.w0;
	in->acc.v_ab = v_ab;
	in->acc.v_c = v_c;
	g = lim_phys_dev_conductance(&in->dev, in->dev.w0);
	in->acc.p_joule = g * v_ab * v_ab;
	in->acc.e_trans = in->acc.e_joule = 0;
}

static void syn_setup_instance(void *handle, void *inst_, void *model_, double temp_k,
                               uint32_t num_terminals, OsdiSimParas *sim, OsdiInitInfo *res)
{
	syn_inst *in = inst_;
	const syn_model *m = model_;
	const syn_handle *h = handle;
	char why[512];
	size_t i;

	(void)sim;
	syn_no_errors(res);
	for (i = 0; i < n_params; i++)
		if (!(in->given & (1u << i)))
			*lim_phys_dev_field(&in->vals, &lim_phys_dev_params[i]) =
				lim_phys_dev_value(&m->card, &lim_phys_dev_params[i]);
	in->dev = in->vals;
	in->temp_c = temp_k - LIM_PHYS_ZERO_C_IN_K;
	in->refused = 0;
	if (num_terminals != N_NODES) {
		snprintf(why, sizeof why, "%u terminals connected: expected 4 (a b c ref)",
		         num_terminals);
		in->refused = 1;
	} else if (lim_phys_dev_check(&in->dev, why, sizeof why) != LIM_PHYS_OK ||
	           lim_phys_dev_check_temp(&in->dev, temp_k, why, sizeof why) != LIM_PHYS_OK) {
		in->refused = 1;
	}
	if (in->refused) {
		/* OSDI can stop the analysis, which a code model in ngspice 39
		** cannot: the refusal is an error naming the instance. */
		syn_log(handle, LOG_LVL_ERR, "%s: refused the card of instance %s: %s",
		        lim_phys_synapse.model, h && h->name ? h->name : "?", why);
		res->errors = malloc(sizeof *res->errors);
		if (res->errors) {
			res->num_errors = 1;
			res->errors[0].code = INIT_ERR_OUT_OF_BOUNDS;
			res->errors[0].payload.parameter_id = 0;
		} else {
			res->flags = EVAL_RET_FLAG_FATAL;
		}
		in->opvar[OP_ERR] = 1;
		return;
	}
	in->key = syn_key(h ? h->name : NULL, in->dev.seed);
	lim_phys_dev_vary(&in->dev, in->key);     /* this device's draw from the population */
	in->carriers = fmax(1, round(in->dev.n_c));
	if (in->dev.noise == 1)                   /* the state is a count of carriers */
		in->dev.w0 = round(in->dev.w0 * in->carriers) / in->carriers;
	in->opvar[OP_ERR] = 0;
	in->bound_step = HUGE_VAL;
	syn_restart(in, 0, 0);
}

/* -- Evaluation -------------------------------------------------------------------- */

/* The current a -> b and its derivatives, stamped into resid and jac. */
static void syn_stamp(syn_inst *in, double i_ab, double di_dvab, double di_dvc)
{
	in->resid[N_A] = i_ab;
	in->resid[N_B] = -i_ab;
	in->resid[N_C] = in->resid[N_REF] = 0;
	in->jac[0] = di_dvab;
	in->jac[1] = -di_dvab;
	in->jac[2] = di_dvc;
	in->jac[3] = -di_dvc;
	for (int k = 0; k < 4; k++)
		in->jac[4 + k] = -in->jac[k];
}

static void syn_probes(syn_inst *in, double w, const lim_phys_rates *r, const syn_point *p)
{
	in->opvar[OP_W] = w;
	in->opvar[OP_E_B] = r->e_b_ev;
	in->opvar[OP_RATE_RELAX] = r->rf + r->rr;
	in->opvar[OP_RATE_NET] = (r->rf - r->rr) / 2;
	in->opvar[OP_E_TRANS] = p->e_trans;
	in->opvar[OP_E_JOULE] = p->e_joule;
	in->opvar[OP_ERR] = 0;
}

/* The counter of a time step: its start and length, bit for bit, so a
** retried step redraws the same hops (as the code model does). */
static uint64_t syn_step_counter(double start, double dt)
{
	uint64_t a, b;

	memcpy(&a, &start, sizeof a);
	memcpy(&b, &dt, sizeof b);
	return lim_phys_rng_hash(a, b) & ~(uint64_t)1;
}

/* The step bound: w1 (one step at the mid-step bias) against two half
** steps, each at its own mid-step bias; their difference is about 3/4 of
** w1's error, which falls as dt^3. HUGE_VAL when the step is fine. */
static double syn_bound(const syn_inst *in, double dt, double v_ab, double v_c, double w1)
{
	const lim_phys_dev *d = &in->dev;
	const syn_point *a = &in->acc;
	double wh, w2, u, v, err;
	lim_phys_rates r;

	if (!(dt > 0))
		return HUGE_VAL;
	lim_phys_dev_rates(d, in->temp_c, (3 * a->v_ab + v_ab) / 4, (3 * a->v_c + v_c) / 4, &r);
	lim_phys_dev_advance(r.rf, r.rr, a->w, dt / 2, &wh, &u, &v);
	lim_phys_dev_rates(d, in->temp_c, (a->v_ab + 3 * v_ab) / 4, (a->v_c + 3 * v_c) / 4, &r);
	lim_phys_dev_advance(r.rf, r.rr, wh, dt / 2, &w2, &u, &v);
	err = fabs(w2 - w1) * 4 / 3;
	if (err <= STEP_TOL)
		return HUGE_VAL;
	return 0.9 * dt * cbrt(STEP_TOL / err);
}

/* One transient step from the accepted point to time t at bias (v_ab, v_c):
** the point reached in *p, the current and its partials, the rates (for
** the probes). The same arithmetic as cfunc.mod's syn_tran and
** syn_tran_noise, so the two hosts agree to rounding. */
static void syn_step(const syn_inst *in, double t, double v_ab, double v_c, syn_point *p,
                     double *i_ab, double *di_dvab, double *di_dvc, lim_phys_rates *r)
{
	const lim_phys_dev *d = &in->dev;
	const syn_point *a = &in->acc;
	double dt = t - in->t_acc, g, v_mid = (a->v_ab + v_ab) / 2;

	p->bound = HUGE_VAL;
	if (d->noise == 1) {
		/* hops drawn with the rates at the step's start: exact for rates
		** held over any step; the draw does not depend on the trial bias */
		double n = in->carriers, up = round(a->w * n), fwd = 0, back = 0;
		lim_phys_dev_rates(d, in->temp_c, a->v_ab, a->v_c, r);
		if (dt > 0 && r->rf + r->rr > 0) {
			double k = r->rf + r->rr, pk = -expm1(-k * dt);
			uint64_t c = syn_step_counter(in->t_acc, dt);
			fwd = lim_phys_binomial(n - up, r->rf / k * pk, lim_phys_rng_uniform(in->key, c));
			back = lim_phys_binomial(up, r->rr / k * pk, lim_phys_rng_uniform(in->key, c + 1));
		}
		p->w = (up + fwd - back) / n;
		g = lim_phys_dev_conductance(d, p->w);
		p->e_trans = a->e_trans + d->z * LIM_PHYS_Q_C * v_mid * (fwd - back);
		*i_ab = g * v_ab + (dt > 0 ? d->z * LIM_PHYS_Q_C * (fwd - back) / dt : 0);
		*di_dvab = g;
		*di_dvc = 0;
	} else {
		/* the exact exponential update with the rates at the mid-step bias */
		double dg = d->g_max - d->g_min, qn = d->z * LIM_PHYS_Q_C * d->n_c;
		double w1 = a->w, dw_drf, dw_drr, dw_dvab = 0, dw_dvc = 0, dhop = 0;
		lim_phys_dev_rates(d, in->temp_c, v_mid, (a->v_c + v_c) / 2, r);
		if (dt > 0) {
			lim_phys_dev_advance(r->rf, r->rr, a->w, dt, &w1, &dw_drf, &dw_drr);
			/* the mid-step bias moves by half of what the trial bias moves */
			dw_dvab = 0.5 * (dw_drf * r->drf_dvab + dw_drr * r->drr_dvab);
			dw_dvc = 0.5 * (dw_drf * r->drf_dvc + dw_drr * r->drr_dvc);
			dhop = qn / dt;          /* the hop current is the charge moved / dt */
		}
		p->w = w1;
		p->bound = syn_bound(in, dt, v_ab, v_c, w1);
		g = lim_phys_dev_conductance(d, w1);
		p->e_trans = a->e_trans + qn * v_mid * (w1 - a->w);
		*i_ab = g * v_ab + dhop * (w1 - a->w);
		*di_dvab = g + (dg * v_ab + dhop) * dw_dvab;
		*di_dvc = (dg * v_ab + dhop) * dw_dvc;
	}
	p->v_ab = v_ab;
	p->v_c = v_c;
	p->p_joule = g * v_ab * v_ab;
	p->e_joule = a->e_joule + (a->p_joule + p->p_joule) / 2 * (dt > 0 ? dt : 0);
}

static double syn_v(const syn_inst *in, const double *x, int plus, int minus)
{
	return x[in->node[plus]] - x[in->node[minus]];
}

/* Transient: commit the pending point when ngspice has moved past it,
** drop it when ngspice went back (a rejected step), then step to abstime. */
static void syn_tran(syn_inst *in, const OsdiSimInfo *info)
{
	const double *x = info->prev_solve;
	double t = info->abstime, i_ab, di_dvab, di_dvc;
	lim_phys_rates r;
	syn_point p;

	if ((info->flags & ANALYSIS_IC) && in->t_acc > 0)
		syn_restart(in, 0, 0);   /* a transient with uic after an earlier one */
	if (in->has_pending && t > in->t_pending) {
		/* x is the converged solution at t_pending: the point ngspice accepted */
		syn_step(in, in->t_pending, syn_v(in, x, N_A, N_B), syn_v(in, x, N_C, N_REF), &p,
		         &i_ab, &di_dvab, &di_dvc, &r);
		in->t_acc = in->t_pending;
		in->acc = p;
	}
	in->t_pending = t;
	in->has_pending = t > in->t_acc;
	syn_step(in, t, syn_v(in, x, N_A, N_B), syn_v(in, x, N_C, N_REF), &p, &i_ab, &di_dvab,
	         &di_dvc, &r);
	in->bound_step = in->dev.noise == 1 ? HUGE_VAL : p.bound;
	syn_stamp(in, i_ab, di_dvab, di_dvc);
	syn_probes(in, p.w, &r, &p);
}

/* DC, operating points and the transient's initial point: a memory holds
** its stored state w0, and the analysis starts here. */
static void syn_dc(syn_inst *in, const OsdiSimInfo *info)
{
	const double *x = info->prev_solve;
	double v_ab = syn_v(in, x, N_A, N_B), v_c = syn_v(in, x, N_C, N_REF);
	double g = lim_phys_dev_conductance(&in->dev, in->dev.w0);
	lim_phys_rates r;

	syn_restart(in, v_ab, v_c);
	in->bound_step = HUGE_VAL;
	lim_phys_dev_rates(&in->dev, in->temp_c, v_ab, v_c, &r);
	syn_stamp(in, g * v_ab, g, 0);
	syn_probes(in, in->dev.w0, &r, &in->acc);
}

static uint32_t syn_eval(void *handle, void *inst_, const void *model_, const OsdiSimInfo *info)
{
	syn_inst *in = inst_;

	(void)handle;
	(void)model_;
	if (in->refused) {              /* not reached: ngspice stops at the refusal */
		syn_stamp(in, 0, 0, 0);
		return EVAL_RET_FLAG_FATAL;
	}
	if (info->flags & ANALYSIS_AC) {
		/* small signal at the frozen state, as the code model: the hop
		** term's small-signal part is left out on purpose (README) */
		double g = lim_phys_dev_conductance(&in->dev, in->acc.w);
		syn_stamp(in, g * in->acc.v_ab, g, 0);
	} else if ((info->flags & ANALYSIS_TRAN) && (info->flags & CALC_REACT_RESIDUAL)) {
		syn_tran(in, info);
	} else {
		syn_dc(in, info);
	}
	return 0;
}

/* -- Loading into ngspice's matrix and right-hand side -------------------------- */

static void syn_load_jacobian(void *inst_, void *model_)
{
	syn_inst *in = inst_;

	(void)model_;
	for (int k = 0; k < N_JAC; k++)
		*in->jac_ptr[k] += in->jac[k];
}

static void syn_load_jacobian_tran(void *inst_, void *model_, double alpha)
{
	(void)alpha;                    /* no charges: the state is not a node */
	syn_load_jacobian(inst_, model_);
}

static void syn_load_jacobian_react(void *inst_, void *model_, double alpha)
{
	(void)inst_;
	(void)model_;
	(void)alpha;
}

/* The Newton right-hand side: -residual + J x, per equation node. */
static void syn_load_rhs(void *inst_, void *model_, double *dst, double *x)
{
	syn_inst *in = inst_;
	int row, col;

	(void)model_;
	for (row = 0; row < 2; row++) {
		double v = -in->resid[row];
		for (col = 0; col < N_NODES; col++)
			v += in->jac[4 * row + col] * x[in->node[col]];
		dst[in->node[row]] += v;
	}
}

static void syn_load_rhs_tran(void *inst_, void *model_, double *dst, double *x, double alpha)
{
	(void)alpha;
	syn_load_rhs(inst_, model_, dst, x);
}

static void syn_load_residual(void *inst_, void *model_, double *dst)
{
	syn_inst *in = inst_;

	(void)model_;
	dst[in->node[N_A]] += in->resid[N_A];
	dst[in->node[N_B]] += in->resid[N_B];
}

static void syn_load_nothing(void *inst_, void *model_, double *dst)
{
	(void)inst_;
	(void)model_;
	(void)dst;
}

static void syn_load_noise(void *inst_, void *model_, double freq, double *dens,
                           double *ln_dens)
{
	(void)inst_;
	(void)model_;
	(void)freq;
	(void)dens;
	(void)ln_dens;
}

/* -- What ngspice's loader looks up ------------------------------------------------ */

EXPORT const uint32_t OSDI_VERSION_MAJOR = 0;
EXPORT const uint32_t OSDI_VERSION_MINOR = 3;
EXPORT const uint32_t OSDI_NUM_DESCRIPTORS = 1;

/* Not const: num_params comes from the parameter table, at load time. */
EXPORT OsdiDescriptor OSDI_DESCRIPTORS[1] = {{
	.name = "lim_synapse",
	.num_nodes = N_NODES,
	.num_terminals = N_NODES,
	.nodes = nodes,
	.num_jacobian_entries = N_JAC,
	.jacobian_entries = jac_entries,
	.num_collapsible = 0,
	.collapsible = NULL,
	.collapsed_offset = offsetof(syn_inst, collapsed),
	.noise_sources = NULL,
	.num_noise_src = 0,
	.param_opvar = param_opvar,
	.node_mapping_offset = offsetof(syn_inst, node),
	.jacobian_ptr_resist_offset = offsetof(syn_inst, jac_ptr),
	.num_states = 0,
	.state_idx_off = offsetof(syn_inst, state_idx),
	.bound_step_offset = offsetof(syn_inst, bound_step),
	.instance_size = sizeof(syn_inst),
	.model_size = sizeof(syn_model),
	.access = syn_access,
	.setup_model = syn_setup_model,
	.setup_instance = syn_setup_instance,
	.eval = syn_eval,
	.load_noise = syn_load_noise,
	.load_residual_resist = syn_load_residual,
	.load_residual_react = syn_load_nothing,
	.load_limit_rhs_resist = syn_load_nothing,
	.load_limit_rhs_react = syn_load_nothing,
	.load_spice_rhs_dc = syn_load_rhs,
	.load_spice_rhs_tran = syn_load_rhs_tran,
	.load_jacobian_resist = syn_load_jacobian,
	.load_jacobian_react = syn_load_jacobian_react,
	.load_jacobian_tran = syn_load_jacobian_tran,
}};

/* Runs when ngspice dlopens the library, before it reads the descriptor. */
__attribute__((constructor)) static void syn_counts(void)
{
	syn_tables();
	OSDI_DESCRIPTORS[0].num_params = (uint32_t)n_params;
	OSDI_DESCRIPTORS[0].num_instance_params = (uint32_t)n_params;
	OSDI_DESCRIPTORS[0].num_opvars = N_OPVARS;
}
