/*
** cmd_energy.c - `limspice energy DECK`: what every source delivered.
** See LICENSE for copyright.
*/
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
#include "deck.h"
#include "energy.h"
#include "outfile.h"
#include "session.h"

#define VERB "energy"
#define MAX_WINDOWS 64

static const char usage[] =
"Usage: limspice energy DECK.cir [--window T0:T1 ...] [--cm FILE] [--out FILE]\n"
"Runs DECK's transient analysis with the lim_synapse code model loaded and\n"
"prints the energy each independent source delivered (on the raw time\n"
"points, each step's charge at its mean voltage; positive = delivered by\n"
"the source), as CSV\n"
"    source,group,window,energy_J\n"
"then TOTAL rows per group and for all sources. Groups follow limspice's\n"
"crossbar names: row (vr<i>), column (vc<j>), barrier (vb<k>), sense\n"
"(vs<p>), other. A .control block in DECK is left out with a warning:\n"
"limspice must keep control of the simulator. Only top-level sources are\n"
"counted (not those inside subcircuits). A source whose current the time\n"
"points do not resolve (it rings, or falls within one step: an R C far\n"
"shorter than the steps) gets a warning: give the .tran line a maximum\n"
"step below that time constant.\n"
"  --window T0:T1  also split by this time window [s] (SPICE numbers: 1u:2u);\n"
"                  repeatable; the window 'all' is always printed\n"
"  --cm FILE       the code model (default: $LIMSPICE_CM, then beside limspice)\n"
"  --out FILE      write the CSV to FILE instead of stdout\n"
"  -h, --help      this text\n"
"Exit status: 0 ok, 1 the simulation failed (ngspice's words on stderr),\n"
"2 bad usage or a bad deck.\n";

typedef struct { double t0, t1; char label[64]; } window;

static int parse_window(const char *arg, window *w)
{
	char a[64], *colon;

	snprintf(a, sizeof a, "%s", arg);
	if (!(colon = strchr(a, ':')))
		return -1;
	*colon = '\0';
	if (lim_card_number(a, &w->t0) != 0 || lim_card_number(colon + 1, &w->t1) != 0 ||
	    !(w->t0 >= 0 && w->t1 > w->t0))   /* a transient starts at 0 s */
		return -1;
	snprintf(w->label, sizeof w->label, "%s", arg);
	return 0;
}

static const char *const groups[] = {"row", "column", "barrier", "sense", "other", NULL};

static int group_index(const char *g)
{
	int k;

	for (k = 0; groups[k]; k++)
		if (!strcmp(groups[k], g))
			return k;
	return 4;
}

/* Runs the deck and writes the CSV into f; CLI_* status. */
static int account(lim_session *se, const lim_deck *d, window *win, int nwin, FILE *f)
{
	double total[5][MAX_WINDOWS + 1] = {{0}}, *t;
	size_t i, n;
	int k, g, used[5] = {0};

	if (lim_sess_load(se, (const char *const *)d->lines, d->nlines) != 0 || lim_sess_run(se) != 0) {
		cli_say(VERB, "ngspice: %s", lim_sess_error(se));
		return CLI_FAIL;
	}
	if (lim_sess_vec(se, "time", &t, &n) != 0) {
		cli_say(VERB, "the run produced no time vector");
		return CLI_FAIL;
	}
	win[0].t0 = t[0];
	win[0].t1 = t[n - 1];
	free(t);
	fprintf(f, "source,group,window,energy_J\n");
	for (i = 0; i < d->nsrc; i++) {
		const lim_deck_source *s = &d->src[i];
		double *v, *cur;
		size_t len;
		long bad;

		if (lim_energy_vi(se, s, &v, &cur, &len) != 0) {
			cli_say(VERB, "%s: no current or voltage vectors after the run", s->name);
			return CLI_FAIL;
		}
		if (lim_sess_vec(se, "time", &t, &n) != 0 || n != len) {
			free(v);
			free(cur);
			return CLI_FAIL;
		}
		g = group_index(lim_energy_group(s->name));
		used[g] = 1;
		for (k = 0; k < nwin; k++) {
			double e = lim_energy_window(t, v, cur, n, win[k].t0, win[k].t1);
			total[g][k] += e;
			fprintf(f, "%s,%s,%s,%.12g\n", s->name, groups[g], win[k].label, e);
		}
		if ((bad = lim_energy_unresolved(v, cur, n)) > 0)
			cli_say(VERB, "warning: %s: its current is not resolved at %ld of %zu time "
			        "points (it rings or falls within one step): the node it drives has a "
			        "time constant far below ngspice's steps, so its energy above can be "
			        "off several times; rerun with a maximum step below that time constant "
			        "(.tran TSTEP TSTOP 0 TMAX)", s->name, bad, n);
		free(t);
		free(v);
		free(cur);
	}
	for (k = 0; k < nwin; k++) {
		double all = 0;
		for (g = 0; g < 5; g++) {
			all += total[g][k];
			if (used[g])
				fprintf(f, "TOTAL,%s,%s,%.12g\n", groups[g], win[k].label, total[g][k]);
		}
		fprintf(f, "TOTAL,all,%s,%.12g\n", win[k].label, all);
	}
	return CLI_OK;
}

