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

int host_find_osdi(char *out, size_t n)
{
	char dir[PATH_MAX];
	const char *env = getenv("LIMSPICE_OSDI");

	if (env && *env) {
		snprintf(out, n, "%s", env);
		return access(out, R_OK) == 0 ? 0 : -1;
	}
	if (self_dir(dir, sizeof dir) != 0)
		return -1;
	if (readable_at(out, n, dir, "limspice.osdi"))
		return 0;
	return readable_at(out, n, dir, "../lib/limspice/limspice.osdi") ? 0 : -1;
}

/* A folder holding an unpacked Debian ngspice (make deps puts ngspice 46 in
** .deps/ngspice46) names its library; a library inside such a tree gets
** its own share folder, whose spinit loads its own code models. */
#define NG_LIB_IN_TREE "usr/lib/x86_64-linux-gnu/libngspice.so.0"

int host_find_ngspice(const char *given, char *lib, size_t n, char *share, size_t m)
{
	size_t len;

	snprintf(lib, n, "%s", given);
	share[0] = '\0';
	if (access(lib, R_OK) != 0)
		return -1;
	len = strlen(lib);
	if (len && lib[len - 1] == '/')
		lib[--len] = '\0';
	{
		char in_tree[PATH_MAX];
		if ((size_t)snprintf(in_tree, sizeof in_tree, "%s/%s", lib, NG_LIB_IN_TREE) <
		    sizeof in_tree && access(in_tree, R_OK) == 0)
			snprintf(lib, n, "%s", in_tree);
	}
	len = strlen(lib);
	if (len > strlen(NG_LIB_IN_TREE) && !strcmp(lib + len - strlen(NG_LIB_IN_TREE), NG_LIB_IN_TREE)) {
		char root[PATH_MAX], spinit[PATH_MAX + 40];
		snprintf(root, sizeof root, "%.*s", (int)(len - strlen(NG_LIB_IN_TREE)), lib);
		snprintf(spinit, sizeof spinit, "%susr/share/ngspice/scripts/spinit", root);
		if (access(spinit, R_OK) == 0 && strlen(root) + 20 < m) {
			char abs[PATH_MAX];
			snprintf(share, m, "%susr/share/ngspice", root);
			if (realpath(share, abs))   /* ngspice wants it absolute */
				snprintf(share, m, "%s", abs);
		}
	}
	return 0;
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
	char found[64], cm[PATH_MAX], osdi[PATH_MAX] = "", lib[PATH_MAX], share[PATH_MAX];
	const char *env = getenv("LIMSPICE_CM"), *ng = getenv("LIMSPICE_NGSPICE");
	const char *solver = getenv("LIMSPICE_SOLVER");
	lim_sess_opts o;

	lim_sess_opts_default(&o);
	if (ng && *ng) {
		/* another ngspice than the system's: it gets the .osdi (the .cm is
		** built for the system's), and the session checks its version */
		if (host_find_ngspice(ng, lib, sizeof lib, share, sizeof share) != 0) {
			snprintf(err, n, "ngspice %s cannot be read (--ngspice or $LIMSPICE_NGSPICE: "
			         "a libngspice.so, or a folder where one was unpacked)", ng);
			return NULL;
		}
		o.ngspice = lib;
		o.spice_lib_dir = share[0] ? share : NULL;
		if (host_find_osdi(osdi, sizeof osdi) != 0) {
			snprintf(err, n, "the lim_synapse OSDI device %s cannot be read (set "
			         "LIMSPICE_OSDI; 'make' builds build/limspice.osdi)",
			         osdi[0] ? osdi : "limspice.osdi");
			return NULL;
		}
		o.osdi_path = osdi;
	} else if (host_ngspice_version(found, sizeof found) == 0 && !host_version_matches(found)) {
		snprintf(err, n, "ngspice %s is installed but limspice was built against %s: "
		         "rebuild limspice (make clean all)", found, LIMSPICE_NGSPICE_BUILT);
		return NULL;
	}
	if (host_find_cm(cm_given, cm, sizeof cm) != 0 && !o.osdi_path) {
		int named = (cm_given && *cm_given) || (env && *env);
		snprintf(err, n, "the lim_synapse code model %s%s cannot be read (give --cm "
		         "FILE or set LIMSPICE_CM; 'make' builds build/limspice.cm)",
		         named ? cm : "limspice.cm", named ? "" : " (searched beside the "
		         "executable and in ../lib/limspice)");
		return NULL;
	}
	o.cm_path = cm;
	o.solver = solver && *solver ? solver : NULL;
	return lim_sess_open_opts(&o, err, n);
}
