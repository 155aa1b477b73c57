/*
** deck.c - read a user's deck (see deck.h). See LICENSE for copyright.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "deck.h"

void lim_deck_free(lim_deck *d)
{
	size_t i;

	for (i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	for (i = 0; i < d->nsrc; i++) {
		free(d->src[i].name);
		free(d->src[i].pos);
		free(d->src[i].neg);
	}
	free(d->lines);
	free(d->src);
	memset(d, 0, sizeof *d);
}

static int push_line(lim_deck *d, size_t *cap, char *s)
{
	if (!s)
		return -1;
	if (d->nlines == *cap) {
		size_t nc = *cap ? 2 * *cap : 64;
		char **g = realloc(d->lines, nc * sizeof *g);
		if (!g) {
			free(s);
			return -1;
		}
		d->lines = g;
		*cap = nc;
	}
	d->lines[d->nlines++] = s;
	return 0;
}

static char *lower_dup(const char *s)
{
	char *r = strdup(s), *p;

	for (p = r; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

/* ".include file" with a relative file: rewritten against dir, or against
** "." when the file is there: ngspice looks where it runs before it looks
** beside the deck (inp_pathresolve_at). */
static char *absolute_include(const char *line, const char *dir)
{
	char kw[16], file[PATH_MAX], rest[256] = "", *out;
	struct stat st;
	size_t n;

	if (sscanf(line, "%15s %4095s %255[^\n]", kw, file, rest) < 2)
		return strdup(line);
	if (strcasecmp(kw, ".include") && strcasecmp(kw, ".inc") && strcasecmp(kw, ".lib"))
		return strdup(line);
	if (file[0] == '"' || file[0] == '\'') {   /* quoted: strip the quotes */
		size_t l = strlen(file);
		memmove(file, file + 1, l);
		if (l > 1 && (file[l - 2] == '"' || file[l - 2] == '\''))
			file[l - 2] = '\0';
	}
	if (file[0] == '/')
		return strdup(line);
	if (stat(file, &st) == 0)
		dir = ".";
	n = strlen(kw) + strlen(dir) + strlen(file) + strlen(rest) + 8;
	if ((out = malloc(n)))
		snprintf(out, n, "%s %s/%s %s", kw, dir, file, rest);
	return out;
}

static int add_source(lim_deck *d, size_t *cap, const char *line)
{
	char name[256], pos[256], neg[256];
	lim_deck_source *s;

	if (sscanf(line, "%255s %255s %255s", name, pos, neg) != 3)
		return 0;                         /* not a complete element: ngspice says so */
	if (d->nsrc == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		lim_deck_source *g = realloc(d->src, nc * sizeof *g);
		if (!g)
			return -1;
		d->src = g;
		*cap = nc;
	}
	s = &d->src[d->nsrc];
	s->name = lower_dup(name);
	s->pos = lower_dup(pos);
	s->neg = lower_dup(neg);
	s->kind = (char)tolower((unsigned char)name[0]);
	if (!s->name || !s->pos || !s->neg)
		return -1;
	d->nsrc++;
	return 0;
}

static int is_ground(const char *node) { return !strcmp(node, "0") || !strcmp(node, "gnd"); }

static int add_saves(lim_deck *d, size_t *cap)
{
	size_t i;

	for (i = 0; i < d->nsrc; i++) {
		const lim_deck_source *s = &d->src[i];
		char buf[1024];
		int k = 0;
		k += snprintf(buf + k, sizeof buf - (size_t)k, ".save");
		if (s->kind == 'v')
			k += snprintf(buf + k, sizeof buf - (size_t)k, " %s#branch", s->name);
		else
			k += snprintf(buf + k, sizeof buf - (size_t)k, " @%s[current]", s->name);
		if (!is_ground(s->pos))
			k += snprintf(buf + k, sizeof buf - (size_t)k, " v(%s)", s->pos);
		if (!is_ground(s->neg))
			snprintf(buf + k, sizeof buf - (size_t)k, " v(%s)", s->neg);
		if (push_line(d, cap, strdup(buf)) != 0)
			return -1;
	}
	return 0;
}

/* The deck's logical lines: '+' lines joined to the one before, into
** *lines_out (*count of them; none for an empty file). 0, or -1 when out of
** memory or with *nul_line set at a line holding a NUL byte. */
static int logical_lines(FILE *f, char ***lines_out, size_t *count, int **first_line,
                         int *nul_line)
{
	char *line = NULL, **out = NULL;
	size_t cap = 0, n = 0, ocap = 0;
	ssize_t len;
	int lineno = 0, *lines = NULL;

	*nul_line = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		size_t l = strcspn(line, "\r\n");
		lineno++;
		if (memchr(line, '\0', (size_t)len)) {   /* ngspice would read a cut line */
			*nul_line = lineno;
			goto oom;
		}
		line[l] = '\0';
		if (n > 0 && line[0] == '+') {
			size_t a = strlen(out[n - 1]);
			char *g = realloc(out[n - 1], a + l + 1);
			if (!g)
				goto oom;
			g[a] = ' ';
			memcpy(g + a + 1, line + 1, l);
			out[n - 1] = g;
			continue;
		}
		if (n == ocap) {
			size_t nc = ocap ? 2 * ocap : 128;
			char **g = realloc(out, nc * sizeof *g);
			int *li = realloc(lines, nc * sizeof *li);
			if (g)
				out = g;
			if (li)
				lines = li;
			if (!g || !li)
				goto oom;
			ocap = nc;
		}
		if (!(out[n] = strdup(line)))
			goto oom;
		lines[n++] = lineno;
	}
	free(line);
	*lines_out = out;
	*count = n;
	*first_line = lines;
	return 0;
