/*
** session.c - the one owner of libngspice (see session.h).
** See LICENSE for copyright.
**
** Traps handled here, from ../shared/notes/ngspice-xspice.md: init exactly
** once, never "quit"; return codes do not report errors, so the stderr
** lines are read; ngGet_Vec_Info's struct is overwritten by the next call,
** so data are copied at once; remcirc + destroy all after every run keep
** memory flat; circuit lines are heap copies because ngspice rewrites them.
**
** libngspice is opened with dlopen, not linked: the caller names which
** one (Debian's ngspice 39, or ngspice 46 unpacked beside it), and the
** session loads the device build that fits it (../shared/notes/osdi.md):
** the XSPICE .cm in the ngspice it was built for, the .osdi in any other.
** Both libraries have the soname libngspice.so.0, so a process holds one.
*/
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ngspice/sharedspice.h>

#include "buildinfo.h"
#include "phys.h"
#include "session.h"

#define LOG_MAX   (256 * 1024)   /* captured output kept per run */
#define ERR_MAX   2048

/* The libngspice calls limspice makes, from the library it opened. */
typedef struct {
	int (*init)(SendChar *, SendStat *, ControlledExit *, SendData *, SendInitData *,
	            BGThreadRunning *, void *);
	int (*init_sync)(GetVSRCData *, GetISRCData *, GetSyncData *, int *, void *);
	int (*command)(char *);
	int (*circ)(char **);
	pvector_info (*vec_info)(char *);
	NG_BOOL (*set_bkpt)(double);
} ng_api;

struct lim_session {
	int open;
	void *dl;              /* the dlopen'ed libngspice */
	ng_api ng;
	int major;             /* ngspice's major version, from its banner */
	int osdi;              /* 1: the OSDI device is loaded, else the code model */
	int klu;               /* 1: this ngspice has the KLU solver */
	char solver[16];       /* "klu", "sparse" or "" (ngspice's default) */
	int exited;            /* ngspice asked to exit: the library is unusable */
	char refused[ERR_MAX]; /* why the open failed: every later open fails so */
	char cm[PATH_MAX];
	char *log;             /* everything printed since the last load */
	size_t log_len;
	char err[ERR_MAX];     /* the error of the last call */
	int error_seen;        /* an error line arrived during the current call */
	int context;           /* lines still to keep after an error line */
	lim_sess_source_fn source; /* EXTERNAL source values, or NULL */
	lim_sess_data_fn data;     /* each accepted time point, or NULL */
	void *hook_ctx;
	const char **names;    /* the data hook's view of one point */
	double *values;
	int nvalues;
};

/* libngspice is a process-wide singleton whose callbacks reach us only
** through the user pointer given to its one init; the session is the same
** singleton on our side. */
static lim_session the_session;

static void log_append(lim_session *s, const char *line)
{
	size_t n = strlen(line);

	if (!s->log && !(s->log = malloc(LOG_MAX)))
		return;
	if (s->log_len + n + 2 > LOG_MAX)
		return;           /* keep the start: errors come first */
	memcpy(s->log + s->log_len, line, n);
	s->log_len += n;
	s->log[s->log_len++] = '\n';
	s->log[s->log_len] = '\0';
}

static int contains_ci(const char *h, const char *needle)
{
	size_t n = strlen(needle);

	for (; *h; h++)
		if (strncasecmp(h, needle, n) == 0)
			return 1;
	return 0;
}

/* The code model's refusal of a card or an analysis: "lim_synapse: refused". */
static int model_refused(const char *text)
{
	const char *p = strstr(text, lim_phys_synapse.model);

	return p && strncmp(p + strlen(lim_phys_synapse.model), ": refused", 9) == 0;
}

/* Lines that mean the circuit or the run failed. ngspice prints its
** warnings on stderr too, so not every stderr line is an error. */
static int is_error_line(const char *text)
{
	static const char *const marks[] = {
		"error", "too small", "singular", "not converge", "can't find model",
		"unable to find", "aborted", "not parsed", "unknown", "trouble", NULL
	};
	int i;

	for (i = 0; marks[i]; i++)
		if (contains_ci(text, marks[i]))
			return 1;
	return 0;
}

