/*
** cmd_train.c - `limspice train` and `limspice infer`.
** See LICENSE for copyright.
*/
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "card.h"
#include "cli.h"
#include "host.h"
#include "cmds.h"
#include "outfile.h"
#include "plot.h"
#include "train_report.h"
#include "weights.h"

static const char usage[] =
"Usage: limspice train [options] [--out DIR]\n"
"Trains a one-layer network (softmax cross-entropy; squared error for the\n"
"synthetic task) on a simulated lim_synapse crossbar, or with --hidden a\n"
"two-layer one on two crossbars, closed loop inside one ngspice transient,\n"
"and measures from supply power what each weight update costs against the\n"
"LIM estimate, Landauer's limit and a conventional memory.\n"
"\n"
"Data:\n"
"  --data D          iris (shipped), synthetic (linear, known weights) or a\n"
"                    FILE.csv: a header row, feature columns, integer label\n"
"                    last; default iris. Split 80/20, stratified, by --seed.\n"
"Array and device:\n"
"  --card FILE       the lim_synapse card (.model ... lim_synapse(...))\n"
"  --model NAME      the card's name in FILE (default: the first)\n"
"  --param N=V       set a card parameter (repeatable; limspice params)\n"
"  --rows R          array rows, >= features + 1 (default: exactly that)\n"
"  --cols C          physical columns, even, >= 2 x outputs (default: that)\n"
"  --r-wire OHM      wire resistance per segment, [0, 1e12]; default 0\n"
"  --hidden N        hidden units, [0, 127]: 0 (default) one layer; N, inputs\n"
"                    -> N -> outputs on two arrays in one deck, backpropagated\n"
"                    by reading array 2 backwards (physics.md 6); the data and\n"
"                    N size the arrays (no --rows/--cols)\n"
"  --activation F    the hidden units' f: sigmoid (1/(1+e^-a), default) or hard\n"
"                    (min(1, max(0, 1/2 + a/4)))\n"
"  --conventional    train the fixed-barrier memory (kappa = 0, V/2 writes)\n"
"  --noise           stochastic hops (the card's noise = 1); the summary then\n"
"                    gives the update error and the bits it resolves\n"
"  --n-c N           carriers per device (the card's n_c), (0, 1e12]\n"
"  --compare         train LIM and conventional, and compare them\n"
"  --with-serial     with --compare: also LIM with the serial write, beside\n"
"                    them (written as *_serial.csv)\n"
"  --r-barrier OHM   barrier drivers' source resistance, (0, 1e12]; default 1e4\n"
"  --barrier-edge S  barrier drivers' edges, linear ramps [s], [1e-12, 1e-6];\n"
"                    default 1e-12 (a switch: C V^2 lost per cycle); ramps much\n"
"                    longer than R C charge the lines adiabatically\n"
"  --c-gate F        gate capacitance per device on its barrier line [F],\n"
"                    [0, 1e-6]; default 1e-16\n"
"  --c-line F        barrier-line wire capacitance per cell [F], [0, 1e-6];\n"
"                    default 2e-17\n"
"Schedule and write rule:\n"
"  --schedule S      inverse, power or exp; default inverse\n"
"  --eps0 X          first learning rate, (0, 1]; default 1\n"
"  --p X             power-law exponent, (0.5, 1]; default 0.75\n"
"  --gamma X         exponential decay, (0, 1]; default 0.999\n"
"  --alpha X         Rn = R1 eps^(1+alpha), (0, 1); default 0.5\n"
"  --r1 HZ           update rate of step 1 [1/s], (0, r_max]; default 1e6\n"
"  --epochs N        passes over the training split, >= 1; default 3\n"
"  --steps N         stop after N steps instead (>= 1)\n"
"  --eta X           change of w+ - w- per unit eps g, (0, 100]; default 0.2\n"
"  --gain X          logit per unit weight and input, (0, 1000]; default 3\n"
"  --tilt KT         LIM write tilt [kT], (0, 20]; default 3\n"
"  --v-read V        read voltage per unit input [V], (0, 100]; default 0.1\n"
"  --temp T          temperature with unit (300K, 27C); default 27C\n"
"  --bits B          precision for the Landauer line, (0, 64]; default 8\n"
"  --seed N          split and sample order; default 1\n"
"Write scheme (physics.md section 6):\n"
"  --write W         parallel (every device in one window) or serial (a window\n"
"                    per physical column); default parallel\n"
"  --slots BL        parallel: slots of a row pulse (LIM) or a pulse train\n"
"                    (conventional), [1, 256]; default 8\n"
"  --levels L        parallel LIM: barrier levels of the column drivers, 0 for\n"
"                    continuous or [2, 256]; default 0\n"
"  --floor F         parallel: columns with an error under F x the largest are\n"
"                    not written, [0, 1); default 0.01\n"
"  --min-slot S      parallel LIM: the drivers' shortest pulse [s], a slot's\n"
"                    least length, [1e-10, 1e-6]; default 0.3e-9 (3 ramps)\n"
"Afterwards:\n"
"  --hold DURATION   raise the barrier and hold (10y, 1d, 3600s; at most 1e6y),\n"
"                    then test again\n"
"  --hold-temp T     temperature of the hold; default --temp\n"
"  --weights-out F   the trained states as CSV row,col,w,g_S (two layers:\n"
"                    layer,row,col,w,g_S)\n"
"Output:\n"
"  --out DIR         steps.csv, summary.csv, report.md and PNG plots in DIR\n"
"                    (with --compare also *_conventional.csv)\n"
"  --no-plots        leave the PNG plots out of --out (sweeps)\n"
"  --quiet           no progress on stderr\n"
"  --dry-run         check the options, card and data, then stop\n"
"  -h, --help        this text\n"
"Without --out the summary (metric,value,unit) goes to stdout.\n"
"Exit status: 0 ok, 1 the simulation failed, 2 bad usage or input.\n";

