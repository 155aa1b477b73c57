/* cfunc.mod - the lim_synapse code model: physics.md section 5 in XSPICE.
   See LICENSE for copyright.

   All physics comes from src/include/limspice/phys.h, compiled into the .cm, so the device
   and the theory tool share one implementation. This file is the glue:
   it reads the card and the ports, keeps the state in ngspice's analog
   state vector, and hands ngspice the current and its exact partials.

   Note: cmpp rewrites its macro names (INIT, TIME, T, PARAM, ...) even in
   comments and strings, so those words appear here only as the macros. */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ngspice/devdefs.h"
#include "ngspice/mifdefs.h"
#include "ngspice/mifproto.h"
#include "ngspice/noisedef.h"
#include "ngspice/sperror.h"

#include "phys.h"

/* Everything that must roll back with a rejected time step lives in the
   analog state (slot 0: this trial, slot 1: the last accepted point). */
/* ngspice's truncation check floors the error estimate at abstol (1e-12,
   meant for currents): on a state of order 1 that barely moves, the floor
   caps the time step whatever the physics (a ten-year hold crawled at 1e4
   s per step). Scaled by this, the floor never binds and the check stays
   what it is otherwise: relative. */
#define LTE_SCALE 1e15

/* The step control (syn_limit_step): a step takes the bias as linear in
   time, so a barrier that bends within it is where its rate integral errs.
   Each step may err by this fraction of the change of w it makes... */
#define BEND_REL_ERR 2e-3
/* ... or by that fraction of this much of w, if its change is smaller: a
   device that barely moves does not cut the time step. */
#define BEND_DW_FLOOR 1e-4

typedef struct {
    double w_lte;       /* w x LTE_SCALE, registered with cm_analog_integrate */
    double w;           /* state [1] */
    double v_ab, v_c;   /* bias at this point [V] */
    double p_joule;     /* G(w) V_ab^2 at this point [W] */
    double e_trans;     /* work of the hop current so far [J] */
    double e_joule;     /* conduction heat so far [J] */
    /* for the step control, 0 at the operating point: */
    double steps;       /* transient steps that led here */
    double dt;          /* the last of them [s] */
    lim_phys_rates at;      /* the rates at this point's bias (its barriers in kT) */
    double slope_f, slope_r;   /* their slopes over the step to here [kT/s] */
    double bend;        /* |d2E/dt2| around the point before [kT/s^2] */
} syn_state;

typedef struct {
    lim_phys_dev dev;       /* the validated card */
    int refused;        /* 1: the card was refused; the device is open */
    int told_stateless; /* 1: the stateless-analysis message was sent */
    uint64_t key;       /* the device's random stream: its seed and nodes */
    double carriers;    /* whole carriers, round(n_c), for noise = 1 */
    double ln_noise_last; /* ln of the last .noise output density [V^2/Hz] */
} syn_local;

enum { SYN_STATE = 0 };

static void syn_callback(ARGS, Mif_Callback_Reason_t reason)
{
    if (reason == MIF_CB_DESTROY) {
        free(STATIC_VAR(locdata));
        STATIC_VAR(locdata) = NULL;
    }
}

static void syn_read_card(ARGS, lim_phys_dev *d)
{
    d->r_max = PARAM(r_max);
    d->e_b0 = PARAM(e_b0);
    d->kappa = PARAM(kappa);
    d->e_min = PARAM(e_min);
    d->z = PARAM(z);
    d->lambda = PARAM(lambda);
    d->n_c = PARAM(n_c);
    d->g_min = PARAM(g_min);
    d->g_max = PARAM(g_max);
    d->w0 = PARAM(w0);
    d->dtemp = PARAM(dtemp);
    d->noise = PARAM(noise);
    d->seed = PARAM(seed);
    d->sigma_e_b0 = PARAM(sigma_e_b0);
    d->sigma_kappa = PARAM(sigma_kappa);
    d->sigma_g_min = PARAM(sigma_g_min);
    d->sigma_g_max = PARAM(sigma_g_max);
    d->sigma_r_max = PARAM(sigma_r_max);
}

/* Sets both state slots to the stored state, so an analysis with uic (no
   operating point before the first step) starts from w0 too. */