static int is_noise(const char *text)
{
	static const char *const noise[] = {"Note:", "Trying gmin", "Warning: Further gmin",
		"Warning: Last gmin", "Warning: Dynamic gmin", "Warning: True gmin",
		"Warning: gmin step", "Warning: source stepping", "Supplies reduced", NULL};
	int i;

	for (i = 0; noise[i]; i++)
		if (strncmp(text, noise[i], strlen(noise[i])) == 0)
			return 1;
	return 0;
}

static void err_append(lim_session *s, const char *text)
{
	size_t have = strlen(s->err);
	const char *w = strstr(text, "Warning:"), *e = strstr(text, "Error:");

	/* "Trying gmin = 5.6E-03 Warning: singular matrix ...": keep the tail,
	** so the repeats of gmin stepping collapse into one */
	if (w && w != text && (!e || w > e))
		text = w;
	if (is_noise(text) || strstr(s->err, text))
		return;
	if (have && have + 3 < sizeof s->err)
		strcat(s->err, "; ");
	have = strlen(s->err);
	snprintf(s->err + have, sizeof s->err - have, "%s", text);
}

static int on_char(char *line, int id, void *user)
{
	lim_session *s = user;
	int is_err = strncmp(line, "stderr ", 7) == 0;
	const char *text = line + (strncmp(line, "stdout ", 7) == 0 || is_err ? 7 : 0);

	(void)id;
	log_append(s, line);
	if (getenv("LIMSPICE_NGSPICE_LOG"))
		fprintf(stderr, "ngspice: %s\n", line);
	/* The code model reports through cm_message_printf, which prints
	** "Message:" lines on stdout, not stderr. */
	if ((is_err && is_error_line(text)) || model_refused(text)) {
		s->error_seen = 1;
		s->context = 1;
		err_append(s, text);
	} else if (is_err && s->context > 0) {
		s->context--;
		err_append(s, text);   /* "Error on line N:" is followed by the line */
	}
	return 0;
}

static int on_exit_request(int status, NG_BOOL unload, NG_BOOL quit, int id, void *user)
{
	lim_session *s = user;

	(void)status; (void)unload; (void)quit; (void)id;
	s->exited = 1;
	return 0;
}

/* ngspice asks for an EXTERNAL source's value at a (trial) time. */
static int on_vsrc(double *value, double t, char *name, int id, void *user)
{
	lim_session *s = user;

	(void)id;
	*value = s->source ? s->source(s->hook_ctx, name, t) : 0;
	return 0;
}

static int on_isrc(double *value, double t, char *name, int id, void *user)
{
	return on_vsrc(value, t, name, id, user);
}

/* Every accepted time point, with the values of all saved vectors. */
static int on_data(pvecvaluesall all, int count, int id, void *user)
{
	lim_session *s = user;
	int k;

	double t = 0;

	(void)id;
	(void)count;
	if (!s->data || !all)
		return 0;
	if (all->veccount > s->nvalues) {
		const char **n = realloc(s->names, (size_t)all->veccount * sizeof *n);
		double *v = n ? realloc(s->values, (size_t)all->veccount * sizeof *v) : NULL;
		if (n)
			s->names = n;
		if (!n || !v)
			return 0;   /* out of memory: this point is not reported */
		s->values = v;
		s->nvalues = all->veccount;
	}
	for (k = 0; k < all->veccount; k++) {
		s->names[k] = all->vecsa[k]->name;
		s->values[k] = all->vecsa[k]->creal;
		if (all->vecsa[k]->is_scale)
			t = all->vecsa[k]->creal;
	}
	s->data(s->hook_ctx, all->veccount, s->names, s->values, t);
	return 0;
}

/* ngspice sends no per-point data unless this one is registered too. */
static int on_init_data(pvecinfoall info, int id, void *user)
{
	(void)info;
	(void)id;
	(void)user;
	return 0;
}

void lim_sess_hooks(lim_session *s, lim_sess_source_fn source, lim_sess_data_fn data, void *ctx)
{
	s->source = source;
	s->data = data;
	s->hook_ctx = ctx;
}

int lim_sess_breakpoint(lim_session *s, double t)
{
	(void)s;
	return s->ng.set_bkpt(t) ? 0 : -1;
}

static void begin_call(lim_session *s)
{
	s->err[0] = '\0';
	s->error_seen = 0;
	s->context = 0;
}