enum { O_DATA = 256, O_CARD, O_MODEL, O_PARAM, O_ROWS, O_COLS, O_RWIRE, O_CONV, O_CMP,
       O_SCHED, O_EPS0, O_P, O_GAMMA, O_ALPHA, O_R1, O_EPOCHS, O_STEPS, O_ETA, O_GAIN,
       O_TILT, O_VREAD, O_TEMP, O_BITS, O_SEED, O_HOLD, O_HOLDT, O_WOUT, O_WIN, O_OUT,
       O_QUIET, O_NOISE, O_NC, O_NOPLOTS, O_DRY, O_WRITE, O_SLOTS, O_LEVELS, O_FLOOR,
       O_SERIAL, O_MINSLOT, O_HIDDEN, O_ACT, O_RBAR, O_BEDGE, O_CGATE, O_CLINE };

static const struct option longopts[] = {
	{"data", 1, 0, O_DATA}, {"card", 1, 0, O_CARD}, {"model", 1, 0, O_MODEL},
	{"param", 1, 0, O_PARAM}, {"rows", 1, 0, O_ROWS}, {"cols", 1, 0, O_COLS},
	{"r-wire", 1, 0, O_RWIRE}, {"conventional", 0, 0, O_CONV}, {"compare", 0, 0, O_CMP},
	{"with-serial", 0, 0, O_SERIAL},
	{"schedule", 1, 0, O_SCHED}, {"eps0", 1, 0, O_EPS0}, {"p", 1, 0, O_P},
	{"gamma", 1, 0, O_GAMMA}, {"alpha", 1, 0, O_ALPHA}, {"r1", 1, 0, O_R1},
	{"epochs", 1, 0, O_EPOCHS}, {"steps", 1, 0, O_STEPS}, {"eta", 1, 0, O_ETA},
	{"gain", 1, 0, O_GAIN}, {"tilt", 1, 0, O_TILT}, {"v-read", 1, 0, O_VREAD},
	{"temp", 1, 0, O_TEMP}, {"bits", 1, 0, O_BITS}, {"seed", 1, 0, O_SEED},
	{"hold", 1, 0, O_HOLD}, {"hold-temp", 1, 0, O_HOLDT}, {"weights-out", 1, 0, O_WOUT},
	{"weights-in", 1, 0, O_WIN}, {"out", 1, 0, O_OUT}, {"quiet", 0, 0, O_QUIET},
	{"noise", 0, 0, O_NOISE}, {"n-c", 1, 0, O_NC}, {"no-plots", 0, 0, O_NOPLOTS},
	{"dry-run", 0, 0, O_DRY}, {"write", 1, 0, O_WRITE}, {"slots", 1, 0, O_SLOTS},
	{"levels", 1, 0, O_LEVELS}, {"floor", 1, 0, O_FLOOR}, {"min-slot", 1, 0, O_MINSLOT},
	{"hidden", 1, 0, O_HIDDEN}, {"activation", 1, 0, O_ACT},
	{"r-barrier", 1, 0, O_RBAR}, {"barrier-edge", 1, 0, O_BEDGE}, {"c-gate", 1, 0, O_CGATE},
	{"c-line", 1, 0, O_CLINE},
	{"help", 0, 0, 'h'}, {0, 0, 0, 0}
};

typedef struct {
	lim_train_opts t;
	const char *data, *card, *model, *wout, *win, *out;
	const char *params[64];
	int nparams, compare, with_serial, quiet, no_plots, dry_run;
	double hold_s, hold_temp_k;
	int noise;
	double n_c;             /* 0: the card's */
} opts;

static const char *const sched_words[] = {"inverse", "power", "exp", NULL};