oom:
	free(line);
	while (n)
		free(out[--n]);
	free(out);
	free(lines);
	return -1;
}

/* Included files, as ngspice reads them: their top-level sources and
** .tran lines count as the deck's own. A .lib FILE SECTION line reads only
** the lines between ".lib SECTION" and ".endl" in FILE. */
#define INCLUDE_DEPTH_MAX 16

/* The file an .include or .lib line names, made absolute against dir, and
** the .lib section (empty for .include). 0, or -1 when the line names none. */
static int included_file(const char *line, const char *dir, char *file, size_t fn,
                         char *section, size_t sn)
{
	char *abs = absolute_include(line, dir), kw[16], path[PATH_MAX], sec[256] = "";
	int words;

	section[0] = '\0';
	if (!abs)
		return -1;
	words = sscanf(abs, "%15s %4095s %255s", kw, path, sec);
	free(abs);
	if (words < 2 || (!strcasecmp(kw, ".lib") && words < 3))
		return -1;                        /* ".lib NAME" opens a section: no file */
	snprintf(file, fn, "%s", path);
	if (!strcasecmp(kw, ".lib"))
		snprintf(section, sn, "%s", sec);
	return 0;
}

static int is_include(const char *kw)
{
	return !strcasecmp(kw, ".include") || !strcasecmp(kw, ".inc") || !strcasecmp(kw, ".lib");
}

/* Visits path's logical lines (the top file's title and .end excepted; a
** .lib FILE SECTION's lines between ".lib SECTION" and ".endl" only),
** following includes where they stand. */
static int walk_file(const char *path, const char *section, int depth, int top,
                     lim_deck_visit_fn visit, void *ctx, char *err, size_t n)
{
	FILE *f;
	char dir[PATH_MAX], **raw = NULL, *slash;
	size_t nraw = 0, i;
	int *at = NULL, nul_line, rc = 0, in_section = 0, active = 0, in_control = 0;

	if (depth > INCLUDE_DEPTH_MAX) {
		snprintf(err, n, "%s: included more than %d deep", path, INCLUDE_DEPTH_MAX);
		return -1;
	}
	if (!(f = fopen(path, "r"))) {
		snprintf(err, n, "%s: cannot open%s: %s", path, top ? "" : " an included file",
		         strerror(errno));
		return -1;
	}
	if (!realpath(path, dir))
		snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	rc = logical_lines(f, &raw, &nraw, &at, &nul_line);
	fclose(f);
	if (rc != 0) {
		if (nul_line)
			snprintf(err, n, "%s:%d: a NUL byte: expected a text deck", path, nul_line);
		else
			snprintf(err, n, "%s: out of memory", path);
		return -1;
	}
	for (i = top; i < nraw && rc == 0; i++) {   /* a deck's first line is its title */
		char *s = raw[i] + strspn(raw[i], " \t"), kw[32] = "", a[256] = "", b[256] = "",
		     file[PATH_MAX], sec[256];
		int words = sscanf(s, "%31s %255s %255s", kw, a, b);   /* ".lib NAME": 2 */
		if (in_control) {
			in_control = strcasecmp(kw, ".endc") != 0;
			rc = visit(ctx, path, at[i], s, 1);
			continue;
		}
		if (!strcasecmp(kw, ".lib") && words == 2) {   /* a section begins */
			in_section = 1;
			active = section[0] && !strcasecmp(a, section);
			continue;
		} else if (!strcasecmp(kw, ".endl")) {
			in_section = active = 0;
			continue;
		} else if (section[0] ? !active : in_section) {
			continue;                     /* a section nobody asked for */
		}
		if (top && !strcasecmp(kw, ".end"))
			break;
		in_control = !strcasecmp(kw, ".control");
		rc = visit(ctx, path, at[i], s, in_control);
		if (rc == 0 && !in_control && is_include(kw) &&
		    included_file(s, dir, file, sizeof file, sec, sizeof sec) == 0) {
			rc = walk_file(file, sec, depth + 1, 0, visit, ctx, err, n);
			if (rc != 0 && top)   /* name the line that included it */
				rc = -1;
		}
	}
	if (rc > 0)
		snprintf(err, n, "%s:%d: stopped", path, at[i - 1]);
	for (i = 0; i < nraw; i++)
		free(raw[i]);
	free(raw);
	free(at);
	return rc ? -1 : 0;
}

