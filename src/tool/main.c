/*
** main.c - the limspice command: `limspice <verb> [options]`.
** See LICENSE for copyright.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo.h"
#include "cli.h"
#include "host.h"
#include "cmds.h"
#include "session.h"
#include "version.h"

static const cli_verb verbs[] = {
	{"bound", cmd_bound, "LIM energy estimate per update against Landauer (theory)"},
	{"params", cmd_params, "the lim_synapse parameter table (units, defaults, ranges)"},
	{"netlist", cmd_netlist, "write a netlist: netlist crossbar --rows R --cols C ..."},
	{"energy", cmd_energy, "energy each source of a deck delivered, by group and window"},
	{"check", cmd_check, "lint a deck's lim_synapse cards and devices; non-zero on a problem"},
	{"train", cmd_train, "train on a simulated crossbar; energy per update vs the LIM estimate"},
	{"infer", cmd_infer, "inference only, on a crossbar loaded with trained weights"},
	{"precision", cmd_precision, "energy per update against resolved bits (stochastic hops)"},
	{"characterize", cmd_characterize, "simulate a bench (rates, retention, pulses) as the CSV fit reads"},
	{"fit", cmd_fit, "fit a lim_synapse card to rates, traces or pulse trains (GSL)"},
	{"sweep", cmd_sweep, "parallel, resumable design-space sweeps and trade-off plots"},
	{NULL, NULL, NULL}
};

static void help(FILE *f)
{
	const cli_verb *v;

	fprintf(f, "Usage: limspice <verb> [options]\n"
	        "Simulate learning-in-memory synapses in ngspice.\n\nVerbs:\n");
	for (v = verbs; v->name; v++)
		fprintf(f, "  %-12s %s\n", v->name, v->summary);
	fprintf(f, "\n'limspice <verb> --help' documents a verb. Other options:\n"
	        "  --version    limspice's version and the ngspice versions\n"
	        "  -h, --help   this text\n"
	        "Before the verb (every simulating verb, and a sweep's points):\n"
	        "  --ngspice PATH       another libngspice (a .so, or a folder where Debian's\n"
	        "                       ngspice was unpacked, e.g. .deps/ngspice46): it runs\n"
	        "                       the OSDI device (env LIMSPICE_NGSPICE)\n"
	        "  --solver klu|sparse  ngspice's linear solver (klu: ngspice 43 and later;\n"
	        "                       env LIMSPICE_SOLVER)\n");
}

static int version(void)
{
	char found[64];

	printf("limspice %s (liblimspice %s)\n", LIMSPICE_VERSION, lim_version());
	printf("built against ngspice %s\n", LIMSPICE_NGSPICE_BUILT);
	if (host_ngspice_version(found, sizeof found) == 0)
		printf("ngspice found now: %s%s\n", found,
		       host_version_matches(found) ? "" : " (differs: rebuild limspice)");
	else
		printf("ngspice found now: none (libngspice cannot be loaded)\n");
	return CLI_OK;
}

/* --ngspice and --solver before the verb. They travel as environment
** variables so that a sweep's worker processes inherit them. Returns the
** number of arguments used, or -1 after a message. */
static int global_options(int argc, char **argv)
{
	int i = 1;

	while (i + 1 < argc && (!strcmp(argv[i], "--ngspice") || !strcmp(argv[i], "--solver"))) {
		int ng = !strcmp(argv[i], "--ngspice");
		if (!ng && strcmp(argv[i + 1], "klu") && strcmp(argv[i + 1], "sparse")) {
			cli_say(NULL, "--solver: '%s': expected klu or sparse", argv[i + 1]);
			return -1;
		}
		if (setenv(ng ? "LIMSPICE_NGSPICE" : "LIMSPICE_SOLVER", argv[i + 1], 1) != 0) {
			cli_say(NULL, "%s: %s", argv[i], strerror(errno));
			return -1;
		}
		i += 2;
	}
	if (i < argc && (!strcmp(argv[i], "--ngspice") || !strcmp(argv[i], "--solver"))) {
		cli_say(NULL, "%s: expected a value", argv[i]);
		return -1;
	}
	return i - 1;
}

static int run(int argc, char **argv)
{
	const cli_verb *v;
	int used = global_options(argc, argv);

	if (used < 0)
		return CLI_USAGE;
	argv[used] = argv[0];
	argc -= used;
	argv += used;

	if (argc < 2) {
		help(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		help(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return version();
	for (v = verbs; v->name; v++)
		if (strcmp(v->name, argv[1]) == 0)
			return v->run(argc - 1, argv + 1);
	cli_say(NULL, "unknown verb '%s'", argv[1]);
	help(stderr);
	return CLI_USAGE;
}

/* Data that never reached stdout (a full disk, a closed pipe) is a failed
** run, as in coreutils' close_stdout. A verb that failed has said why
** already; one that succeeded is failed here. */
static int close_stdout(const char *verb, int rc)
{
	int e = 0;

	if (fflush(stdout) != 0)
		e = errno;
	else if (ferror(stdout))
		e = EIO;
	if (fclose(stdout) != 0 && !e)
		e = errno;
	if (!e || rc != CLI_OK)
		return rc;
	cli_say(verb, "stdout: cannot write: %s", strerror(e));
	return CLI_FAIL;
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);

	return close_stdout(argc > 1 && argv[1][0] != '-' ? argv[1] : NULL, rc);
}