/* Parses argv for verb; CLI_OK, CLI_USAGE, or -1 for --help. */
static int parse(const char *verb, int argc, char **argv, opts *o)
{
	int c, k, rc = CLI_OK;
	double v;

	memset(o, 0, sizeof *o);
	lim_train_default(&o->t);
	o->t.keep_history = 0;             /* the command reads nothing back but points */
	o->data = "iris";
	o->hold_s = NAN;
	o->hold_temp_k = NAN;
	optind = 0;   /* not 1: glibc then forgets an earlier scan (sweeps) */
	opterr = 0;
	while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		const char *name = argv[optind - 1];
		switch (c) {
		case 'h': return -1;
		case O_DATA: o->data = optarg; break;
		case O_CARD: o->card = optarg; break;
		case O_MODEL: o->model = optarg; break;
		case O_PARAM:
			if (o->nparams == 64)
				return cli_usage(verb, "--param: at most 64");
			o->params[o->nparams++] = optarg;
			break;
		case O_ROWS:
			if ((rc = cli_count(verb, "--rows", optarg, 1, &v)) == CLI_OK)
				o->t.rows = v > 256 ? 257 : (int)v;
			break;
		case O_COLS:
			if ((rc = cli_count(verb, "--cols", optarg, 2, &v)) == CLI_OK)
				o->t.pcols = v > 256 ? 257 : (int)v;
			break;
		case O_HIDDEN:
			if ((rc = cli_count(verb, "--hidden", optarg, 0, &v)) == CLI_OK &&
			    v > LIM_TRAIN_HIDDEN_MAX)
				rc = cli_usage(verb, "--hidden: %s: expected 0 to %d", optarg,
				               LIM_TRAIN_HIDDEN_MAX);
			o->t.hidden = (int)fmin(v, LIM_TRAIN_HIDDEN_MAX);
			break;
		case O_ACT: {
			static const char *const acts[] = {"sigmoid", "hard", NULL};
			if ((rc = cli_choice(verb, "--activation", optarg, acts, &k)) == CLI_OK)
				o->t.activation = (lim_train_act)k;
			break;
		}
		case O_RWIRE: rc = cli_real(verb, "--r-wire", optarg, 0, 0, CLI_R_MAX, 0, &o->t.r_wire_ohm); break;
		case O_CONV: o->t.mode = LIM_TRAIN_CONVENTIONAL; break;
		case O_CMP: o->compare = 1; break;
		case O_SERIAL: o->with_serial = 1; break;
		case O_SCHED:
			if ((rc = cli_choice(verb, "--schedule", optarg, sched_words, &k)) == CLI_OK)
				o->t.sched.kind = (lim_phys_sched_kind)k;
			break;
		case O_EPS0: rc = cli_real(verb, "--eps0", optarg, 0, 1, 1, 0, &o->t.sched.eps0); break;
		case O_P: rc = cli_real(verb, "--p", optarg, 0.5, 1, 1, 0, &o->t.sched.p); break;
		case O_GAMMA: rc = cli_real(verb, "--gamma", optarg, 0, 1, 1, 0, &o->t.sched.gamma); break;
		case O_ALPHA: rc = cli_real(verb, "--alpha", optarg, 0, 1, 1, 1, &o->t.sched.alpha); break;
		case O_R1: rc = cli_real(verb, "--r1", optarg, 0, 1, HUGE_VAL, 0, &o->t.r1_hz); break;
		case O_EPOCHS:
			if ((rc = cli_count(verb, "--epochs", optarg, 1, &v)) == CLI_OK)
				o->t.epochs = v > 1e6 ? 1000000 : (int)v;
			break;
		case O_STEPS:
			if ((rc = cli_count(verb, "--steps", optarg, 1, &v)) == CLI_OK)
				o->t.max_steps = (long)fmin(v, 1e9);
			break;
		case O_ETA: rc = cli_real(verb, "--eta", optarg, 0, 1, 100, 0, &o->t.eta); break;
		case O_GAIN: rc = cli_real(verb, "--gain", optarg, 0, 1, 1000, 0, &o->t.gain); break;
		case O_TILT: rc = cli_real(verb, "--tilt", optarg, 0, 1, 20, 0, &o->t.tilt_kt); break;
		case O_VREAD: rc = cli_real(verb, "--v-read", optarg, 0, 1, CLI_V_MAX, 0, &o->t.v_read); break;
		case O_TEMP: rc = cli_temp(verb, "--temp", optarg, &o->t.temp_k); break;
		case O_BITS: rc = cli_real(verb, "--bits", optarg, 0, 1, 64, 0, &o->t.bits); break;
		case O_SEED:
			if ((rc = cli_count(verb, "--seed", optarg, 0, &v)) == CLI_OK)
				o->t.seed = (uint64_t)v;
			break;
		case O_HOLD: rc = cli_duration(verb, "--hold", optarg, &o->hold_s); break;
		case O_HOLDT: rc = cli_temp(verb, "--hold-temp", optarg, &o->hold_temp_k); break;
		case O_WOUT: o->wout = optarg; break;
		case O_WIN: o->win = optarg; break;
		case O_OUT: o->out = optarg; break;
		case O_QUIET: o->quiet = 1; break;
		case O_NOISE: o->noise = 1; break;
		case O_NC: rc = cli_real(verb, "--n-c", optarg, 0, 1, LIM_PHYS_N_C_MAX, 0, &o->n_c); break;
		case O_NOPLOTS: o->no_plots = 1; break;
		case O_DRY: o->dry_run = 1; break;
		case O_WRITE: {
			static const char *const schemes[] = {"parallel", "serial", NULL};
			int which;
			if ((rc = cli_choice(verb, "--write", optarg, schemes, &which)) == CLI_OK)
				o->t.write = (lim_train_write)which;
			break;
		}
		case O_SLOTS:
			if ((rc = cli_count(verb, "--slots", optarg, 1, &v)) == CLI_OK && v > 256)
				rc = cli_usage(verb, "--slots: %s: expected at most 256", optarg);
			o->t.slots = (int)v;
			break;
		case O_LEVELS:
			if ((rc = cli_count(verb, "--levels", optarg, 0, &v)) == CLI_OK &&
			    (v == 1 || v > 256))
				rc = cli_usage(verb, "--levels: %s: expected 0 (continuous) or 2 to 256",
				                optarg);
			o->t.levels = (int)v;
			break;
		case O_FLOOR: rc = cli_real(verb, "--floor", optarg, 0, 0, 1, 1, &o->t.floor); break;
		case O_MINSLOT:
			rc = cli_real(verb, "--min-slot", optarg, 1e-10, 0, 1e-6, 0, &o->t.min_slot_s);
			break;
		/* a driver of 0 ohm would take a line's whole charge back for free:
		** moving the barrier would look costless */
		case O_RBAR:
			rc = cli_real(verb, "--r-barrier", optarg, 0, 1, CLI_R_MAX, 0, &o->t.r_barrier_ohm);
			break;
		case O_BEDGE:
			rc = cli_real(verb, "--barrier-edge", optarg, 1e-12, 0, 1e-6, 0, &o->t.barrier_edge_s);
			break;
		case O_CGATE: rc = cli_real(verb, "--c-gate", optarg, 0, 0, CLI_C_MAX, 0, &o->t.c_gate_f); break;
		case O_CLINE: rc = cli_real(verb, "--c-line", optarg, 0, 0, CLI_C_MAX, 0, &o->t.c_line_f); break;
		default: return cli_bad_option(verb, c, name);
		}
	}
	if ((rc = cli_end_options(verb, rc, argc, argv)) != CLI_OK)
		return rc;
	if (o->t.levels > 1 && !(o->t.floor > 0))   /* the levels span kT ln(1/floor) */
		return cli_usage(verb, "--levels %d: expected --floor above 0 too: the levels span "
		                 "kT ln(1/floor) of barrier", o->t.levels);
	if (o->t.hidden && (o->t.rows || o->t.pcols))
		return cli_usage(verb, "--rows/--cols with --hidden %d: expected neither: the data "
		                 "and the hidden units size both arrays", o->t.hidden);
	if (o->with_serial && (!o->compare || o->t.write == LIM_TRAIN_WRITE_SERIAL))
		return cli_usage(verb, "--with-serial: expected --compare with the parallel write");
	if (isnan(o->hold_temp_k))
		o->hold_temp_k = o->t.temp_k;
	return CLI_OK;
}