static void syn_reset_state(const lim_phys_dev *d)
{
    int slot;

    for (slot = 0; slot < 2; slot++) {
        syn_state *s = (syn_state *) cm_analog_get_ptr(SYN_STATE, slot);
        s->w = d->w0;
        s->w_lte = d->w0 * LTE_SCALE;
        s->v_ab = s->v_c = s->p_joule = s->e_trans = s->e_joule = 0;
        s->steps = s->dt = s->slope_f = s->slope_r = s->bend = 0;
        memset(&s->at, 0, sizeof s->at);   /* kt_ev = 0: not computed yet */
    }
}

/* ngspice 39 cannot tell a code model its instance name: the device is
   named by its nodes, which a netlist author can find. */
static void syn_refuse(ARGS, const char *why)
{
    Mif_Port_Data_t *ab = mif_private->conn[0]->port[0];
    Mif_Port_Data_t *c = mif_private->conn[1]->port[0];

    cm_message_printf("lim_synapse: refused the card of the device on nodes "
                      "(%s %s) (%s %s): %s; it acts as an open circuit",
                      ab->pos_node_str, ab->neg_node_str, c->pos_node_str,
                      c->neg_node_str ? c->neg_node_str : "0", why);
}

/* FNV-1a over the node names: ngspice 39 gives a code model no instance
   name, so a device is known by its nodes. Two devices on the same nodes
   with the same seed share a stream (README says so). */