static int end_call(lim_session *s)
{
	if (s->exited) {
		snprintf(s->err, sizeof s->err, "ngspice exited; the library cannot be used "
		         "again in this process");
		return -1;
	}
	return s->error_seen ? -1 : 0;
}

int lim_sess_command(lim_session *s, const char *cmd)
{
	char *copy = strdup(cmd);

	begin_call(s);
	if (!copy) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	s->ng.command(copy);
	free(copy);
	return end_call(s);
}

void lim_sess_opts_default(lim_sess_opts *o)
{
	memset(o, 0, sizeof *o);
}

/* The code model to load: the caller's, $LIMSPICE_CM, or the installed one. */
static const char *cm_to_load(const char *given)
{
	const char *env = getenv("LIMSPICE_CM");

	if (given && *given)
		return given;
	return env && *env ? env : LIMSPICE_CM_INSTALLED;
}

/* The OSDI device: the caller's, or the one installed with the library. */
static const char *osdi_to_load(const char *given)
{
	return given && *given ? given : LIMSPICE_OSDI_INSTALLED;
}

/* The major version in ngspice's banner ("** ngspice-39 shared library"),
** printed by its init; -1 when the banner is not in the log. */
static int banner_major(const lim_session *s)
{
	const char *p = s->log ? strstr(s->log, "ngspice-") : NULL;

	return p && isdigit((unsigned char)p[8]) ? atoi(p + 8) : -1;
}

static int model_registered(lim_session *s)
{
	size_t from = s->log_len;
	char cmd[64];

	/* devhelp answers an unknown device on stdout, not stderr */
	snprintf(cmd, sizeof cmd, "devhelp %s", lim_phys_synapse.model);
	lim_sess_command(s, cmd);
	return s->log && s->log_len > from && !strstr(s->log + from, "not found") &&
	       strstr(s->log + from, lim_phys_synapse.model) != NULL;
}

/* dlopen's the library and finds the calls limspice makes. */
static int bind_ngspice(lim_session *s, const char *path, char *err, size_t n)
{
	const char *lib = path && *path ? path : "libngspice.so.0";
	const char *missing = NULL;

	/* RTLD_LOCAL: the .cm and the .osdi import nothing from ngspice */
	if (!(s->dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL))) {
		snprintf(err, n, "cannot load libngspice %s: %s", lib, dlerror());
		return -1;
	}
#define BIND(field, sym) \
	if (!(*(void **)&s->ng.field = dlsym(s->dl, sym)) && !missing) missing = sym
	BIND(init, "ngSpice_Init");
	BIND(init_sync, "ngSpice_Init_Sync");
	BIND(command, "ngSpice_Command");
	BIND(circ, "ngSpice_Circ");
	BIND(vec_info, "ngGet_Vec_Info");
	BIND(set_bkpt, "ngSpice_SetBkpt");
#undef BIND
	if (missing) {
		snprintf(err, n, "%s is not an ngspice shared library: no %s", lib, missing);
		dlclose(s->dl);
		s->dl = NULL;
		return -1;
	}
	return 0;
}

/* Loads the device file with the command ("codemodel" or "osdi"). */
static int load_device(lim_session *s, const char *what, const char *path, char *err,
                       size_t n)
{
	char cmd[PATH_MAX + 16];

	snprintf(s->cm, sizeof s->cm, "%s", path);
	if (access(s->cm, R_OK) != 0) {
		snprintf(err, n, "the lim_synapse %s %s cannot be read: %s",
		         strcmp(what, "osdi") ? "code model" : "OSDI device", s->cm, strerror(errno));
		s->cm[0] = '\0';
		return -1;
	}
	if ((size_t)snprintf(cmd, sizeof cmd, "%s %s", what, s->cm) >= sizeof cmd) {
		snprintf(err, n, "the device's path is too long");
		return -1;
	}
	if (lim_sess_command(s, cmd) != 0 || !model_registered(s)) {
		snprintf(err, n, "%s: ngspice %d did not load the device: %s", s->cm, s->major,
		         s->err[0] ? s->err : "lim_synapse is not registered after loading");
		return -1;
	}
	return 0;
}