/* Card, data, split and standardisation: everything that can be refused
** before a simulation starts. */
static int prepare(const char *verb, opts *o, lim_dataset *d, int **train, int *ntrain,
                   int **test, int *ntest)
{
	char err[1024], path[4096];
	int rc;

	if (lim_card_build(o->card, o->model, o->params, o->nparams, &o->t.card, err, sizeof err) != 0)
		return cli_usage(verb, "%s", err);
	if (o->noise)                      /* they override the card */
		o->t.card.noise = 1;
	if (o->n_c > 0)
		o->t.card.n_c = o->n_c;
	if (lim_phys_dev_check_temp(&o->t.card, o->t.temp_k, err, sizeof err) != LIM_PHYS_OK ||
	    lim_phys_dev_check_temp(&o->t.card, o->hold_temp_k, err, sizeof err) != LIM_PHYS_OK)
		return cli_usage(verb, "--temp/--hold-temp with the card's dtemp: %s", err);
	if (!(o->t.r1_hz <= o->t.card.r_max))
		return cli_usage(verb, "--r1: %g /s is above the card's r_max %g Hz, expected a "
		                 "rate in (0, r_max]", o->t.r1_hz, o->t.card.r_max);
	if (!strcmp(o->data, "iris")) {
		if (host_data_file("sklearn_iris.csv", path, sizeof path) != 0) {
			cli_say(verb, "--data iris: sklearn_iris.csv is not beside limspice "
			        "(testbenches/data/ or share/limspice/data/)");
			return CLI_FAIL;
		}
		rc = lim_data_load_iris(path, d, err, sizeof err);
	} else if (!strcmp(o->data, "synthetic")) {
		rc = lim_data_synthetic(200, 4, 2, o->t.seed, d);
		snprintf(err, sizeof err, "out of memory");
	} else {
		rc = lim_data_load_csv(o->data, d, err, sizeof err);
	}
	if (rc != 0) {
		cli_say(verb, "--data: %s", err);
		return CLI_USAGE;
	}
	if (d->n < 5) {
		cli_say(verb, "--data: %s has %d samples: expected at least 5", d->name, d->n);
		lim_data_free(d);
		return CLI_USAGE;
	}
	if (o->t.hidden && d->nfeat + 1 > 256) {
		cli_say(verb, "--data: %s has %d features: a two-layer network takes at most 255",
		        d->name, d->nfeat);
		lim_data_free(d);
		return CLI_USAGE;
	}
	{
		int r, p;
		lim_train_array_size(d, &r, &p);
		if ((o->t.rows && o->t.rows < r) || (o->t.pcols && (o->t.pcols < p || o->t.pcols % 2)) ||
		    o->t.rows > 256 || o->t.pcols > 256) {
			cli_say(verb, "--rows/--cols: a %d x %d array is too small for %s: it needs "
			        "at least %d rows (%d features and a bias) and an even %d columns or "
			        "more (a pair per output), at most 256", o->t.rows ? o->t.rows : r,
			        o->t.pcols ? o->t.pcols : p, d->name, r, d->nfeat, p);
			lim_data_free(d);
			return CLI_USAGE;
		}
	}
	if (lim_data_split(d, 0.2, o->t.seed, train, ntrain, test, ntest) != 0) {
		lim_data_free(d);
		return cli_say(verb, "out of memory"), CLI_FAIL;
	}
	if (*ntest == 0) {   /* an accuracy of nothing would read as a result */
		cli_say(verb, "--data: %s: the stratified 80/20 split leaves no test sample "
		        "(%d samples in %d classes): expected at least 3 samples in a class",
		        d->name, d->n, d->nclass);
		free(*train);
		free(*test);
		lim_data_free(d);
		return CLI_USAGE;
	}
	if (d->nclass)   /* synthetic inputs are already on a unit scale */
		lim_data_standardise(d, *train, *ntrain);
	return CLI_OK;
}

typedef struct {
	const char *label;
	double t0, said_s;   /* start and last line [s, monotonic] */
	int tty;
	long last;
} progress;

/* decay_per_write above which a run is warned: k t = 0.5 leaves e^-0.5,
** 61 %, of an idle device's distance from 1/2. */
#define DECAY_WARN 0.5
/* k t a held column may gather in a step's window before a run is warned. */
#define HELD_WARN 0.01

/* A line per tenth of the run, and also after the first step and at least
** every PROGRESS_EVERY_S: a large array's step can take minutes, and a
** silent run cannot be told from a hung one. */
#define PROGRESS_EVERY_S 10.0

static void on_progress(void *ctx, long step, long nsteps)
{
	progress *p = ctx;
	double now = cli_now_s(), el = now - p->t0, eta = el / step * (nsteps - step);

	if (p->tty)
		fprintf(stderr, "\rlimspice: train %s: step %ld/%ld, %.0f s elapsed, ETA %.0f s   %s",
		        p->label, step, nsteps, el, eta, step == nsteps ? "\n" : "");
	else if (step == 1 || step == nsteps || step * 10 / nsteps != p->last * 10 / nsteps ||
	         now - p->said_s >= PROGRESS_EVERY_S) {
		fprintf(stderr, "limspice: train %s: step %ld/%ld, ETA %.0f s\n", p->label, step,
		        nsteps, eta);
		p->said_s = now;
	}
	p->last = step;
}