int cmd_energy(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"window", required_argument, 0, 'w'}, {"cm", required_argument, 0, 'c'},
		{"out", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}
	};
	window win[MAX_WINDOWS + 1];
	const char *cm = NULL, *path = NULL;
	int nwin = 1, c, rc;
	char err[1024];
	lim_session *se;
	outfile out;
	lim_deck d;

	snprintf(win[0].label, sizeof win[0].label, "all");
	optind = 0;   /* not 1: glibc then forgets an earlier scan (sweeps) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(usage, stdout); return CLI_OK;
		case 'w':
			if (nwin > MAX_WINDOWS)
				return cli_usage(VERB, "--window: at most %d", MAX_WINDOWS);
			if (parse_window(optarg, &win[nwin]) != 0)
				return cli_usage(VERB, "--window: '%s' is not T0:T1 with 0 <= T0 < T1 (seconds, "
				                 "SPICE numbers such as 1u:2u)", optarg);
			nwin++;
			break;
		case 'c': cm = optarg; break;
		case 'o': path = optarg; break;
		case ':': return cli_usage(VERB, "%s needs a value", argv[optind - 1]);
		default: return cli_usage(VERB, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage(VERB, "expected one deck, got %d arguments", argc - optind);
	if (lim_deck_read(argv[optind], &d, err, sizeof err) != 0) {
		cli_say(VERB, "%s", err);
		return CLI_USAGE;
	}
	if (!d.has_tran) {
		cli_say(VERB, "%s: no .tran line: energy needs a transient analysis", argv[optind]);
		lim_deck_free(&d);
		return CLI_USAGE;
	}
	if (d.nsrc == 0) {   /* a total of 0 J would read as a measurement */
		cli_say(VERB, "%s: no independent source (V or I) at the top level of the deck or "
		        "of its included files: nothing to measure", argv[optind]);
		lim_deck_free(&d);
		return CLI_USAGE;
	}
	if (d.had_control)
		cli_say(VERB, "warning: %s: its .control block is left out; the deck's .tran "
		        "line is used", argv[optind]);
	if (outfile_open(&out, path) != 0) {   /* refused before the simulation, not after */
		cli_say(VERB, "%s: cannot write: %s", path, strerror(errno));
		lim_deck_free(&d);
		return CLI_FAIL;
	}
	if (!(se = host_session(cm, err, sizeof err))) {
		cli_say(VERB, "%s", err);
		lim_deck_free(&d);
		return cli_finish(VERB, &out, CLI_FAIL);
	}
	rc = account(se, &d, win, nwin, out.f);
	lim_deck_free(&d);
	lim_sess_close(se);
	return cli_finish(VERB, &out, rc);
}