int lim_deck_walk(const char *path, lim_deck_visit_fn visit, void *ctx, char *err, size_t n)
{
	return walk_file(path, "", 0, 1, visit, ctx, err, n);
}

/* What the sources of an included file add to the deck. */
typedef struct {
	lim_deck *d;
	size_t *scap;
	int sub;           /* .subckt depth */
	int oom;
} source_scan;

/* One line of an included file: top-level sources and .tran count as the
** deck's own; the walk follows nested includes itself. */
static int scan_visit(void *ctx, const char *file, int line, const char *text, int in_control)
{
	source_scan *sc = ctx;
	char kw[32] = "";

	(void)file;
	(void)line;
	if (in_control)
		return 0;
	sscanf(text, "%31s", kw);
	if (!strcasecmp(kw, ".subckt"))
		sc->sub++;
	else if (!strcasecmp(kw, ".ends"))
		sc->sub--;
	else if (sc->sub == 0 && !strcasecmp(kw, ".tran"))
		sc->d->has_tran = 1;
	else if (sc->sub == 0 && (tolower((unsigned char)*text) == 'v' ||
	                          tolower((unsigned char)*text) == 'i') &&
	         add_source(sc->d, sc->scap, text) != 0)
		return sc->oom = 1;
	return 0;
}

/* One top-level line of the deck: a source, a .tran, or an include whose
** lines count as the deck's own. */
static int scan_line(lim_deck *d, size_t *scap, const char *line, const char *dir, int depth,
                     char *err, size_t n)
{
	char kw[32] = "", file[PATH_MAX], section[256];
	source_scan sc = {d, scap, 0, 0};

	sscanf(line, "%31s", kw);
	if (!strcasecmp(kw, ".tran"))
		d->has_tran = 1;
	else if (is_include(kw) &&
	         included_file(line, dir, file, sizeof file, section, sizeof section) == 0) {
		if (walk_file(file, section, depth + 1, 0, scan_visit, &sc, err, n) == 0)
			return 0;
		if (sc.oom)
			snprintf(err, n, "out of memory");
		return -1;
	} else if ((tolower((unsigned char)*line) == 'v' || tolower((unsigned char)*line) == 'i') &&
	         add_source(d, scap, line) != 0) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	return 0;
}

int lim_deck_read(const char *path, lim_deck *d, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	char dir[PATH_MAX], *slash, **raw;
	size_t nraw = 0, i, cap = 0, scap = 0;
	int *at = NULL, in_control = 0, depth = 0, ended = 0, nul_line, rc;
	char why[PATH_MAX + 256];

	memset(d, 0, sizeof *d);
	if (!f) {
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (!realpath(path, dir))
		snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	raw = NULL;
	rc = logical_lines(f, &raw, &nraw, &at, &nul_line);
	fclose(f);
	if (rc != 0 && nul_line) {
		snprintf(err, n, "%s:%d: a NUL byte: expected a text deck", path, nul_line);
		return -1;
	}
	if (rc != 0) {
		snprintf(err, n, "%s: out of memory", path);
		return -1;
	}
	if (nraw == 0) {
		snprintf(err, n, "%s: empty deck", path);
		goto fail;
	}
	for (i = 0; i < nraw && !ended; i++) {
		char *s = raw[i] + strspn(raw[i], " \t"), kw[32] = "";
		sscanf(s, "%31s", kw);
		if (i == 0) {                    /* the title, whatever it says */
			if (push_line(d, &cap, strdup(raw[i])) != 0)
				goto oom;
			continue;
		}
		if (!strcasecmp(kw, ".control")) {
			in_control = d->had_control = 1;
			continue;
		}
		if (in_control) {
			in_control = strcasecmp(kw, ".endc") != 0;
			continue;
		}
		if (!strcasecmp(kw, ".end")) {
			ended = 1;
			continue;
		}
		if (!strcasecmp(kw, ".subckt"))
			depth++;
		else if (!strcasecmp(kw, ".ends"))
			depth--;
		else if (depth == 0 && scan_line(d, &scap, s, dir, 0, why, sizeof why) != 0) {
			snprintf(err, n, "%s:%d: %s", path, at[i], why);
			goto fail;
		}
		if (push_line(d, &cap, kw[0] == '.' ? absolute_include(s, dir) : strdup(s)) != 0)
			goto oom;
	}
	if (in_control) {
		snprintf(err, n, "%s:%d: .control has no .endc", path, at[nraw - 1]);
		goto fail;
	}
	if (depth != 0) {
		snprintf(err, n, "%s: a .subckt has no .ends", path);
		goto fail;
	}
	if (add_saves(d, &cap) != 0 || push_line(d, &cap, strdup(".end")) != 0)
		goto oom;
	for (i = 0; i < nraw; i++)
		free(raw[i]);
	free(raw);
	free(at);
	return 0;
oom:
	snprintf(err, n, "%s: out of memory", path);
fail:
	for (i = 0; i < nraw; i++)
		free(raw[i]);
	free(raw);
	free(at);
	lim_deck_free(d);
	return -1;
}