/* lim_sess_open's first call: load, init, the version check, the device. */
static int open_ngspice(lim_session *s, const lim_sess_opts *o, char *err, size_t n)
{
	if (o->solver && *o->solver && strcmp(o->solver, "klu") && strcmp(o->solver, "sparse")) {
		snprintf(err, n, "solver '%s': expected klu or sparse", o->solver);
		return -1;
	}
	/* ngspice reads SPICE_LIB_DIR at init for its spinit: an ngspice in a
	** folder of its own would otherwise read the system's (and load the
	** system ngspice's code models into itself) */
	if (o->spice_lib_dir && *o->spice_lib_dir && setenv("SPICE_LIB_DIR", o->spice_lib_dir, 1)) {
		snprintf(err, n, "cannot set SPICE_LIB_DIR: %s", strerror(errno));
		return -1;
	}
	if (bind_ngspice(s, o->ngspice, err, n) != 0)
		return -1;
	s->ng.init(on_char, NULL, on_exit_request, on_data, on_init_data, NULL, s);
	{
		int ident = 0;
		s->ng.init_sync(on_vsrc, on_isrc, NULL, &ident, s);
	}
	s->major = banner_major(s);
	{   /* "version -f" names the solvers built in: "Compiled with KLU ..." */
		size_t from = s->log_len;
		lim_sess_command(s, "version -f");
		s->klu = s->log && s->log_len > from && strstr(s->log + from, "KLU") != NULL;
	}
	if (o->solver && !strcmp(o->solver, "klu") && !s->klu) {
		snprintf(err, n, "--solver klu: ngspice %d was built without the KLU solver "
		         "(ngspice 43 and later have it)", s->major);
		return -1;
	}
	snprintf(s->solver, sizeof s->solver, "%s", o->solver ? o->solver : "");
	if (model_registered(s)) {            /* a spinit or .spiceinit loaded it */
		s->cm[0] = '\0';
		s->osdi = s->major != LIMSPICE_NGSPICE_MAJOR;
		return 0;
	}
	/* A .cm is built against one ngspice's headers: another one loads it
	** and then crashes. The OSDI interface is fixed: any ngspice that has
	** it loads the .osdi. */
	if (s->major == LIMSPICE_NGSPICE_MAJOR && !o->prefer_osdi)
		return load_device(s, "codemodel", cm_to_load(o->cm_path), err, n);
	s->osdi = 1;
	if (load_device(s, "osdi", osdi_to_load(o->osdi_path), err, n) != 0) {
		if (s->major != LIMSPICE_NGSPICE_MAJOR) {
			size_t len = strlen(err);
			snprintf(err + len, n - len, " (the code model fits only ngspice %d: "
			         "this is ngspice %d)", LIMSPICE_NGSPICE_MAJOR, s->major);
		}
		return -1;
	}
	/* ngspice 46 evaluates OSDI devices as OpenMP tasks, 8 threads by its
	** spinit: on two cores one thread was 45 times faster (osdi.md) */
	lim_sess_command(s, "set num_threads=1");
	return 0;
}

lim_session *lim_sess_open_opts(const lim_sess_opts *o, char *err, size_t n)
{
	lim_session *s = &the_session;

	if (s->open && s->refused[0])
		snprintf(err, n, "%s", s->refused);
	if (s->open)
		return s->refused[0] ? NULL : s;
	s->open = 1;
	if (open_ngspice(s, o, err, n) != 0) {
		snprintf(s->refused, sizeof s->refused, "%s", err);
		return NULL;
	}
	return s;
}

lim_session *lim_sess_open(const char *cm_path, char *err, size_t n)
{
	lim_sess_opts o;

	lim_sess_opts_default(&o);
	o.cm_path = cm_path;
	return lim_sess_open_opts(&o, err, n);
}

int lim_sess_osdi(const lim_session *s) { return s->osdi; }

void lim_sess_device_line(const lim_session *s, const char *name, const char *a,
                          const char *b, const char *c, const char *ref, const char *model,
                          char *buf, size_t n)
{
	if (s->osdi)
		snprintf(buf, n, "n%s %s %s %s %s %s", name, a, b, c, ref, model);
	else
		snprintf(buf, n, "a%s %%gd(%s %s) %%vd(%s %s) %s", name, a, b, c, ref, model);
}