/* The test reads of a run's network with states w (and w2, two layers). */
static int infer_run(lim_session *s, const lim_dataset *d, const int *test, int ntest,
                     const train_run_out *out, const double *w, const double *w2,
                     double *score, char *err, size_t n)
{
	if (out->r.layers == 2)
		return lim_train_infer2(s, d, test, ntest, &out->opts, w, w2, score, NULL, err, n);
	return lim_train_infer(s, d, test, ntest, &out->opts, out->r.rows, out->r.pcols, w, score,
	                       NULL, err, n);
}

/* One training run, then the test reads and the hold. */
static int run_one(const char *verb, lim_session *s, const opts *o, const lim_dataset *d,
                   const int *train, int ntrain, const int *test, int ntest,
                   lim_train_mode mode, lim_train_write write, train_run_out *out)
{
	const char *label = mode == LIM_TRAIN_LIM ? (write == o->t.write ? "LIM" : "LIM serial") :
	                    "conventional";
	progress pr = {label, cli_now_s(), 0, isatty(2), 0};
	char err[1024];

	if (!o->quiet)   /* before the first step, which may be long */
		cli_say(verb, "%s: %ld steps; the first progress line after step 1", pr.label,
		        lim_train_planned_steps(&o->t, ntrain));

	memset(out, 0, sizeof *out);
	out->label = mode == LIM_TRAIN_LIM ? "lim" : "conventional";
	out->opts = o->t;
	out->opts.mode = mode;
	out->opts.write = write;
	out->hold_score = NAN;
	if (lim_train_run(s, d, train, ntrain, &out->opts, &out->r, o->quiet ? NULL : on_progress,
	              &pr, err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		return CLI_FAIL;
	}
	if (mode == LIM_TRAIN_LIM) {
		/* A column held at e_b0 still sees every row pulse at the write tilt
		** (physics.md 6): 7e-9 /s on the default card, but a fitted card
		** may have a low e_b0. Its k t over a step's write window: */
		lim_phys_rates held;
		double kt_ev = lim_phys_kt_ev(out->opts.temp_k + out->opts.card.dtemp);
		double window = out->r.nsteps ? out->r.sim_time_s / out->r.nsteps : 0;
		lim_phys_dev_rates(&out->opts.card, out->opts.temp_k - LIM_PHYS_ZERO_C_IN_K,
		                   out->opts.tilt_kt * kt_ev / out->opts.card.z, 0, &held);
		if ((held.rf + held.rr) * window > HELD_WARN)
			cli_say(verb, "%s: warning: a column held at e_b0 = %g eV relaxes at %.3g /s "
			        "under the row pulses, k t = %.3g per step: held states drift (raise "
			        "e_b0)", pr.label, out->opts.card.e_b0, held.rf + held.rr,
			        (held.rf + held.rr) * window);
	}
	if (out->r.decay_max > DECAY_WARN)   /* said even with --quiet: it changes the result */
		cli_say(verb, "%s: warning: decay per write %.2f: a device whose pulse ended early "
		        "relaxes toward 1/2 by up to %.0f %% of its step while its barrier is "
		        "still low, undoing small-input updates (physics.md 6, idle decay); a "
		        "larger --tilt or smaller --eta lowers it", pr.label, out->r.decay_max,
		        100 * -expm1(-out->r.decay_max));
	if (infer_run(s, d, test, ntest, out, out->r.w, out->r.w2, &out->test_score, err,
	              sizeof err) != 0) {
		cli_say(verb, "test reads: %s", err);
		return CLI_FAIL;
	}
	if (!isnan(o->hold_s)) {
		size_t cells = (size_t)out->r.rows * out->r.pcols;
		size_t cells2 = (size_t)out->r.rows2 * out->r.pcols2;
		double *w = malloc(cells * sizeof *w), *w2 = malloc((cells2 + 1) * sizeof *w2);
		int rc;
		if (!w || !w2) {
			free(w);
			free(w2);
			return cli_say(verb, "out of memory"), CLI_FAIL;
		}
		memcpy(w, out->r.w, cells * sizeof *w);
		if (cells2)
			memcpy(w2, out->r.w2, cells2 * sizeof *w2);
		out->hold_s = o->hold_s;
		out->hold_temp_k = o->hold_temp_k;
		/* both arrays of a two-layer network in one deck */
		rc = (out->r.layers == 2 ?
		      lim_train_hold2(s, &out->opts, d, w, w2, o->hold_s, o->hold_temp_k, err,
		                      sizeof err) :
		      lim_train_hold(s, &out->opts, out->r.rows, out->r.pcols, w, o->hold_s,
		                     o->hold_temp_k, err, sizeof err)) != 0 ||
		     infer_run(s, d, test, ntest, out, w, w2, &out->hold_score, err, sizeof err) != 0;
		free(w);
		free(w2);
		if (rc) {
			cli_say(verb, "hold: %s", err);
			return CLI_FAIL;
		}
	}
	out->wall_s = cli_now_s() - pr.t0;
	out->weight_error = NAN;
	if (d->w_true && out->r.layers == 1) {   /* the learned weights against the known ones */
		int i, no = d->nout, cells = (d->nfeat + 1) * no;
		double lo = INFINITY, hi = -INFINITY, worst = 0;
		double *weff = malloc((size_t)out->r.rows * (out->r.pcols / 2) * sizeof *weff);
		if (!weff)
			return cli_say(verb, "out of memory"), CLI_FAIL;
		lim_train_weights(out->r.rows, out->r.pcols, out->r.w, weff);
		for (i = 0; i < cells; i++) {   /* row i / no, output i % no */
			double wt = d->w_true[i], we = weff[(i / no) * (out->r.pcols / 2) + i % no];
			lo = fmin(lo, wt);
			hi = fmax(hi, wt);
			worst = fmax(worst, fabs(out->opts.gain * we - wt));
		}
		free(weff);
		out->weight_error = worst / (hi - lo);
	}
	return CLI_OK;
}

/* One more member of set; its stream, or NULL with the reason in err. */
static FILE *add_file(outset *set, const char *dir, const char *name, char *err, size_t n)
{
	outfile *o = outset_add(set, dir, name, err, n);

	return o ? o->f : NULL;
}

/* Fills set, whose directory o->out outset_dir has locked, with the run's
** files; they appear when the caller commits the set. */
/* A run's steps<suffix>.csv and summary<suffix>.csv as members of set.
** 0, or -1 with err. */
static int write_run(outset *set, const char *dir, const char *suffix, const train_run_out *r,
                     int classification, char *err, size_t n)
{
	char name[64];
	FILE *f;

	snprintf(name, sizeof name, "steps%s.csv", suffix);
	if (!(f = add_file(set, dir, name, err, n)))
		return -1;
	train_write_steps(f, r);
	snprintf(name, sizeof name, "summary%s.csv", suffix);
	if (!(f = add_file(set, dir, name, err, n)))
		return -1;
	train_write_summary(f, r, classification);
	return 0;
}

static int write_outputs(const char *verb, outset *set, const opts *o, const char *cmdline,
                         const lim_dataset *d, const train_run_out *a, const train_run_out *b,
                         const train_run_out *serial)
{
	char err[4200];
	int cls = d->nclass > 0;
	FILE *f;

	if (write_run(set, o->out, "", a, cls, err, sizeof err) != 0 ||
	    (b && write_run(set, o->out, "_conventional", b, cls, err, sizeof err) != 0) ||
	    (serial && write_run(set, o->out, "_serial", serial, cls, err, sizeof err) != 0) ||
	    !(f = add_file(set, o->out, "report.md", err, sizeof err)))
		goto fail;
	train_write_report(f, cmdline, d->name, a, b, serial, cls);
	if (!o->no_plots && train_plots(set, o->out, a, b, err, sizeof err) != 0)
		goto fail;
	return CLI_OK;
fail:
	cli_say(verb, "%s", err);
	return CLI_FAIL;
}

/* Claims the outputs before any simulation: --out DIR is created and
** locked, --weights-out FILE opened, so a run that could not save its
** results is refused at once. CLI_OK, or CLI_FAIL after saying why. */
static int claim_outputs(const char *verb, const opts *o, const char *const *names,
                         outset *set, FILE **weights)
{
	char err[4200];

	if (o->out && outset_dir(set, o->out, names, err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		return CLI_FAIL;
	}
	if (weights && o->wout && !(*weights = add_file(set, NULL, o->wout, err, sizeof err))) {
		cli_say(verb, "%s", err);
		return cli_finish_set(verb, set, CLI_FAIL);
	}
	return CLI_OK;
}

static void command_line(int argc, char **argv, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "limspice");
	int i;

	for (i = 0; i < argc && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, " %s", argv[i]);
}

int cmd_train(int argc, char **argv)
{
	static const char verb[] = "train";
	opts o;
	lim_dataset d;
	int *train = NULL, *test = NULL, ntrain, ntest, rc;
	train_run_out a, b, c;
	char err[1024], cmdline[4096];
	lim_session *s;
	outset set;
	FILE *wf = NULL;

	if ((rc = parse(verb, argc, argv, &o)) < 0) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	if (rc != CLI_OK || (rc = prepare(verb, &o, &d, &train, &ntrain, &test, &ntest)) != CLI_OK)
		return rc;
	outset_init(&set);
	if (o.dry_run || (rc = claim_outputs(verb, &o, train_outputs, &set, &wf)) != CLI_OK)
		goto done;
	command_line(argc, argv, cmdline, sizeof cmdline);
	memset(&b, 0, sizeof b);
	memset(&c, 0, sizeof c);
	if (!(s = host_session(NULL, err, sizeof err))) {
		cli_say(verb, "%s", err);
		rc = cli_finish_set(verb, &set, CLI_FAIL);
		goto done;
	}
	rc = run_one(verb, s, &o, &d, train, ntrain, test, ntest,
	             o.compare ? LIM_TRAIN_LIM : o.t.mode, o.t.write, &a);
	if (rc == CLI_OK && o.compare)
		rc = run_one(verb, s, &o, &d, train, ntrain, test, ntest, LIM_TRAIN_CONVENTIONAL,
		             o.t.write, &b);
	if (rc == CLI_OK && o.with_serial)
		rc = run_one(verb, s, &o, &d, train, ntrain, test, ntest, LIM_TRAIN_LIM,
		             LIM_TRAIN_WRITE_SERIAL, &c);
	if (rc == CLI_OK && wf && a.r.layers == 2)
		lim_weights_write2(wf, a.r.rows, a.r.pcols, a.r.w, a.r.rows2, a.r.pcols2, a.r.w2,
		                   &a.opts.card);
	else if (rc == CLI_OK && wf)
		lim_weights_write(wf, a.r.rows, a.r.pcols, &a.opts.card, a.r.w);
	if (rc == CLI_OK && o.out)
		rc = write_outputs(verb, &set, &o, cmdline, &d, &a, o.compare ? &b : NULL,
		                   o.with_serial ? &c : NULL);
	rc = cli_finish_set(verb, &set, rc);
	if (rc == CLI_OK && o.compare) {
		const train_run_out *runs[3] = {&a, &b, &c};
		train_print_compare(stdout, runs, o.with_serial ? 3 : 2, d.nclass > 0);
	}
	else if (rc == CLI_OK && !o.out)
		train_write_summary(stdout, &a, d.nclass > 0);
	lim_train_result_free(&a.r);
	lim_train_result_free(&b.r);
	lim_train_result_free(&c.r);
	lim_sess_close(s);
done:
	free(train);
	free(test);
	lim_data_free(&d);
	return rc;
}

static const char infer_usage[] =
"Usage: limspice infer --weights-in FILE.csv [--data D] [options]\n"
"Reads every sample of the test split (and of all data) through a crossbar\n"
"holding the states in FILE (CSV row,col,w or row,col,g_S, as train\n"
"--weights-out writes) and prints the accuracy as metric,value,unit rows.\n"
"Takes train's --data, --card, --model, --param, --rows, --cols, --r-wire,\n"
"--hidden, --activation, --gain, --v-read, --temp and --seed: use the ones\n"
"the weights were trained with (the seed gives the same split and\n"
"standardisation). With --hidden N, FILE holds both layers\n"
"(layer,row,col,...) and both arrays are read in one deck.\n";

int cmd_infer(int argc, char **argv)
{
	static const char verb[] = "infer";
	opts o;
	lim_dataset d;
	int *train = NULL, *test = NULL, ntrain, ntest, rc, rows, pcols, *all = NULL, i;
	double *w = NULL, *w2 = NULL, test_score, all_score;
	int rows2 = 0, pcols2 = 0;
	char err[1024];
	lim_session *s = NULL;

	if ((rc = parse(verb, argc, argv, &o)) < 0) {
		fputs(infer_usage, stdout);
		return CLI_OK;
	}
	if (rc != CLI_OK)
		return rc;
	if (!o.win)
		return cli_usage(verb, "--weights-in FILE is required");
	if ((rc = prepare(verb, &o, &d, &train, &ntrain, &test, &ntest)) != CLI_OK)
		return rc;
	lim_train_layer_size(&d, &o.t, 0, &rows, &pcols);
	rows = o.t.rows ? o.t.rows : rows;
	pcols = o.t.pcols ? o.t.pcols : pcols;
	if (o.t.hidden)
		lim_train_layer_size(&d, &o.t, 1, &rows2, &pcols2);
	w = malloc((size_t)rows * pcols * sizeof *w);
	w2 = malloc(((size_t)rows2 * pcols2 + 1) * sizeof *w2);
	all = malloc((size_t)d.n * sizeof *all);
	if (!w || !w2 || !all) {
		rc = CLI_FAIL;
		goto done;
	}
	for (i = 0; i < d.n; i++)
		all[i] = i;
	if (lim_weights_read_layer(o.win, o.t.hidden ? 1 : 0, rows, pcols, &o.t.card, w, err,
	                           sizeof err) != 0 ||
	    (o.t.hidden && lim_weights_read_layer(o.win, 2, rows2, pcols2, &o.t.card, w2, err,
	                                          sizeof err) != 0)) {
		cli_say(verb, "--weights-in: %s", err);
		rc = CLI_USAGE;
		goto done;
	}
	if (!(s = host_session(NULL, err, sizeof err)) ||
	    (o.t.hidden ?
	     lim_train_infer2(s, &d, test, ntest, &o.t, w, w2, &test_score, NULL, err,
	                      sizeof err) != 0 ||
	     lim_train_infer2(s, &d, all, d.n, &o.t, w, w2, &all_score, NULL, err, sizeof err) != 0 :
	     lim_train_infer(s, &d, test, ntest, &o.t, rows, pcols, w, &test_score, NULL, err,
	                     sizeof err) != 0 ||
	     lim_train_infer(s, &d, all, d.n, &o.t, rows, pcols, w, &all_score, NULL, err,
	                     sizeof err) != 0)) {
		cli_say(verb, "%s", err);
		rc = CLI_FAIL;
		goto done;
	}
	printf("metric,value,unit\n%s,%.9g,1\n%s,%.9g,1\nsamples_test,%d,1\nsamples_all,%d,1\n",
	       d.nclass ? "test_accuracy" : "test_mse", test_score,
	       d.nclass ? "accuracy_all" : "mse_all", all_score, ntest, d.n);
	rc = CLI_OK;
done:
	if (s)
		lim_sess_close(s);
	free(w);
	free(w2);
	free(all);
	free(train);
	free(test);
	lim_data_free(&d);
	return rc;
}

/* =====================================================================
** limspice precision: energy per update against the bits it resolves
** =================================================================== */

static const char precision_usage[] =
"Usage: limspice precision [--n-c N,N,..] [--tilt KT,KT,..] [train options]\n"
"                          [--out DIR]\n"
"Trains Iris (or --data) with stochastic hops for each carrier count n_c\n"
"and write tilt, and reports what an update cost against how precisely it\n"
"landed: CSV n_c,tilt_kT,update_bits,update_error_rms,energy_per_update_J,\n"
"transition_heat_per_update_J,lim_estimate_per_update_J,landauer_J,\n"
"test_accuracy. --out DIR also gets precision.csv and precision.png: energy\n"
"per update against resolved bits, with Landauer's b kT ln 2 and the LIM\n"
"estimate on the same axes. Defaults: --n-c 30,300,3000 --tilt 2,4, 1 epoch.\n";


/* precision.csv and precision.png, members of set in dir. */
static int precision_outputs(const char *verb, outset *set, const char *dir,
                             const char *csv, double temp_k)
{
	char err[4200], *script = NULL;
	size_t len = 0, cap = 0;
	outfile *png;
	FILE *f;
	int rc = CLI_FAIL;

	if (!(f = add_file(set, dir, "precision.csv", err, sizeof err)) ||
	    !(png = outset_add(set, dir, "precision.png", err, sizeof err))) {
		cli_say(verb, "%s", err);
		return CLI_FAIL;
	}
	fputs(csv, f);
	/* the data go inline: precision.csv has no name of its own until commit */
	plot_add(&script, &len, &cap, "set terminal pngcairo size 900,560\n"
	         "set output '@OUT@'\nset datafile separator ','\nset logscale y\n"
	         "set xlabel 'bits resolved per update'\nset ylabel 'energy per update [J]'\n"
	         "set grid\nset key outside bottom center horizontal\n"
	         "set title 'Energy against precision (stochastic lim\\_synapse)'\n"
	         "$d << EOD\n%sEOD\n"
	         "plot $d skip 1 u 3:5 w p pt 7 t 'measured (write supply)', "
	         "$d skip 1 u 3:6 w p pt 6 t 'transition heat', "
	         "$d skip 1 u 3:7 w p pt 5 t 'LIM estimate', "
	         "x * %.10g * log(2) w l dt 2 lw 2 t 'Landauer, b kT ln 2'\n",
	         csv, lim_phys_kt_j(temp_k));
	if (!script)
		cli_say(verb, "out of memory");
	else if (plot_render(script, png, err, sizeof err) != 0)
		cli_say(verb, "%s", err);
	else
		rc = CLI_OK;
	free(script);
	return rc;
}

int cmd_precision(int argc, char **argv)
{
	static const char verb[] = "precision";
	double ncs[16] = {30, 300, 3000}, tilts[16] = {2, 4};
	int nn = 3, ntl = 2, i, j, rc, *train = NULL, *test = NULL, ntrain, ntest;
	char **rest = malloc((size_t)(argc + 2) * sizeof *rest), err[1024];
	int nrest = 0;
	static const char *const outputs[] = {"precision.csv", "precision.png", NULL};
	opts o;
	lim_dataset d;
	lim_session *s = NULL;
	outset set;
	char *csv = NULL;
	size_t csvlen = 0;
	FILE *mem;

	if (!rest)
		return CLI_FAIL;
	/* take --n-c and --tilt lists here; the rest are train's options */
	rest[nrest++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			free(rest);
			return fputs(precision_usage, stdout), CLI_OK;
		}
		if ((!strcmp(argv[i], "--n-c") || !strcmp(argv[i], "--tilt")) && i + 1 < argc) {
			/* the ranges of train's --n-c and --tilt */
			rc = !strcmp(argv[i], "--n-c") ?
			     cli_reals(verb, "--n-c", argv[i + 1], 0, 1, LIM_PHYS_N_C_MAX, 0, ncs, 16, &nn) :
			     cli_reals(verb, "--tilt", argv[i + 1], 0, 1, 20, 0, tilts, 16, &ntl);
			if (rc != CLI_OK) {
				free(rest);
				return rc;
			}
			i++;
			continue;
		}
		rest[nrest++] = argv[i];
	}
	rest[nrest] = NULL;
	rc = parse(verb, nrest, rest, &o);
	free(rest);
	if (rc < 0)
		return fputs(precision_usage, stdout), CLI_OK;
	if (rc != CLI_OK)
		return rc;
	if (o.t.epochs == 3 && !o.t.max_steps)
		o.t.epochs = 1;                    /* a sweep: one epoch each unless told */
	o.noise = 1;
	if ((rc = prepare(verb, &o, &d, &train, &ntrain, &test, &ntest)) != CLI_OK)
		return rc;
	outset_init(&set);
	if ((rc = claim_outputs(verb, &o, outputs, &set, NULL)) != CLI_OK)
		goto done;
	if (!(s = host_session(NULL, err, sizeof err))) {
		cli_say(verb, "%s", err);
		rc = CLI_FAIL;
		goto done;
	}
	if (!(mem = open_memstream(&csv, &csvlen))) {
		rc = CLI_FAIL;
		goto done;
	}
	fprintf(mem, "n_c,tilt_kT,update_bits,update_error_rms,energy_per_update_J,"
	        "transition_heat_per_update_J,lim_estimate_per_update_J,landauer_J,"
	        "test_accuracy\n");
	for (i = 0; i < nn && rc == CLI_OK; i++)
		for (j = 0; j < ntl && rc == CLI_OK; j++) {
			train_run_out out;
			train_figures g;
			double bits;
			o.t.card.n_c = ncs[i];
			o.t.tilt_kt = tilts[j];
			o.quiet = 1;
			if ((rc = run_one(verb, s, &o, &d, train, ntrain, test, ntest, LIM_TRAIN_LIM,
			                  o.t.write, &out)) != CLI_OK)
				break;
			train_figures_of(&out, &g);
			bits = -log2(out.r.dw_error_rms * sqrt(12));
			fprintf(mem, "%g,%g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", ncs[i], tilts[j], bits,
			        out.r.dw_error_rms, g.per_update_j, g.trans_per_update_j,
			        g.lim_estimate_j, lim_phys_landauer_j(bits, o.t.temp_k), out.test_score);
			if (!o.quiet || isatty(2))
				fprintf(stderr, "limspice: precision: n_c %g, tilt %g kT: %.2f bits\n",
				        ncs[i], tilts[j], bits);
			lim_train_result_free(&out.r);
		}
	fclose(mem);
	if (rc == CLI_OK && o.out)
		rc = precision_outputs(verb, &set, o.out, csv, o.t.temp_k);
	else if (rc == CLI_OK)
		fputs(csv, stdout);
done:
	rc = cli_finish_set(verb, &set, rc);
	free(csv);
	if (s)
		lim_sess_close(s);
	free(train);
	free(test);
	lim_data_free(&d);
	return rc;
}
