/*
** cmd_netlist.c - `limspice netlist crossbar`: write a crossbar deck.
** See LICENSE for copyright.
*/
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "cli.h"
#include "host.h"
#include "cmds.h"
#include "outfile.h"
#include "session.h"
#include "weights.h"
#include "xbar.h"

#define VERB "netlist crossbar"

static const char usage[] =
"Usage: limspice netlist crossbar --rows R --cols C [options] [--out FILE]\n"
"Writes an ngspice deck of R x C lim_synapse devices between row and column\n"
"lines (node names: README.md, Crossbar netlists). It runs as it is in\n"
"ngspice -b (a .control block loads the code model and prints the column\n"
"currents) and through limspice's own drivers.\n"
"\n"
"Array:\n"
"  --rows R            rows (inputs), 1..256; default 4\n"
"  --cols C            weight columns (outputs), 1..256; default 4\n"
"  --differential      two physical columns per weight (plus, minus)\n"
"  --r-wire OHM        resistance of each wire segment on rows and columns,\n"
"                      [0, 1e12]; default 0 (wires left out)\n"
"  --r-source OHM      row driver source resistance, [0, 1e12]; default 0\n"
"  --r-barrier OHM     barrier driver source resistance, [0, 1e12]; default 1e4\n"
"                      (where a line's C V^2 per cycle is dissipated)\n"
"  --barrier global|row|col\n"
"                      barrier control lines: one for all, one per row or one\n"
"                      per physical column; default global\n"
"  --c-gate F          device gate capacitance on its barrier line [F], [0, 1e-6];\n"
"                      default 1e-16 (a 100 nm x 100 nm gate at 1e-2 F/m^2)\n"
"  --c-line F          barrier-line wire capacitance per cell [F], [0, 1e-6];\n"
"                      default 2e-17 (0.2 fF/um over a 100 nm pitch)\n"
"Devices:\n"
"  --card FILE         take the lim_synapse .model card from FILE\n"
"  --model NAME        the card's name in FILE (default: the first)\n"
"  --param NAME=VALUE  set one card parameter (repeatable; limspice params)\n"
"  --weights-in FILE   initial state of every device: CSV row,col,w[,g_S]\n"
"Stimulus:\n"
"  --v-read V          row voltage [V], [-100, 100]; default 0.1\n"
"  --v-barrier V       barrier control voltage [V], [-100, 100]; default 0\n"
"  --analysis LINE     the analysis line; default .op\n"
"  --save-probes       also .save each device's w, e_trans and e_joule\n"
"Output:\n"
"  --osdi              the OSDI device (ngspice 46, pre_osdi): instances n<i>_<p>\n"
"                      with w0 on each instance line and one card (the default\n"
"                      after limspice --ngspice PATH)\n"
"  --cm PATH           code model (or .osdi) for the .control block (default:\n"
"                      the one limspice finds; the path must be lower case)\n"
"  --no-control        leave the .control block out (load the model yourself)\n"
"  --out FILE          write the deck to FILE instead of stdout\n"
"  -h, --help          this text\n";

enum { O_ROWS = 256, O_COLS, O_DIFF, O_RWIRE, O_RSRC, O_BARRIER, O_CGATE, O_CLINE,
       O_CARD, O_MODEL, O_PARAM, O_WIN, O_VREAD, O_VBAR, O_ANALYSIS, O_PROBES,
       O_CM, O_NOCTL, O_OUT, O_RBAR, O_OSDI };

static const struct option longopts[] = {
	{"rows", required_argument, 0, O_ROWS}, {"cols", required_argument, 0, O_COLS},
	{"differential", no_argument, 0, O_DIFF}, {"r-wire", required_argument, 0, O_RWIRE},
	{"r-source", required_argument, 0, O_RSRC}, {"barrier", required_argument, 0, O_BARRIER},
	{"c-gate", required_argument, 0, O_CGATE}, {"c-line", required_argument, 0, O_CLINE},
	{"card", required_argument, 0, O_CARD}, {"model", required_argument, 0, O_MODEL},
	{"param", required_argument, 0, O_PARAM}, {"weights-in", required_argument, 0, O_WIN},
	{"v-read", required_argument, 0, O_VREAD}, {"v-barrier", required_argument, 0, O_VBAR},
	{"analysis", required_argument, 0, O_ANALYSIS}, {"save-probes", no_argument, 0, O_PROBES},
	{"cm", required_argument, 0, O_CM}, {"no-control", no_argument, 0, O_NOCTL},
	{"out", required_argument, 0, O_OUT}, {"r-barrier", required_argument, 0, O_RBAR},
	{"osdi", no_argument, 0, O_OSDI},
	{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}
};

typedef struct {
	lim_xbar_spec x;
	const char *card, *model, *weights, *out, *cm;
	int no_control;
	const char *params[64];
	int nparams;
} opts;

static const char *const barrier_words[] = {"global", "row", "col", NULL};