void lim_sess_probe_name(const lim_session *s, const char *name, const char *probe, char *buf,
                         size_t n)
{
	snprintf(buf, n, "@%c%s[%s]", s->osdi ? 'n' : 'a', name, probe);
}
int lim_sess_ngspice_major(const lim_session *s) { return s->major; }
const char *lim_sess_device_path(const lim_session *s) { return s->cm; }

void lim_sess_close(lim_session *s)
{
	if (!s || !s->open)
		return;
	lim_sess_reset(s);
	free(s->log);
	s->log = NULL;
	s->log_len = 0;
	free(s->names);
	free(s->values);
	s->names = NULL;
	s->values = NULL;
	s->nvalues = 0;
	lim_sess_hooks(s, NULL, NULL, NULL);
}

/* -- Decks for the OSDI device ----------------------------------------------------
** ngspice 46 crashes on two things an XSPICE deck does freely (osdi.md,
** and tried here): an OSDI .model card written "type(p=v ...)" (it takes
** "(p" for a parameter name), and an instance line with a parameter the
** device does not have. So a deck for the OSDI device has its lim_synapse
** cards' parentheses blanked and each instance line's parameters checked
** before ngspice parses it. */

#define OSDI_MODELS_MAX 4096

/* The first word of p (up to space, '(' or '='), lower-cased, into w. */
static const char *word(const char *p, char *w, size_t n)
{
	size_t k = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && *p != ' ' && *p != '\t' && *p != '(' && *p != '='; p++)
		if (k + 1 < n)
			w[k++] = (char)tolower((unsigned char)*p);
	w[k] = '\0';
	return p;
}

/* Blanks the parentheses of a lim_synapse card in place (a ')' may come
** on a '+' line: *open carries that over); records the card's name. */
static void osdi_card(char *line, int *open, char (*names)[64], size_t *nnames)
{
	char w[64], name[64];
	const char *p;

	if (*open && line[0] == '+') {
		char *close = strrchr(line, ')');
		if (close) {
			*close = ' ';
			*open = 0;
		}
		return;
	}
	*open = 0;
	p = word(line, w, sizeof w);
	if (strcmp(w, ".model"))
		return;
	p = word(p, name, sizeof name);
	p = word(p, w, sizeof w);
	if (strcmp(w, lim_phys_synapse.model))
		return;
	if (*nnames < OSDI_MODELS_MAX)
		memcpy(names[(*nnames)++], name, sizeof name);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '(') {
		char *close = strrchr(line, ')');
		line[p - line] = ' ';
		if (close && close > line + (p - line))
			*close = ' ';
		else
			*open = 1;
	}
}

/* An instance of a lim_synapse card: every "name=value" must be one of the
** device's parameters (or ngspice's own dt and temp). 0, or -1 with the
** reason in s->err. */
static int osdi_instance(lim_session *s, const char *line, char (*names)[64], size_t nnames)
{
	char w[64], inst[64];
	const char *p = word(line, inst, sizeof inst);
	size_t i;
	int k;

	if (inst[0] != 'n')
		return 0;
	for (k = 0; k < 4; k++)              /* a b c ref */
		p = word(p, w, sizeof w);
	p = word(p, w, sizeof w);
	for (i = 0; i < nnames && strcmp(names[i], w); i++)
		;
	if (i == nnames)
		return 0;
	while (*(p = word(p, w, sizeof w), w)) {
		if (*p == '=')
			while (*p && *p != ' ' && *p != '\t')
				p++;                          /* the value */
		if (!lim_phys_dev_param(w) && strcmp(w, "dt") && strcmp(w, "temp")) {
			snprintf(s->err, sizeof s->err, "%s: instance %s: '%s' is not a %s parameter "
			         "(limspice params lists them)", lim_phys_synapse.model, inst, w,
			         lim_phys_synapse.model);
			return -1;
		}
	}
	return 0;
}

static int osdi_deck(lim_session *s, char **copy, size_t m)
{
	char (*names)[64] = malloc(OSDI_MODELS_MAX * sizeof *names);
	size_t nnames = 0, i;
	int open = 0, rc = 0;

	if (!names) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	for (i = 1; i < m; i++)              /* cards first: they may follow their devices */
		osdi_card(copy[i], &open, names, &nnames);
	for (i = 1; i < m && rc == 0; i++)
		rc = osdi_instance(s, copy[i], names, nnames);
	free(names);
	return rc;
}

