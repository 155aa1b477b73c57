/*
** cmd_params.c - `limspice params`: the lim_synapse parameter table.
** See LICENSE for copyright.
**
** Printed from the physics core's table, the one the code model validates
** against, so README (which carries this output) cannot drift from it.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "phys.h"

#define VERB "params"

static const char usage[] =
"Usage: limspice params [--csv]\n"
"The parameters of the lim_synapse model card: name, unit, default, the\n"
"range the model accepts (checked when a card is loaded) and meaning.\n"
"  --csv        name,unit,default,min,max,meaning rows instead of a table\n"
"  -h, --help   this text\n";

int cmd_params(int argc, char **argv)
{
	int csv = 0, i;
	size_t j;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--csv") == 0)
			csv = 1;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), CLI_OK;
		else
			return cli_usage(VERB, "unknown option '%s'", argv[i]);
	}
	if (csv)
		printf("name,unit,default,min,max,meaning\n");
	else
		printf("| name | unit | default | range | meaning |\n|---|---|---|---|---|\n");
	for (j = 0; j < lim_phys_dev_nparams; j++) {
		const lim_phys_param *p = &lim_phys_dev_params[j];
		char range[80];
		if (csv) {
			printf("%s,%s,%g,%g,%g,\"%s\"\n", p->name, p->unit, p->def, p->min, p->max,
			       p->meaning);
			continue;
		}
		lim_phys_param_range(p, range, sizeof range);
		printf("| %s | %s | %g | %s | %s |\n", p->name, p->unit, p->def, range, p->meaning);
	}
	return CLI_OK;
}
