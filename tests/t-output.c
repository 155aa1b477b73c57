/*
** t-output.c - outputs are never lost, never destroyed, never silently
** mixed: full devices and file systems, device nodes and symlinks as --out,
** the umask, output directories checked before the run, a busy directory,
** what an earlier or a killed run left. See LICENSE for copyright.
**
** The full device is a private node (mknod DIR/full c 1 7), never the
** machine's /dev/full; the full file system a small tmpfs of our own.
** Both need root: as anyone else those cases are skipped.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "tap.h"

static const char *exe;
static char dir[] = "/tmp/limspice-output-XXXXXX";
static char errs[16384];        /* the stderr of the last lim() */
static char rates[600], weights[600], spec[600], deck[600];

/* Runs "{ limspice ARGS; }" (ARGS from fmt) through sh, so ARGS may
** redirect stdout; keeps its stderr in errs and, when out is given, its
** stdout (the caller frees). The exit status. */
static int lim(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int lim(char **out, const char *fmt, ...)
{
	char args[4096], cmd[8192], *o = NULL, *e = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "{ %s %s; }", exe, args);
	rc = run_capture(cmd, &o, &e);
	snprintf(errs, sizeof errs, "%s", e ? e : "");
	if (rc != 0 && rc != 1 && rc != 2)
		tap_diag("%s: status %d", cmd, rc);
	if (*errs && rc == 0)
		tap_diag("stderr: %s", errs);
	free(e);
	if (out)
		*out = o;
	else
		free(o);
	return rc;
}

/* A fresh directory dir/name-N for one case, into buf. */
static void fresh(char *buf, size_t n, const char *name)
{
	static int count;

	snprintf(buf, n, "%s/%s-%d", dir, name, ++count);
	if (mkdir(buf, 0777) != 0)
		tap_diag("mkdir %s: %s", buf, strerror(errno));
}

static int kind_of(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0 ? (int)(st.st_mode & S_IFMT) : -1;
}