static uint64_t syn_key(ARGS, double seed)
{
    const char *names[4];
    uint64_t h = 1469598103934665603ull;
    int i;

    names[0] = mif_private->conn[0]->port[0]->pos_node_str;
    names[1] = mif_private->conn[0]->port[0]->neg_node_str;
    names[2] = mif_private->conn[1]->port[0]->pos_node_str;
    names[3] = mif_private->conn[1]->port[0]->neg_node_str;
    for (i = 0; i < 4; i++) {
        const char *p = names[i] ? names[i] : "0";
        for (; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        h = (h ^ '|') * 1099511628211ull;
    }
    return lim_phys_rng_hash(h, (uint64_t)seed);
}

static syn_local *syn_init(ARGS)
{
    syn_local *loc = calloc(1, sizeof *loc);
    char why[256];

    CALLBACK = syn_callback;
    STATIC_VAR(locdata) = loc;
    cm_analog_alloc(SYN_STATE, sizeof(syn_state));
    if (!loc) {
        cm_message_printf("lim_synapse: out of memory");
        return NULL;
    }
    syn_read_card(mif_private, &loc->dev);
    if (lim_phys_dev_check(&loc->dev, why, sizeof why) != LIM_PHYS_OK ||
        lim_phys_dev_check_temp(&loc->dev, TEMPERATURE + LIM_PHYS_ZERO_C_IN_K, why,
                                sizeof why) != LIM_PHYS_OK) {
        loc->refused = 1;
        syn_refuse(mif_private, why);
    }
    loc->key = syn_key(mif_private, loc->dev.seed);
    if (!loc->refused)              /* this device's draw from the population */
        lim_phys_dev_vary(&loc->dev, loc->key);
    loc->carriers = fmax(1, round(loc->dev.n_c));
    if (loc->dev.noise == 1)        /* the state is a count of carriers */
        loc->dev.w0 = round(loc->dev.w0 * loc->carriers) / loc->carriers;
    syn_reset_state(&loc->dev);
    return loc;
}

static void syn_probes(ARGS, double w, const lim_phys_rates *r, const syn_state *s)
{
    STATIC_VAR(w) = w;
    STATIC_VAR(e_b) = r->e_b_ev;
    STATIC_VAR(rate_relax) = r->rf + r->rr;
    STATIC_VAR(rate_net) = (r->rf - r->rr) / 2;
    STATIC_VAR(e_trans) = s->e_trans;
    STATIC_VAR(e_joule) = s->e_joule;
    STATIC_VAR(err) = 0;
}

static void syn_open(ARGS)
{
    Mif_Complex_t zero = {0, 0};

    STATIC_VAR(err) = 1;
    if (ANALYSIS == MIF_AC) {
        AC_GAIN(ab, ab) = zero;
        AC_GAIN(ab, c) = zero;
    } else {
        OUTPUT(ab) = 0;
        PARTIAL(ab, ab) = 0;
        PARTIAL(ab, c) = 0;
    }
}

/* The read path as a plain conductance g [S] at v_ab [V], in the form
   MIFload reads in this call: AC gains when ANALYSIS says AC, else the
   current and its partials. For a conductance the two agree whatever the
   circuit is doing (the current's constant part g v - g v is zero). */
static void syn_stamp(ARGS, double g, double v_ab)
{
    if (ANALYSIS == MIF_AC) {
        Mif_Complex_t y = {g, 0}, zero = {0, 0};
        AC_GAIN(ab, ab) = y;
        AC_GAIN(ab, c) = zero;
    } else {
        OUTPUT(ab) = g * v_ab;
        PARTIAL(ab, ab) = g;
        PARTIAL(ab, c) = 0;
    }
}

/* The read conductance every small-signal analysis uses [S]: the stored
   state's, the state the operating point holds. */
static double syn_read_g(const syn_local *loc)
{
    return lim_phys_dev_conductance(&loc->dev, loc->dev.w0);
}

/* What this call really is. ngspice 39 sets ANALYSIS only in op, dc, ac
   and tran: noise, pz, tf, disto and sens keep the previous analysis's
   value, so after a .tran the operating point of a .noise took transient
   steps (and of a .sens, with no state vectors, crashed). The circuit's
   mode bits are set by every analysis. */
typedef enum { SYN_CALL_DC, SYN_CALL_AC, SYN_CALL_TRAN } syn_call;

static syn_call syn_call_kind(ARGS)
{
    const CKTcircuit *ckt = cm_get_circuit();   /* MIFload sets it for the call */

    if (ckt->CKTmode & MODEAC)
        return SYN_CALL_AC;
    if ((ckt->CKTmode & MODETRAN) && ANALYSIS == MIF_TRAN)
        return SYN_CALL_TRAN;
    return SYN_CALL_DC;
}

/* A port's voltage [V] in the last solution, read as MIFload reads it. */
static double syn_port_v(const Mif_Port_Data_t *port)
{
    const CKTcircuit *ckt = cm_get_circuit();

    if (ckt->CKTmode & MODEINITJCT)     /* MIFload starts from 0 too */
        return 0;
    return ckt->CKTrhsOld[port->smp_data.pos_node] - ckt->CKTrhsOld[port->smp_data.neg_node];
}

/* An analysis that runs the DC load without state vectors: ngspice's .sens
   sets them to NULL, and cm_analog_get_ptr then returns NULL plus the
   state's offset for both time points (a pointer to nothing, the same for
   both), where an analysis with state has two separate vectors. */
static int syn_stateless(void)
{
    return cm_analog_get_ptr(SYN_STATE, 0) == cm_analog_get_ptr(SYN_STATE, 1);
}

/* The stamp without state (.sens, DC or AC): the conductance at w0, and a
   message once per device that its own parameters get no sensitivities. */
static void syn_stateless_stamp(ARGS, syn_local *loc, double v_ab)
{
    double g = syn_read_g(loc);

    if (!loc->told_stateless) {
        Mif_Port_Data_t *ab = mif_private->conn[0]->port[0];
        loc->told_stateless = 1;
        cm_message_printf("lim_synapse: the device on nodes (%s %s) enters this analysis "
                          "(.sens) as its conductance at w0, %g S: its own parameters "
                          "have no sensitivities", ab->pos_node_str, ab->neg_node_str, g);
    }
    syn_stamp(mif_private, g, v_ab);
}

/* The step control's history starts at a point with no step before it. */
static void syn_start_steps(syn_state *s, const lim_phys_rates *r)
{
    s->steps = s->dt = s->slope_f = s->slope_r = s->bend = 0;
    s->at = *r;
}

/* DC and operating point: a memory holds its stored state w0; the analysis
   starts here, so the state and the energies are reset. */
static void syn_dc(ARGS, const lim_phys_dev *d, double v_ab, double v_c)
{
    syn_state *now = (syn_state *) cm_analog_get_ptr(SYN_STATE, 0);
    double g = lim_phys_dev_conductance(d, d->w0);
    lim_phys_rates r;

    lim_phys_dev_rates(d, TEMPERATURE, v_ab, v_c, &r);
    now->w = d->w0;
    now->w_lte = d->w0 * LTE_SCALE;
    now->v_ab = v_ab;
    now->v_c = v_c;
    now->p_joule = g * v_ab * v_ab;
    now->e_trans = now->e_joule = 0;
    syn_start_steps(now, &r);
    syn_stamp(mif_private, g, v_ab);
    syn_probes(mif_private, d->w0, &r, now);
}

/* Records a transient point: the state w, the bias, and the conduction
   heat by the trapezoid over the step. Returns the conductance G(w). */
static double syn_record(syn_state *now, const syn_state *prev, const lim_phys_dev *d,
                         double w, double v_ab, double v_c, double dt)
{
    double g = lim_phys_dev_conductance(d, w);

    now->w = w;
    now->w_lte = w * LTE_SCALE;
    now->v_ab = v_ab;
    now->v_c = v_c;
    now->p_joule = g * v_ab * v_ab;
    now->e_joule = prev->e_joule + (prev->p_joule + now->p_joule) / 2 * (dt > 0 ? dt : 0);
    return g;
}

/* Step control for a bias that is not linear in time within a step. The
   bend of E_f and E_r is estimated from the slopes of the last two steps;
   an estimate counts only once the one before it saw as much (the smaller
   of the two is used), so the kink at a source's corner, which ngspice
   puts on a breakpoint where no step straddles it, and the guesses of
   Newton's first iterations are not taken for a bend. The limit goes to
   the step after this one, through a temporary breakpoint: ngspice then
   proposes no longer step, and no trial is thrown away. It sets the time
   step only where a device moves and its barrier bends (ngspice restarts
   the next step at first order, as after any breakpoint). */
static void syn_limit_step(ARGS, syn_state *now, const syn_state *prev,
                           const lim_phys_rates *end, const lim_phys_rates *mean, double dt)
{
    double bend = 0, k, dist, h;

    now->steps = prev->steps + 1;
    now->dt = dt;
    now->at = *end;
    now->slope_f = (end->ef_kt - prev->at.ef_kt) / dt;
    now->slope_r = (end->er_kt - prev->at.er_kt) / dt;
    if (prev->steps >= 1)
        bend = 2 * fmax(fabs(now->slope_f - prev->slope_f),
                        fabs(now->slope_r - prev->slope_r)) / (dt + prev->dt);
    now->bend = bend;
    bend = fmin(bend, prev->bend);
    /* ngspice's next step is at most twice this one (CKTtrunc): if that
       is short enough already, no breakpoint is needed */
    if (prev->steps < 2 || bend * (2 * dt) * (2 * dt) / 12 <= BEND_REL_ERR)
        return;
    /* Newton's first iteration sees the bias of the point before: its
       slope of zero is no bend (nor is a bias that does not move) */
    if (fabs(now->v_ab - prev->v_ab) <= 1e-9 + 1e-6 * fabs(prev->v_ab) &&
        fabs(now->v_c - prev->v_c) <= 1e-9 + 1e-6 * fabs(prev->v_c))
        return;
    k = fmax(mean->rf + mean->rr, end->rf + end->rr);
    dist = fmax(fabs(end->rf / (end->rf + end->rr) - now->w),
                fabs(mean->rf / (mean->rf + mean->rr) - prev->w));
    h = lim_phys_dev_step_max(bend, k, dist, BEND_REL_ERR, BEND_DW_FLOOR);
    if (isfinite(h))      /* shrinking at most 4 x a step: one odd estimate is no rut */
        cm_analog_set_temp_bkpt(TIME + fmax(h, dt / 4));
}

/* Transient: the exact exponential update of physics.md over [T(1), T(0)]
   with the rates integrated over the step for a bias that moves linearly
   between the two points (lim_phys_dev_rates_step). That is exact when the
   tilt is constant, however the barrier moves in a straight line: w then
   relaxes towards a fixed w_eq by the integral of k. When the tilt moves
   too, w_eq moves within the step and the update with the mean rates is
   exact to first order in the integral of k (w lands on the rate-weighted
   mean of w_eq instead of the end's, as the mid-step rates did). It stays
   stable however stiff the device is. */
static void syn_tran(ARGS, const lim_phys_dev *d, double v_ab, double v_c)
{
    syn_state *now = (syn_state *) cm_analog_get_ptr(SYN_STATE, 0);
    syn_state *prev = (syn_state *) cm_analog_get_ptr(SYN_STATE, 1);
    double dt = TIME - T(1), v_ab_mid = (prev->v_ab + v_ab) / 2;
    double dg = d->g_max - d->g_min, qn = d->z * LIM_PHYS_Q_C * d->n_c;
    double w1, dw_drf, dw_drr, dw_dvab, dw_dvc, g, dhop, unused;
    lim_phys_rates end, mean;

    lim_phys_dev_rates_step(d, TEMPERATURE, prev->at.kt_ev > 0 ? &prev->at : NULL, prev->v_ab,
                            prev->v_c, v_ab, v_c, &end, &mean);
    if (dt <= 0) {                     /* the first call at time zero (uic) */
        w1 = prev->w;
        dw_dvab = dw_dvc = 0;
        dhop = 0;
    } else {
        lim_phys_dev_advance(mean.rf, mean.rr, prev->w, dt, &w1, &dw_drf, &dw_drr);
        dw_dvab = dw_drf * mean.drf_dvab + dw_drr * mean.drr_dvab;
        dw_dvc = dw_drf * mean.drf_dvc + dw_drr * mean.drr_dvc;
        dhop = qn / dt;                /* the hop current is charge moved / dt */
    }

    /* Register w for ngspice's truncation-error step control and its
       convergence test, then store the exact value over what the
       integrator computed: the error check reads only the stored history. */
    cm_analog_integrate(dt > 0 ? (w1 - prev->w) / dt * LTE_SCALE : 0, &now->w_lte, &unused);
    g = syn_record(now, prev, d, w1, v_ab, v_c, dt);
    now->e_trans = prev->e_trans + qn * v_ab_mid * (w1 - prev->w);
    if (dt > 0)
        syn_limit_step(mif_private, now, prev, &end, &mean, dt);
    else
        syn_start_steps(now, &end);

    OUTPUT(ab) = g * v_ab + dhop * (w1 - prev->w);
    PARTIAL(ab, ab) = g + (dg * v_ab + dhop) * dw_dvab;
    PARTIAL(ab, c) = (dg * v_ab + dhop) * dw_dvc;
    syn_probes(mif_private, w1, &end, now);
}

/* The counter of a time step: its start and length, bit for bit, so a
   retried step redraws the same hops. */
static uint64_t syn_step_counter(double start, double dt)
{
    uint64_t a, b;

    memcpy(&a, &start, sizeof a);
    memcpy(&b, &dt, sizeof b);
    return lim_phys_rng_hash(a, b) & ~(uint64_t)1;
}

/* noise = 1: the hops of one step drawn from the exact two-state
   probabilities with the rates at the step's start, P = 1 - exp(-k dt):
   forward ~ Binomial(N (1 - w), Rf/k P), back ~ Binomial(N w, Rr/k P).
   The state moves in whole carriers and the hop current carries exactly
   their charge. The draw does not depend on the trial voltage, so the
   partials are the conductance alone. */
static void syn_tran_noise(ARGS, const syn_local *loc, double v_ab, double v_c)
{
    const lim_phys_dev *d = &loc->dev;
    syn_state *now = (syn_state *) cm_analog_get_ptr(SYN_STATE, 0);
    syn_state *prev = (syn_state *) cm_analog_get_ptr(SYN_STATE, 1);
    double dt = TIME - T(1), n = loc->carriers, up = round(prev->w * n);
    double fwd = 0, back = 0, g, v_mid = (prev->v_ab + v_ab) / 2;
    lim_phys_rates r;

    lim_phys_dev_rates(d, TEMPERATURE, prev->v_ab, prev->v_c, &r);
    if (dt > 0 && r.rf + r.rr > 0) {
        double k = r.rf + r.rr, pk = -expm1(-k * dt);
        uint64_t c = syn_step_counter(T(1), dt);
        fwd = lim_phys_binomial(n - up, r.rf / k * pk, lim_phys_rng_uniform(loc->key, c));
        back = lim_phys_binomial(up, r.rr / k * pk, lim_phys_rng_uniform(loc->key, c + 1));
    }
    /* Not registered with the truncation check: random jumps would read as
       curvature and shrink the step, and the draw is exact for rates held
       over any step. */
    g = syn_record(now, prev, d, (up + fwd - back) / n, v_ab, v_c, dt);
    now->e_trans = prev->e_trans + d->z * LIM_PHYS_Q_C * v_mid * (fwd - back);
    OUTPUT(ab) = g * v_ab + (dt > 0 ? d->z * LIM_PHYS_Q_C * (fwd - back) / dt : 0);
    PARTIAL(ab, ab) = g;
    PARTIAL(ab, c) = 0;
    syn_probes(mif_private, now->w, &r, now);
}

void cm_lim_synapse(ARGS)
{
    syn_local *loc = INIT ? syn_init(mif_private) : STATIC_VAR(locdata);
    double v_ab, v_c;
    syn_call call;

    if (!loc || loc->refused) {
        syn_open(mif_private);
        return;
    }
    call = syn_call_kind(mif_private);
    /* MIFload reads no INPUT when ANALYSIS says AC, even where the call
       is an operating point (an .ac before a .noise) */
    v_ab = ANALYSIS == MIF_AC ? syn_port_v(mif_private->conn[0]->port[0]) : INPUT(ab);
    v_c = ANALYSIS == MIF_AC ? syn_port_v(mif_private->conn[1]->port[0]) : INPUT(c);
    if (syn_stateless()) {
        syn_stateless_stamp(mif_private, loc, v_ab);
    } else if (call == SYN_CALL_AC) {
        /* small signal at the frozen state: the hop term's small-signal
           part is left out on purpose (README says why) */
        syn_stamp(mif_private, syn_read_g(loc), v_ab);
    } else if (call == SYN_CALL_TRAN && loc->dev.noise == 1) {
        syn_tran_noise(mif_private, loc, v_ab, v_c);
    } else if (call == SYN_CALL_TRAN) {
        syn_tran(mif_private, &loc->dev, v_ab, v_c);
    } else {
        syn_dc(mif_private, &loc->dev, v_ab, v_c);
    }
}


/* == Pole-zero and noise: the hooks cmpp leaves empty =======================
   cmpp writes NULL for a code model's DEVpzLoad and DEVnoise, so ngspice 39
   leaves every code model out of .pz and gives it no noise in .noise. The
   device table is this library's own data (ifspec.c), and ngspice keeps a
   pointer to it, so the model fills them in when the .cm is loaded.
   Both see the device as AC does: the read conductance at the stored state.
   The structures they read are ngspice's own, from the headers the .cm is
   built against; tests/t-decks.c checks the results against closed
   forms. */

extern SPICEdev cm_lim_synapse_info;   /* cmpp's table entry (ifspec.c) */

/* The card data of an instance, reached as the code model reaches it. */
static syn_local *syn_inst_local(MIFinstance *here)
{
    Mif_Private_t view;
    Mif_Private_t *mif_private = &view;

    memset(&view, 0, sizeof view);
    view.num_inst_var = here->num_inst_var;
    view.inst_var = here->inst_var;
    return (syn_local *) STATIC_VAR(locdata);
}

/* The a-b port's matrix entries for its own voltage. */
static Mif_G_Ptr_t *syn_inst_g_ptr(MIFinstance *here)
{
    return &here->conn[0]->port[0]->smp_data.input[0].port[0].g;
}

/* .pz makes a new matrix (CKTpzSetup: NIdestroy, NIinit) and has each
   device make its entries there again: a resistor's DEVpzSetup is its
   DEVsetup. A .cm's only way to make matrix entries is MIFsetup, which
   expects MIFunsetup to have released what it allocates. MIFunsetup would
   also destroy the card data the load below needs, so the callback is
   held back for the call: the next analysis unsets the device again, and
   then the callback frees it. */
static int syn_pz_setup(SMPmatrix *matrix, GENmodel *models, CKTcircuit *ckt, int *states)
{
    MIFmodel *m;
    MIFinstance *here;
    int err;

    for (m = (MIFmodel *) models; m; m = MIFnextModel(m))
        for (here = MIFinstances(m); here; here = MIFnextInstance(here))
            here->callback = NULL;
    err = MIFunsetup(models, ckt);
    for (m = (MIFmodel *) models; m; m = MIFnextModel(m))
        for (here = MIFinstances(m); here; here = MIFnextInstance(here))
            here->callback = syn_inst_local(here) ? syn_callback : NULL;
    return err ? err : MIFsetup(matrix, models, ckt, states);
}

/* .pz: the read conductance in the complex matrix at every s. */
static int syn_pz_load(GENmodel *models, CKTcircuit *ckt, SPcomplex *s)
{
    MIFmodel *m;
    MIFinstance *here;

    (void) ckt;
    (void) s;           /* a conductance is the same at every frequency */
    for (m = (MIFmodel *) models; m; m = MIFnextModel(m))
        for (here = MIFinstances(m); here; here = MIFnextInstance(here)) {
            syn_local *loc = syn_inst_local(here);
            Mif_G_Ptr_t *p = syn_inst_g_ptr(here);
            double g;

            if (!loc || loc->refused)   /* never loaded, or open */
                continue;
            g = syn_read_g(loc);
            *p->pos_poscntl += g;       /* real parts; the imaginary ones follow */
            *p->pos_negcntl -= g;
            *p->neg_poscntl -= g;
            *p->neg_negcntl += g;
        }
    return OK;
}

/* The integral of a noise density over the last frequency step, for a
   density that is a power of the frequency between the two points: what
   ngspice's Nintegrate (ninteg.c) does, which a .cm cannot call. */
static double syn_noise_integral(double dens, double ln_dens, double ln_last, const Ndata *data)
{
    double exponent = (ln_dens - ln_last) / data->delLnFreq, a;

    if (fabs(exponent) < N_INTFTHRESH)
        return dens * data->delFreq;
    a = exp(fmin(ln_dens - exponent * data->lnFreq, 700));
    exponent += 1;
    if (fabs(exponent) < N_INTUSELOG)
        return a * (data->lnFreq - data->lnLastFreq);
    return a * (exp(exponent * data->lnFreq) - exp(exponent * data->lnLastFreq)) / exponent;
}

/* .noise: the thermal noise of the read conductance, 4 k T G [A^2/Hz] at the
   device temperature (circuit plus dtemp), carried to the output by the
   adjoint solution as ngspice's resistor does (nevalsrc.c, resnoise.c).
   Only while the .noise analysis runs (MODEACNOISE): the .sp analysis
   calls the same hook for its own noise with other data. The device adds
   to the totals but has no line of its own in a summary (pts_per_summary):
   naming one needs the front end, which a .cm cannot reach. */
static int syn_noise(int mode, int operation, GENmodel *models, CKTcircuit *ckt,
                     Ndata *data, double *out_dens)
{
    MIFmodel *m;
    MIFinstance *here;

    if (operation != N_CALC || mode != N_DENS || !(ckt->CKTmode & MODEACNOISE))
        return OK;
    for (m = (MIFmodel *) models; m; m = MIFnextModel(m))
        for (here = MIFinstances(m); here; here = MIFnextInstance(here)) {
            syn_local *loc = syn_inst_local(here);
            const Mif_Smp_Ptr_t *n = &here->conn[0]->port[0]->smp_data;
            double re, im, dens, ln_dens;

            if (!loc || loc->refused)
                continue;
            re = ckt->CKTrhs[n->pos_node] - ckt->CKTrhs[n->neg_node];
            im = ckt->CKTirhs[n->pos_node] - ckt->CKTirhs[n->neg_node];
            dens = 4 * CONSTboltz * (ckt->CKTtemp + loc->dev.dtemp) * syn_read_g(loc)
                 * (re * re + im * im);
            ln_dens = log(fmax(dens, N_MINLOG));
            *out_dens += dens;
            if (data->delFreq != 0) {   /* the first point only starts the history */
                data->outNoiz += syn_noise_integral(dens, ln_dens, loc->ln_noise_last, data);
                data->inNoise += syn_noise_integral(dens * data->GainSqInv,
                                                    ln_dens + data->lnGainInv,
                                                    loc->ln_noise_last + data->lnGainInv, data);
            }
            loc->ln_noise_last = ln_dens;
        }
    return OK;
}

/* Runs when ngspice loads the .cm, before any circuit exists. The one
   write to a global here: the device table is the interface itself. */
__attribute__((constructor)) static void syn_fill_hooks(void)
{
    cm_lim_synapse_info.DEVpzSetup = syn_pz_setup;
    cm_lim_synapse_info.DEVpzLoad = syn_pz_load;
    cm_lim_synapse_info.DEVnoise = syn_noise;
}
