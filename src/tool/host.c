/*
** host.c - where the command finds its parts (see host.h).
** See LICENSE for copyright.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h"
#include "host.h"

int host_self(char *out, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", out, n - 1);

	if (len < 0)
		return -1;
	if ((size_t)len >= n - 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	out[len] = '\0';
	return 0;
}

static int self_dir(char *out, size_t n)
{
	char *slash;

	if (host_self(out, n) != 0)
		return -1;
	if ((slash = strrchr(out, '/')))
		*slash = '\0';
	return 0;
}

static int readable_at(char *out, size_t n, const char *dir, const char *rel)
{
	return (size_t)snprintf(out, n, "%s/%s", dir, rel) < n && access(out, R_OK) == 0;
}

int host_data_file(const char *name, char *out, size_t n)
{
	char dir[PATH_MAX], rel[PATH_MAX];
	const char *env = getenv("LIMSPICE_DATA");

	if (env && *env && readable_at(out, n, env, name))
		return 0;
	if (self_dir(dir, sizeof dir) != 0)
		return -1;
	snprintf(rel, sizeof rel, "../testbenches/data/%s", name);
	if (readable_at(out, n, dir, rel))
		return 0;
	snprintf(rel, sizeof rel, "../share/limspice/data/%s", name);
	return readable_at(out, n, dir, rel) ? 0 : -1;
}

int host_find_cm(const char *given, char *out, size_t n)
{
	char dir[PATH_MAX];
	const char *env = getenv("LIMSPICE_CM");

	if ((given && *given) || (env && *env)) {
		snprintf(out, n, "%s", given && *given ? given : env);
		return access(out, R_OK) == 0 ? 0 : -1;
	}
	if (self_dir(dir, sizeof dir) != 0)
		return -1;
	if (readable_at(out, n, dir, "limspice.cm"))
		return 0;
	return readable_at(out, n, dir, "../lib/limspice/limspice.cm") ? 0 : -1;
}

int host_ngspice_version(char *buf, size_t n)
{
	FILE *p = popen("dpkg-query -W -f='${Version}' libngspice0 2>/dev/null", "r");
	size_t len = 0;

	if (p) {
		len = fread(buf, 1, n - 1, p);
		if (pclose(p) != 0)
			len = 0;
	}
	buf[len] = '\0';
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	if (len)
		return 0;
	snprintf(buf, n, "unknown");
	return -1;
}

int host_version_matches(const char *found)
{
	return strcmp(found, LIMSPICE_NGSPICE_BUILT) == 0;
}

lim_session *host_session(const char *cm_given, char *err, size_t n)
{
	char found[64], cm[PATH_MAX];
	const char *env = getenv("LIMSPICE_CM");

	if (host_ngspice_version(found, sizeof found) == 0 && !host_version_matches(found)) {
		snprintf(err, n, "ngspice %s is installed but limspice was built against %s: "
		         "rebuild limspice (make clean all)", found, LIMSPICE_NGSPICE_BUILT);
		return NULL;
	}
	if (host_find_cm(cm_given, cm, sizeof cm) != 0) {
		int named = (cm_given && *cm_given) || (env && *env);
		snprintf(err, n, "the lim_synapse code model %s%s cannot be read (give --cm "
		         "FILE or set LIMSPICE_CM; 'make' builds build/limspice.cm)",
		         named ? cm : "limspice.cm", named ? "" : " (searched beside the "
		         "executable and in ../lib/limspice)");
		return NULL;
	}
	return lim_sess_open(cm, err, n);
}