static int mode_of(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static int exists(const char *dirname, const char *name)
{
	char p[1200];

	snprintf(p, sizeof p, "%s/%s", dirname, name);
	return kind_of(p) != -1;
}

/* Files in d whose names carry ".tmp." (a temporary left behind). */
static int temps_in(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	int n = 0;

	while (dp && (e = readdir(dp)))
		if (strstr(e->d_name, ".tmp.")) {
			tap_diag("left behind: %s/%s", d, e->d_name);
			n++;
		}
	if (dp)
		closedir(dp);
	return n;
}

static void put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A private full device: reads give zeros, writes fail with ENOSPC. */
static int make_full(char *buf, size_t n, const char *in)
{
	snprintf(buf, n, "%s/full", in);
	return mknod(buf, S_IFCHR | 0666, makedev(1, 7));
}

/* ---- A full device as --out, --plot, --weights-out and as stdout ------------- */

/* args has one %s, the device. */
static void to_device(const char *args)
{
	char sub[600], dev[700], full_args[4096];

	fresh(sub, sizeof sub, "device");
	check_int(make_full(dev, sizeof dev, sub), ==, 0);
	snprintf(full_args, sizeof full_args, args, dev);
	check_int(lim(NULL, "%s", full_args), ==, 1);
	check(strstr(errs, dev) != NULL);
	check(strstr(errs, "cannot write: No space left on device") != NULL);
	check_int(kind_of(dev), ==, S_IFCHR);       /* still the device, not a file */
	check_int(temps_in(sub), ==, 0);
}

static void stdout_to_device(const char *args)
{
	char sub[600], dev[700];

	fresh(sub, sizeof sub, "stdout");
	check_int(make_full(dev, sizeof dev, sub), ==, 0);
	check_int(lim(NULL, "%s > %s", args, dev), ==, 1);
	check(strstr(errs, "stdout: cannot write: No space left on device") != NULL);
	check_int(kind_of(dev), ==, S_IFCHR);
}

/* ---- Symlinks ------------------------------------------------------------------ */

static void symlinks(int root)
{
	char sub[600], link[700], real[700], *want = NULL, *got;

	fresh(sub, sizeof sub, "link");
	snprintf(link, sizeof link, "%s/link", sub);
	snprintf(real, sizeof real, "%s/real.txt", sub);
	check(symlink("real.txt", link) == 0);       /* relative: to the link's directory */
	put(real, "old\n");
	check_int(lim(&want, "bound --summary"), ==, 0);
	check_int(lim(NULL, "bound --summary --out %s", link), ==, 0);
	check_int(kind_of(link), ==, S_IFLNK);
	got = slurp(real);
	check_str(got ? got : "", want ? want : "?");
	free(got);
	free(want);
	/* a link to a link, and a dangling link: the file is made where it points */
	snprintf(link, sizeof link, "%s/chain", sub);
	check(symlink("link", link) == 0);
	check_int(lim(NULL, "bound --out %s", link), ==, 0);
	check_int(kind_of(link), ==, S_IFLNK);
	snprintf(link, sizeof link, "%s/dangling", sub);
	check(symlink("new.txt", link) == 0);
	check_int(lim(NULL, "bound --out %s", link), ==, 0);
	check_int(kind_of(link), ==, S_IFLNK);
	check(exists(sub, "new.txt"));
	if (root) {   /* a link to a device: written through, and it fails */
		char dev[700];
		check_int(make_full(dev, sizeof dev, sub), ==, 0);
		snprintf(link, sizeof link, "%s/to-device", sub);
		check(symlink("full", link) == 0);
		check_int(lim(NULL, "bound --out %s", link), ==, 1);
		check(strstr(errs, "No space left on device") != NULL);
		check_int(kind_of(link), ==, S_IFLNK);
		check_int(kind_of(dev), ==, S_IFCHR);
	}
	check_int(temps_in(sub), ==, 0);
}

/* ---- The umask ------------------------------------------------------------------ */

static void umask_honoured(void)
{
	static const int masks[] = {022, 077, 002};
	char sub[600], p[700];
	mode_t old = umask(022);
	size_t i;

	fresh(sub, sizeof sub, "umask");
	for (i = 0; i < sizeof masks / sizeof *masks; i++) {
		umask((mode_t)masks[i]);   /* inherited by the command */
		snprintf(p, sizeof p, "%s/bound-%03o.txt", sub, masks[i]);
		check_int(lim(NULL, "bound --out %s", p), ==, 0);
		check_int(mode_of(p), ==, 0666 & ~masks[i]);
	}
	umask(022);
	/* an existing file keeps its mode */
	snprintf(p, sizeof p, "%s/kept.txt", sub);
	put(p, "old\n");
	check(chmod(p, 0640) == 0);
	check_int(lim(NULL, "bound --out %s", p), ==, 0);
	check_int(mode_of(p), ==, 0640);
	/* train's directory, its CSVs and plots, and --weights-out */
	snprintf(p, sizeof p, "%s/train", sub);
	check_int(lim(NULL, "train --steps 2 --quiet --out %s --weights-out %s/w.csv", p, sub),
	          ==, 0);
	check_int(mode_of(p), ==, 0755);
	snprintf(p, sizeof p, "%s/train/summary.csv", sub);
	check_int(mode_of(p), ==, 0644);
	snprintf(p, sizeof p, "%s/train/weights.png", sub);
	check_int(mode_of(p), ==, 0644);
	snprintf(p, sizeof p, "%s/w.csv", sub);
	check_int(mode_of(p), ==, 0644);
	snprintf(p, sizeof p, "%s/plot.png", sub);
	check_int(lim(NULL, "bound --summary --plot %s", p), ==, 0);
	check_int(mode_of(p), ==, 0644);
	umask(old);
}

/* ---- Checked before the run ----------------------------------------------------- */

/* args has one %s, a path under a directory that does not exist. */
static void refused_before_run(const char *args)
{
	char sub[600], bad[700], full_args[4096];

	fresh(sub, sizeof sub, "early");
	snprintf(bad, sizeof bad, "%s/no/such/place", sub);
	snprintf(full_args, sizeof full_args, args, bad);
	check_int(lim(NULL, "%s", full_args), ==, 1);
	check(strstr(errs, bad) != NULL);
	check(strstr(errs, "cannot write: No such file or directory") != NULL);
	check(strstr(errs, "step 1/") == NULL);   /* no training started */
}

/* ---- One directory, several runs ------------------------------------------------ */

static void superseded_files_cleared(void)
{
	static const char *const gone[] = {"steps_conventional.csv", "summary_conventional.csv",
		"loss_accuracy.png", "energy_per_update.png", "barrier_schedule.png",
		"weights.png", NULL};
	char sub[600], *report;
	int i;

	fresh(sub, sizeof sub, "twice");
	check_int(lim(NULL, "train --compare --steps 3 --quiet --out %s", sub), ==, 0);
	check(exists(sub, "summary_conventional.csv"));
	check(exists(sub, "weights.png"));
	check_int(lim(NULL, "train --steps 3 --quiet --no-plots --out %s", sub), ==, 0);
	for (i = 0; gone[i]; i++)
		if (exists(sub, gone[i])) {
			tap_diag("%s is left from the first run", gone[i]);
			check(0);
		}
	check(exists(sub, "summary.csv") && exists(sub, "steps.csv"));
	{
		char p[700];
		snprintf(p, sizeof p, "%s/report.md", sub);
		report = slurp(p);
		check(report && !strstr(report, "--compare"));
		free(report);
	}
}

/* A training runs into a directory; a second one into it is refused at
** once instead of one of them being lost. */
static void busy_directory_refused(void)
{
	char sub[600], lock[700], cmd[2048];
	pid_t pid;
	int st = -1, seen = 0, i;

	fresh(sub, sizeof sub, "busy");
	snprintf(lock, sizeof lock, "%s/.limspice.lock", sub);
	snprintf(cmd, sizeof cmd, "exec %s train --steps 300 --quiet --out %s >/dev/null 2>&1",
	         exe, sub);
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	check(pid > 0);
	for (i = 0; pid > 0 && i < 60000 && !seen; i++) {   /* 60 s at most */
		seen = access(lock, F_OK) == 0;
		if (!seen && waitpid(pid, &st, WNOHANG) == pid) {
			pid = -1;
			break;
		}
		usleep(1000);
	}
	check(seen);
	check_int(lim(NULL, "train --steps 3 --quiet --out %s", sub), ==, 1);
	check(strstr(errs, sub) != NULL);
	check(strstr(errs, "another run is writing into it") != NULL);
	if (pid > 0)
		check_int(waitpid(pid, &st, 0), ==, pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	{   /* the first run's outputs, whole */
		char p[700], *s;
		snprintf(p, sizeof p, "%s/summary.csv", sub);
		s = slurp(p);
		check(s && strstr(s, "\nsteps,300,1\n"));
		free(s);
	}
	check(access(lock, F_OK) != 0);   /* released */
}

/* Temporaries of a killed run are removed by the next run into the
** directory; a live writer's (locked) and other files stay. */
static void stale_temporaries_removed(void)
{
	char sub[600], stale[700], live[700], notes[700], single[700];
	int fd;

	fresh(sub, sizeof sub, "stale");
	snprintf(stale, sizeof stale, "%s/summary.csv.tmp.Ab12Cd", sub);
	snprintf(live, sizeof live, "%s/report.md.tmp.Zz99Yy", sub);
	snprintf(notes, sizeof notes, "%s/notes.txt", sub);
	put(stale, "metric,value,unit\nsteps,");
	put(notes, "mine\n");
	fd = open(live, O_RDWR | O_CREAT, 0600);
	check(fd >= 0 && flock(fd, LOCK_EX) == 0);
	check_int(lim(NULL, "train --steps 3 --quiet --out %s", sub), ==, 0);
	check_int(kind_of(stale), ==, -1);
	check_int(kind_of(live), ==, S_IFREG);
	check_int(kind_of(notes), ==, S_IFREG);
	if (fd >= 0)
		close(fd);
	/* and beside a single --out FILE */
	snprintf(single, sizeof single, "%s/table.txt.tmp.Qq11Ww", sub);
	put(single, "half");
	check_int(lim(NULL, "bound --out %s/table.txt", sub), ==, 0);
	check_int(kind_of(single), ==, -1);
}

/* ---- A full file system (a tmpfs of our own) ------------------------------------ */

/* Fills the file system of m with m/fill, leaving keep bytes free (none
** when keep is 0); a filler from before is replaced. */
static void fill(const char *m, long long keep)
{
	char p[700], buf[65536];
	struct statvfs sv;
	long long left;
	ssize_t w;
	int fd;

	snprintf(p, sizeof p, "%s/fill", m);
	unlink(p);
	if (statvfs(m, &sv) != 0 || (fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return;
	left = (long long)sv.f_bavail * (long long)sv.f_frsize - keep;
	if (keep == 0)
		left = 1LL << 40;   /* until the file system refuses */
	memset(buf, 0, sizeof buf);
	while (left > 0 && (w = write(fd, buf, left < (long long)sizeof buf ? (size_t)left :
	                                                sizeof buf)) > 0)
		left -= w;
	close(fd);
}

static void unfill(const char *m)
{
	char p[700];

	snprintf(p, sizeof p, "%s/fill", m);
	unlink(p);
}

static void full_fs_fit(const char *m)
{
	char out[700];

	fill(m, 8192);   /* room for fit.csv and model.lib, not the plot */
	snprintf(out, sizeof out, "%s/fit", m);
	check_int(lim(NULL, "fit --kind rates %s --out %s", rates, out), ==, 1);
	check(!exists(out, "arrhenius.png"));
	check(!exists(out, "fit.csv") && !exists(out, "model.lib"));
	check_int(temps_in(out), ==, 0);
}

static void full_fs_train(const char *m)
{
	char out[700];

	fill(m, 24576);   /* room for the CSVs and the report, not the plots */
	snprintf(out, sizeof out, "%s/train", m);
	check_int(lim(NULL, "train --steps 3 --quiet --out %s", out), ==, 1);
	check(strstr(errs, "cannot write") != NULL);
	check(!exists(out, "loss_accuracy.png") && !exists(out, "energy_per_update.png") &&
	      !exists(out, "barrier_schedule.png") && !exists(out, "weights.png"));
	check(!exists(out, "summary.csv") && !exists(out, "report.md"));
	check_int(temps_in(out), ==, 0);
}

static void full_fs_keeps_old(const char *m)
{
	char out[700], p[800], *before, *after;

	unfill(m);
	snprintf(out, sizeof out, "%s/keep", m);
	check_int(lim(NULL, "train --steps 3 --quiet --seed 1 --out %s", out), ==, 0);
	snprintf(p, sizeof p, "%s/summary.csv", out);
	before = slurp(p);
	fill(m, 0);
	check_int(lim(NULL, "train --steps 3 --quiet --seed 2 --out %s", out), ==, 1);
	check(strstr(errs, "No space left on device") != NULL ||
	      strstr(errs, "incomplete") != NULL);
	after = slurp(p);
	check(before && after && strcmp(before, after) == 0);
	check(exists(out, "weights.png"));
	check_int(temps_in(out), ==, 0);
	free(before);
	free(after);
	check_int(lim(NULL, "bound --csv --steps 100000 --out %s/b.csv", m), ==, 1);
	check(strstr(errs, "b.csv: cannot write: No space left on device") != NULL);
	check(!exists(m, "b.csv"));
	check_int(temps_in(m), ==, 0);
}

/* ---- Fixtures -------------------------------------------------------------------- */

static int fixtures(void)
{
	snprintf(rates, sizeof rates, "%s/rates.csv", dir);
	snprintf(weights, sizeof weights, "%s/w.csv", dir);
	snprintf(spec, sizeof spec, "%s/spec.ini", dir);
	snprintf(deck, sizeof deck, "%s/deck.cir", dir);
	put(spec, "[sweep]\nrun = train\n[fixed]\ndata = iris\nsteps = 2\n"
	    "[vary]\ne_b0 = 1.1, 1.3\n");
	return lim(NULL, "characterize rates --out %s", rates) == 0 &&
	       lim(NULL, "train --steps 2 --quiet --weights-out %s", weights) == 0 &&
	       lim(NULL, "netlist crossbar --rows 2 --cols 2 --no-control "
	           "--analysis '.tran 1n 10n' --out %s", deck) == 0;
}

int main(void)
{
	static const char no_root[] = "needs root (mknod of a private device node)";
	static const char *const verbs_out[] = {"bound --out %s", "bound --csv --out %s",
		"bound --plot %s", "netlist crossbar --out %s", "characterize rates --out %s",
		"train --steps 2 --quiet --weights-out %s", NULL};
	char args[2048], m[600];
	int root = geteuid() == 0, mounted = 0, i;

	if (!(exe = env_or_skip("LIMSPICE")))
		return 0;
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot create a temporary folder\n");
		return 1;
	}
	if (!fixtures()) {
		printf("Bail out! cannot make the fixtures in %s: %s\n", dir, errs);
		return 1;
	}
	for (i = 0; verbs_out[i]; i++) {
		char what[256];
		snprintf(what, sizeof what, verbs_out[i], "DEV");
		if (root)
			TEST(to_device(verbs_out[i]), "%s, DEV a full device: exit 1, DEV kept", what);
		else
			tap_skip(no_root, "%s, DEV a full device", what);
	}
	snprintf(args, sizeof args, "energy %s --out %%s", deck);
	if (root)
		TEST(to_device(args), "energy --out on a full device: exit 1, the device kept");
	else
		tap_skip(no_root, "energy --out on a full device");
	{
		static const char *const verbs[] = {"params", "bound", "netlist crossbar",
			"train --steps 2 --quiet", "fit --kind rates %s", "infer --weights-in %s",
			"sweep %s --dry-run", NULL};
		const char *fixture[] = {NULL, NULL, NULL, NULL, rates, weights, spec};
		const char *shown[] = {NULL, NULL, NULL, NULL, "FILE", "FILE", "SPEC"};
		for (i = 0; verbs[i]; i++) {
			char what[256];
			snprintf(args, sizeof args, verbs[i], fixture[i]);
			snprintf(what, sizeof what, verbs[i], shown[i]);
			if (root)
				TEST(stdout_to_device(args), "%s > a full device: exit 1, stdout named",
				     what);
			else
				tap_skip(no_root, "%s > a full device", what);
		}
	}
	TEST(symlinks(root), "--out through symlinks: the link stays, its target is written");
	TEST(umask_honoured(), "outputs get 0666 less the umask; a replaced file keeps its mode");
	TEST(refused_before_run("train --steps 30 --out %s"),
	     "train --out into a missing directory: refused before training");
	TEST(refused_before_run("train --steps 30 --weights-out %s"),
	     "train --weights-out into a missing directory: refused before training");
	TEST(refused_before_run("precision --n-c 30 --tilt 2 --steps 3 --out %s"),
	     "precision --out into a missing directory: refused");
	snprintf(args, sizeof args, "energy %s --out %%s", deck);
	TEST(refused_before_run(args), "energy --out into a missing directory: refused");
	TEST(superseded_files_cleared(), "train --compare then train --no-plots into one "
	     "directory: nothing of the first run is left");
	TEST(busy_directory_refused(), "a second train into a busy directory: refused at once");
	TEST(stale_temporaries_removed(), "temporaries of a killed run are removed, live ones kept");

	snprintf(m, sizeof m, "%s/mnt", dir);
	if (root && mkdir(m, 0755) == 0 && mount("tmpfs", m, "tmpfs", MS_NOSUID | MS_NODEV,
	                                         "size=512k") == 0)
		mounted = 1;
	else if (root)
		tap_diag("mount -t tmpfs: %s", strerror(errno));
	if (mounted) {
		TEST(full_fs_fit(m), "fit --out on a full file system: exit 1, no truncated PNG");
		TEST(full_fs_train(m), "train --out on a full file system: exit 1, nothing left");
		TEST(full_fs_keeps_old(m), "a failed run on a full file system keeps the old "
		     "outputs whole");
		if (umount(m) != 0 && umount2(m, MNT_DETACH) != 0)
			tap_diag("umount %s: %s", m, strerror(errno));
	} else {
		const char *why = root ? "mount -t tmpfs is not permitted here" :
		                         "needs root (mount of a small tmpfs)";
		tap_skip(why, "fit --out on a full file system");
		tap_skip(why, "train --out on a full file system");
		tap_skip(why, "a failed run on a full file system keeps the old outputs");
	}
	snprintf(args, sizeof args, "rm -rf %s", dir);
	if (system(args) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
