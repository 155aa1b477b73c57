/*
** cmd_check.c - `limspice check DECK.cir`: what ngspice would only warn
** about, or pass over, in a deck's lim_synapse devices.
** See LICENSE for copyright.
**
** ngspice prints "MIF: unrecognized parameter (wo) - ignored" and runs on;
** a card the model refuses leaves an open device and ngspice still exits 0.
** In a batch of decks that is a wrong result, not a failure. This lint reads
** the deck as ngspice does (lim_deck_walk: includes, .lib sections,
** continuation lines) and names every problem by file and line.
*/
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "card.h"
#include "cli.h"
#include "cmds.h"
#include "deck.h"
#include "outfile.h"
#include "phys.h"

#define VERB "check"
#define MODELS_MAX 4096

static const char usage[] =
"Usage: limspice check DECK.cir [--out FILE]\n"
"Lints a deck's lim_synapse devices as ngspice would read them (its\n"
".include files and .lib sections too) and prints one line per problem,\n"
"    FILE:LINE: what is wrong\n"
"on stdout: a parameter the model does not have (with the one probably\n"
"meant), a value that is not a number or is out of range, a device whose\n"
"ports are of the wrong type (ab must be %gd, c %v or %vd), and a deck that\n"
"never loads the code model (no pre_codemodel or codemodel line, and no\n"
".spiceinit beside the deck, here or in $HOME that does). Values in braces\n"
"are evaluated by ngspice per instance: their names are checked.\n"
"  --out FILE   write the problems to FILE instead of stdout\n"
"  -h, --help   this text\n"
"Exit status: 0 no problem, 1 problems found (listed), 2 bad usage or an\n"
"unreadable deck.\n";

typedef struct {
	FILE *f;                 /* where problems go */
	int problems;
	int loads_cm;            /* a codemodel line mentions limspice's .cm */
	int nmodels;
	char models[MODELS_MAX][64];   /* lim_synapse .model names, lower case */
	int ndevices;
} lint;

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)((*s >= 'A' && *s <= 'Z') ? *s - 'A' + 'a' : *s);
}

static int is_lim_model(const lint *l, const char *name)
{
	char low[64];
	int k;

	snprintf(low, sizeof low, "%s", name);
	lower(low);
	for (k = 0; k < l->nmodels; k++)
		if (!strcmp(l->models[k], low))
			return 1;
	return 0;
}

/* ".model NAME lim_synapse(params)": the card's problems, all of them. */
static int check_model(lint *l, const char *file, int line, const char *text)
{
	char kw[16], name[64], type[64], why[2048];
	int used = 0, bad;

	if (sscanf(text, "%15s %63s %63[^ (]%n", kw, name, type, &used) != 3 ||
	    strcasecmp(kw, ".model") || strcasecmp(type, lim_phys_synapse.model))
		return 0;
	if (l->nmodels < MODELS_MAX) {
		snprintf(l->models[l->nmodels], sizeof l->models[0], "%s", name);
		lower(l->models[l->nmodels++]);
	}
	if ((bad = lim_card_lint(text + used, why, sizeof why)) < 0)
		return -1;
	if (bad) {
		fprintf(l->f, "%s:%d: .model %s: %s\n", file, line, name, why);
		l->problems += bad;
	}
	return 0;
}

/* "aNAME %gd(a b) %vd(c 0) MODEL": the port types, where the device names a
** lim_synapse card read before it (ngspice also wants cards first). */
static void check_device(lint *l, const char *file, int line, const char *text)
{
	static const char *const want[2][3] = {{"gd", NULL, NULL}, {"vd", "v", NULL}};
	static const char *const port[2] = {"ab (the synapse)", "c (the barrier control)"};
	const char *last = strrchr(text, ' '), *p = text;
	int k = 0;

	if (!last || !is_lim_model(l, last + 1))
		return;
	l->ndevices++;
	while ((p = strchr(p, '%')) && k < 2) {
		char type[16] = "";
		int ok = 0, j;
		sscanf(p + 1, "%15[a-z_A-Z]", type);
		for (j = 0; want[k][j]; j++)
			ok |= !strcasecmp(type, want[k][j]);
		if (!ok) {
			fprintf(l->f, "%s:%d: port %s of a %s is %%%s: expected %%%s%s\n", file, line,
			        port[k], lim_phys_synapse.model, type, want[k][0],
			        k ? " or %v" : "");
			l->problems++;
		}
		k++;
		p++;
	}
}