static int parse(int argc, char **argv, opts *o)
{
	double v;
	int c, k, rc = CLI_OK;

	memset(o, 0, sizeof *o);
	lim_xbar_default(&o->x);
	o->x.osdi = getenv("LIMSPICE_NGSPICE") && *getenv("LIMSPICE_NGSPICE");
	optind = 0;   /* not 1: glibc then forgets an earlier scan (sweeps) */
	opterr = 0;
	while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		const char *name = argv[optind - 1];
		switch (c) {
		case 'h': return -1;
		case O_ROWS:
			if ((rc = cli_count(VERB, "--rows", optarg, 1, &v)) == CLI_OK)
				o->x.rows = v > LIM_XBAR_MAX_SIDE ? LIM_XBAR_MAX_SIDE + 1 : (int)v;
			break;
		case O_COLS:
			if ((rc = cli_count(VERB, "--cols", optarg, 1, &v)) == CLI_OK)
				o->x.cols = v > LIM_XBAR_MAX_SIDE ? LIM_XBAR_MAX_SIDE + 1 : (int)v;
			break;
		case O_DIFF: o->x.differential = 1; break;
		case O_RWIRE: rc = cli_real(VERB, "--r-wire", optarg, 0, 0, CLI_R_MAX, 0, &o->x.r_wire_ohm); break;
		case O_RSRC: rc = cli_real(VERB, "--r-source", optarg, 0, 0, CLI_R_MAX, 0, &o->x.r_source_ohm); break;
		case O_RBAR: rc = cli_real(VERB, "--r-barrier", optarg, 0, 0, CLI_R_MAX, 0, &o->x.r_barrier_ohm); break;
		case O_BARRIER:
			if ((rc = cli_choice(VERB, "--barrier", optarg, barrier_words, &k)) == CLI_OK)
				o->x.barrier = (lim_xbar_barrier)k;
			break;
		case O_CGATE: rc = cli_real(VERB, "--c-gate", optarg, 0, 0, CLI_C_MAX, 0, &o->x.c_gate_f); break;
		case O_CLINE: rc = cli_real(VERB, "--c-line", optarg, 0, 0, CLI_C_MAX, 0, &o->x.c_line_f); break;
		case O_CARD: o->card = optarg; break;
		case O_MODEL: o->model = optarg; break;
		case O_PARAM:
			if (o->nparams == 64)
				return cli_usage(VERB, "--param: at most 64");
			o->params[o->nparams++] = optarg;
			break;
		case O_WIN: o->weights = optarg; break;
		case O_VREAD: rc = cli_real(VERB, "--v-read", optarg, -CLI_V_MAX, 0, CLI_V_MAX, 0, &o->x.v_read); break;
		case O_VBAR: rc = cli_real(VERB, "--v-barrier", optarg, -CLI_V_MAX, 0, CLI_V_MAX, 0, &o->x.v_barrier); break;
		case O_ANALYSIS: o->x.analysis = optarg; break;
		case O_PROBES: o->x.save_probes = 1; break;
		case O_CM: o->cm = optarg; break;
		case O_OSDI: o->x.osdi = 1; break;
		case O_NOCTL: o->no_control = 1; break;
		case O_OUT: o->out = optarg; break;
		default: return cli_bad_option(VERB, c, name);
		}
	}
	if ((rc = cli_end_options(VERB, rc, argc, argv)) != CLI_OK)
		return rc;
	if (o->x.rows > LIM_XBAR_MAX_SIDE || lim_xbar_pcols(&o->x) > LIM_XBAR_MAX_SIDE)
		return cli_usage(VERB, "--rows/--cols: %d x %d physical devices, expected at most "
		                 "%d on each side", o->x.rows, lim_xbar_pcols(&o->x), LIM_XBAR_MAX_SIDE);
	return CLI_OK;
}

/* The card: defaults, then --card FILE, then each --param. */
static int build_card(opts *o)
{
	char err[1024];

	if (lim_card_build(o->card, o->model, o->params, o->nparams, &o->x.card,
	               err, sizeof err) != 0)
		return cli_usage(VERB, "%s", err);
	return CLI_OK;
}

static int has_upper(const char *s)
{
	for (; *s; s++)
		if (isupper((unsigned char)*s))
			return 1;
	return 0;
}

int cmd_netlist(int argc, char **argv)
{
	opts o;
	outfile out;
	double *w = NULL;
	char err[1024], cm[4096];
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "crossbar") != 0)
		return cli_usage("netlist", "unknown kind '%s', expected crossbar", argv[1]);
	if ((rc = parse(argc - 1, argv + 1, &o)) < 0) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	if (rc != CLI_OK || (rc = build_card(&o)) != CLI_OK)
		return rc;
	if (o.weights) {
		size_t cells = (size_t)o.x.rows * lim_xbar_pcols(&o.x);
		if (!(w = malloc(cells * sizeof *w)))
			return cli_say(VERB, "out of memory"), CLI_FAIL;
		if (lim_weights_read(o.weights, o.x.rows, lim_xbar_pcols(&o.x), &o.x.card, w, err,
		                 sizeof err) != 0) {
			free(w);
			cli_say(VERB, "--weights-in: %s", err);
			return CLI_USAGE;
		}
		o.x.w0 = w;
	}
	if (!o.no_control) {
		char found[4096];
		int missing = o.x.osdi && !o.cm ? host_find_osdi(found, sizeof found) != 0 :
		              host_find_cm(o.cm, found, sizeof found) != 0;
		if (missing)
			cli_say(VERB, "warning: no %s at %s yet; the deck loads that path",
			        o.x.osdi ? "OSDI device" : "code model", found);
		/* the deck may run anywhere: give ngspice an absolute path */
		if (!realpath(found, cm))
			snprintf(cm, sizeof cm, "%s", found);
		if (has_upper(cm)) {
			free(w);
			return cli_usage(VERB, "--cm: %s has upper-case letters, which ngspice's "
			                 "pre_codemodel lower-cases; use --no-control and a .spiceinit",
			                 cm);
		}
		o.x.cm_path = cm;
	}
	if (lim_xbar_check(&o.x, err, sizeof err) != 0) {
		free(w);
		return cli_usage(VERB, "%s", err);
	}
	if (outfile_open(&out, o.out) != 0) {
		cli_say(VERB, "%s: cannot write: %s", o.out, strerror(errno));
		free(w);
		return CLI_FAIL;
	}
	lim_xbar_write(out.f, &o.x);   /* a write error is the commit's to report, with its reason */
	free(w);
	return cli_finish(VERB, &out, CLI_OK);
}
