/*
** sweep_check.c - what `limspice sweep` checks before anything runs: each
** value alone (the parameter table, or the verb's own option check through
** its --dry-run), then every point's whole command. See LICENSE for
** copyright.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card.h"
#include "phys.h"
#include "sweep.h"

int sweep_call(sweep_verb verb, int argc, char **argv, int echo, char *msg, size_t n)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	char line[2048];

	msg[0] = 0;
	fflush(stderr);
	if (!tmp || (saved = dup(2)) < 0) {
		if (tmp)
			fclose(tmp);
		return verb(argc, argv);
	}
	dup2(fileno(tmp), 2);
	rc = verb(argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	while (fgets(line, sizeof line, tmp)) {
		if (echo)
			fputs(line, stderr);
		if (!msg[0] && !strncmp(line, "limspice: ", 10)) {
			char *m = line + 10, *colon = strstr(m, ": ");
			/* "limspice: train: reason": drop the verb, keep the reason */
			if (colon && (size_t)(colon - m) < 16 && !memchr(m, ' ', colon - m))
				m = colon + 2;
			snprintf(msg, n, "%.*s", (int)strcspn(m, "\n"), m);
		}
	}
	fclose(tmp);
	if (rc != 0 && !msg[0])
		snprintf(msg, n, "%s exited with status %d", argv[0], rc);
	return rc;
}

/* One value alone, on the verb's own check (the parameter table for a
** lim_synapse parameter). */
static int check_value(const sweep_spec *s, sweep_verb verb, const sweep_axis *a,
                       const char *v, char *msg, size_t n)
{
	char *argv[16];
	int argc = 0, rc, i;

	if (a->is_param) {
		lim_phys_dev d;
		char assign[256], unused[256];
		lim_phys_dev_default(&d);
		/* on the card [fixed] makes: g_max = 1e-10 is a value only beside
		** a fixed g_min under it (the whole points are checked below) */
		for (i = 0; i < s->nfixed; i++)
			if (s->fixed[i].is_param && &s->fixed[i] != a && s->fixed[i].nvalues == 1) {
				snprintf(assign, sizeof assign, "%s=%s", s->fixed[i].name,
				         s->fixed[i].values[0]);
				lim_card_set(&d, assign, unused, sizeof unused);
			}
		snprintf(assign, sizeof assign, "%s=%s", a->name, v);
		return lim_card_set(&d, assign, msg, n);
	}
	argv[argc++] = strdup(s->run == SWEEP_TRAIN ? "train" : "characterize");
	if (s->run == SWEEP_CHARACTERIZE)
		argv[argc++] = strdup(s->bench);
	rc = sweep_value_args(a, v, argv, &argc);
	argv[argc++] = strdup("--dry-run");
	argv[argc] = NULL;
	for (i = 0; i < argc; i++)
		rc |= !argv[i];
	rc = rc ? (snprintf(msg, n, "out of memory"), -1) : sweep_call(verb, argc, argv, 0, msg, n);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return rc ? -1 : 0;
}

static int check_axis(const sweep_spec *s, sweep_verb verb, const sweep_axis *a,
                      char *err, size_t n)
{
	char msg[1024];
	int i;

	for (i = 0; i < a->nvalues; i++)
		if (check_value(s, verb, a, a->values[i], msg, sizeof msg) != 0) {
			if (!a->is_param)
				snprintf(err, n, "%s:%d: %s = %s: %s", s->path, a->line, a->name,
				         a->values[i], msg);
			else        /* the parameter table's message names the value */
				snprintf(err, n, "%s:%d: %s", s->path, a->line, msg);
			return -1;
		}
	return 0;
}

int sweep_check(const sweep_spec *s, sweep_verb verb, char *err, size_t n)
{
	char msg[1024], label[1024], lines[256];
	long k;
	int i;

	for (i = 0; i < s->nfixed; i++)
		if (check_axis(s, verb, &s->fixed[i], err, n) != 0)
			return -1;
	for (i = 0; i < s->naxes; i++)
		if (check_axis(s, verb, &s->axes[i], err, n) != 0)
			return -1;
	/* Values that pass alone can clash together (r1 above a swept r_max). */
	for (k = 1; k <= s->npoints; k++) {
		int argc, rc;
		char **argv = sweep_argv(s, k, NULL, &argc);
		if (!argv)
			return snprintf(err, n, "%s: out of memory", s->path), -1;
		argv[argc++] = strdup("--dry-run");
		rc = argv[argc - 1] ? sweep_call(verb, argc, argv, 0, msg, sizeof msg) : -1;
		sweep_argv_free(argv);
		if (rc != 0) {
			size_t len = 0;
			for (i = 0; i < s->naxes && len < sizeof lines; i++)
				len += (size_t)snprintf(lines + len, sizeof lines - len, "%s%d", i ? "," : "",
				                        s->axes[i].line);
			sweep_point_label(s, k, label, sizeof label);
			snprintf(err, n, "%s:%s: point %ld (%s): %s", s->path, lines, k, label, msg);
			return -1;
		}
	}
	return 0;
}
