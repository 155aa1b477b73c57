/*
** t-abi.c - the .cm agrees with the ngspice that loads it. See LICENSE.
**
** A code model is compiled against headers whose layout depends on how
** ngspice was configured (config.h). A wrong guess loads silently and then
** crashes ngspice. Debian's own stock .cm files were built right: read
** their device tables through our headers and ours through the same, and
** every instance and model size must be the size of MIFinstance/MIFmodel.
*/
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ngspice/ngspice.h"
#include "ngspice/devdefs.h"
#include "ngspice/mifdefs.h"

#include "tap.h"

typedef void *(*table_fn)(void);

/* Checks every device of one .cm; returns how many there were, -1 when it
** cannot be loaded. *found is set when lim_synapse is among them. */
static int check_cm(const char *path, int *found)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	table_fn devs, num;
	SPICEdev **d;
	int n, i, bad = 0;

	if (!h) {
		tap_diag("dlopen %s: %s", path, dlerror());
		return -1;
	}
	devs = (table_fn)dlsym(h, "CMdevs");
	num = (table_fn)dlsym(h, "CMdevNum");
	if (!devs || !num) {
		dlclose(h);
		return -1;
	}
	d = devs();
	n = *(int *)num();
	for (i = 0; i < n; i++) {
		Dl_info a, b;
		/* with a wrong layout these fields are garbage: test before reading */
		if (!dladdr(d[i]->DEVinstSize, &a) || !dladdr(d[i]->DEVmodSize, &b)) {
			tap_diag("%s: device %d: the size fields do not point into any loaded "
			         "object: the SPICEdev layout differs (config.h: XSPICE, CIDER?)",
			         path, i);
			bad++;
			continue;
		}
		if (*d[i]->DEVinstSize != (int)sizeof(MIFinstance) ||
		    *d[i]->DEVmodSize != (int)sizeof(MIFmodel)) {
			tap_diag("%s: %s: instance %d (want %zu), model %d (want %zu)", path,
			         d[i]->DEVpublic.name, *d[i]->DEVinstSize, sizeof(MIFinstance),
			         *d[i]->DEVmodSize, sizeof(MIFmodel));
			bad++;
		}
		if (found && strcmp(d[i]->DEVpublic.name, "lim_synapse") == 0)
			*found = 1;
	}
	dlclose(h);
	return bad ? -1 : n;
}

static void stock_models(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int files = 0, failed = 0;

	check(dp != NULL);
	while (dp && (e = readdir(dp))) {
		char path[1024];
		size_t l = strlen(e->d_name);
		if (l < 4 || strcmp(e->d_name + l - 3, ".cm") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		files++;
		failed += check_cm(path, NULL) < 0;
	}
	if (dp)
		closedir(dp);
	check_int(files, >, 0);
	check_int(failed, ==, 0);
}

static void our_model(const char *cm)
{
	int found = 0;

	check_int(check_cm(cm, &found), ==, 1);
	check(found);
}

int main(void)
{
	const char *cm = getenv("LIMSPICE_CM"), *stock = getenv("NGSPICE_CMDIR");

	if (!cm || !stock) {
		tap_skip_all("$LIMSPICE_CM or $NGSPICE_CMDIR is not set (run make check)");
		return 0;
	}
	TEST(stock_models(stock), "Debian's stock .cm files read through our headers: sizes agree");
	TEST(our_model(cm), "limspice.cm: lim_synapse with MIFinstance/MIFmodel sizes");
	return tap_done();
}