/* "xNAME a b c ref lim_cell w0=0.3 ...": the instance's parameters are the
** card's (models/lim_synapse.lib), checked the same way. */
static int check_cell(lint *l, const char *file, int line, const char *text)
{
	const char *p = text;
	char why[2048];
	int bad;

	while ((p = strcasestr(p, "lim_cell")) && !((p == text || p[-1] == ' ') &&
	                                            (p[8] == ' ' || p[8] == '\0')))
		p += 8;
	if (!p)
		return 0;
	l->ndevices++;
	if ((bad = lim_card_lint(p + 8, why, sizeof why)) < 0)
		return -1;
	if (bad) {
		fprintf(l->f, "%s:%d: lim_cell: %s\n", file, line, why);
		l->problems += bad;
	}
	return 0;
}

static int visit(void *ctx, const char *file, int line, const char *text, int in_control)
{
	lint *l = ctx;
	char kw[32] = "";

	sscanf(text, "%31s", kw);
	if (in_control) {
		if ((!strcasecmp(kw, "pre_codemodel") || !strcasecmp(kw, "codemodel")))
			l->loads_cm = 1;
		return 0;
	}
	if (!strcasecmp(kw, ".model"))
		return check_model(l, file, line, text);
	if (text[0] == 'a' || text[0] == 'A')
		check_device(l, file, line, text);
	if (text[0] == 'x' || text[0] == 'X')
		return check_cell(l, file, line, text);
	return 0;
}

/* A .spiceinit with a codemodel line, as ngspice reads them at start. */
static int spiceinit_loads(const char *deck)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *slash, *line = NULL;
	const char *where[3];
	size_t cap = 0;
	int k, found = 0;

	snprintf(dir, sizeof dir, "%s", deck);
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	where[0] = dir;
	where[1] = ".";
	where[2] = getenv("HOME");
	for (k = 0; k < 3 && !found; k++) {
		FILE *f;
		if (!where[k])
			continue;
		snprintf(path, sizeof path, "%s/.spiceinit", where[k]);
		if (!(f = fopen(path, "r")))
			continue;
		while (!found && getline(&line, &cap, f) > 0)
			found = strstr(line, "codemodel") != NULL;
		fclose(f);
	}
	free(line);
	return found;
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}
	};
	const char *path = NULL;
	char err[PATH_MAX + 256];
	lint *l;
	outfile out;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(usage, stdout); return CLI_OK;
		case 'o': path = optarg; break;
		case ':': return cli_usage(VERB, "%s needs a value", argv[optind - 1]);
		default: return cli_usage(VERB, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage(VERB, "expected one deck, got %d arguments", argc - optind);
	if (!(l = calloc(1, sizeof *l))) {
		cli_say(VERB, "out of memory");
		return CLI_FAIL;
	}
	if (outfile_open(&out, path) != 0) {
		cli_say(VERB, "%s: cannot write: %s", path, strerror(errno));
		free(l);
		return CLI_FAIL;
	}
	l->f = out.f;
	if (lim_deck_walk(argv[optind], visit, l, err, sizeof err) != 0) {
		cli_say(VERB, "%s", err);
		free(l);
		return cli_finish(VERB, &out, CLI_USAGE);
	}
	if (l->nmodels && !l->loads_cm && !spiceinit_loads(argv[optind])) {
		fprintf(l->f, "%s:1: no pre_codemodel or codemodel line loads limspice.cm, and no "
		        ".spiceinit beside the deck, here or in $HOME does: ngspice will not know "
		        "%s\n", argv[optind], lim_phys_synapse.model);
		l->problems++;
	}
	cli_say(VERB, "%s: %d %s card%s, %d device%s: %d problem%s", argv[optind], l->nmodels,
	        lim_phys_synapse.model, l->nmodels == 1 ? "" : "s", l->ndevices,
	        l->ndevices == 1 ? "" : "s", l->problems, l->problems == 1 ? "" : "s");
	rc = l->problems ? CLI_FAIL : CLI_OK;
	free(l);
	/* the list is the answer: kept whether or not it is empty */
	return cli_finish(VERB, &out, CLI_OK) == CLI_OK ? rc : CLI_FAIL;
}