int lim_sess_load(lim_session *s, const char *const *lines, size_t nlines)
{
	/* the solver's option goes in after the title, so every circuit of
	** the session is solved alike whatever its own .options say first */
	char opt[32];
	size_t extra = s->solver[0] && nlines > 0, m = nlines + extra, i;
	char **copy = calloc(m + 1, sizeof *copy);
	int rc;

	s->log_len = 0;
	if (s->log)
		s->log[0] = '\0';
	begin_call(s);
	if (!copy) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	snprintf(opt, sizeof opt, ".options %s", s->solver);
	for (i = 0; i < m; i++)
		if (!(copy[i] = strdup(extra && i == 1 ? opt : lines[i - (extra && i > 1)]))) {
			snprintf(s->err, sizeof s->err, "out of memory");
			rc = -1;
			goto done;
		}
	if (s->osdi && osdi_deck(s, copy, m) != 0) {
		rc = -1;
		goto done;
	}
	s->ng.circ(copy);
	rc = end_call(s);
done:
	for (i = 0; i < m; i++)
		free(copy[i]);
	free(copy);
	return rc;
}

int lim_sess_load_text(lim_session *s, const char *text)
{
	char *buf = strdup(text), *p, *save = NULL;
	const char **lines = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	if (!buf)
		goto oom;
	for (p = strtok_r(buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			const char **g = realloc(lines, (cap = cap ? 2 * cap : 64) * sizeof *g);
			if (!g)
				goto oom;
			lines = g;
		}
		lines[n++] = p;
	}
	rc = lim_sess_load(s, lines, n);
	free(lines);
	free(buf);
	return rc;
oom:
	free(lines);
	free(buf);
	begin_call(s);
	snprintf(s->err, sizeof s->err, "out of memory");
	return -1;
}

int lim_sess_run(lim_session *s)
{
	int rc = lim_sess_command(s, "run");

	if (rc != 0) {
		char msg[ERR_MAX];
		double t;
		size_t len;
		/* say how far the simulation got: the user's first question */
		snprintf(msg, sizeof msg, "%s", s->err);
		if (lim_sess_last(s, "time", &t) == 0) {
			len = strlen(msg);
			if ((size_t)snprintf(msg + len, sizeof msg - len, " (at simulation time "
			                     "%.6g s)", t) >= sizeof msg - len)
				msg[len] = '\0';
		}
		memcpy(s->err, msg, sizeof msg);
	}
	return rc;
}

int lim_sess_vec(lim_session *s, const char *name, double **data, size_t *len)
{
	char *copy = strdup(name);
	pvector_info vi;
	size_t i, n;
	double *d;

	if (!copy)
		return -1;
	vi = s->ng.vec_info(copy);
	free(copy);
	if (!vi || vi->v_length <= 0 || (!vi->v_realdata && !vi->v_compdata)) {
		snprintf(s->err, sizeof s->err, "no vector '%s' in the current plot", name);
		return -1;
	}
	n = (size_t)vi->v_length;
	if (!(d = malloc(n * sizeof *d))) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)   /* vi is overwritten by the next call: copy now */
		d[i] = vi->v_realdata ? vi->v_realdata[i] : vi->v_compdata[i].cx_real;
	*data = d;
	*len = n;
	return 0;
}

int lim_sess_last(lim_session *s, const char *name, double *value)
{
	double *d;
	size_t n;

	if (lim_sess_vec(s, name, &d, &n) != 0)
		return -1;
	*value = d[n - 1];
	free(d);
	return 0;
}

void lim_sess_reset(lim_session *s)
{
	char err[ERR_MAX];

	snprintf(err, sizeof err, "%s", s->err);   /* keep the caller's error */
	if (!s->dl)
		return;
	s->ng.command("remcirc");
	s->ng.command("destroy all");
	snprintf(s->err, sizeof s->err, "%s", err);
}

const char *lim_sess_error(const lim_session *s) { return s->err; }
const char *lim_sess_log(const lim_session *s) { return s->log ? s->log : ""; }

int lim_sess_index(int count, const char *const *names, const char *want)
{
	char alt[300];
	int k;

	snprintf(alt, sizeof alt, "v(%s)", want);
	for (k = 0; k < count; k++)
		if (!strcmp(names[k], want) || !strcmp(names[k], alt))
			return k;
	return -1;
}
