/*
** cmd_fit.c - `limspice characterize` and `limspice fit`: from a card to
** measurements and back. See LICENSE for copyright.
*/
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "card.h"
#include "cli.h"
#include "host.h"
#include "cmds.h"
#include "csv.h"
#include "fit.h"
#include "outfile.h"
#include "plot.h"
#include "session.h"

static const char char_usage[] =
"Usage: limspice characterize BENCH [--card FILE] [--param N=V ...] [options]\n"
"Simulates one lim_synapse card through the ngspice session and prints CSV\n"
"in the form limspice fit reads.\n"
"  rates      the relaxation rate Rf + Rr (the rate_relax probe) over a grid:\n"
"             temp_K,v_ctl_V,v_ab_V,rate_per_s (fit --kind rates)\n"
"             --temps T,T,..  default 233K,273K,300K,358K,398K\n"
"             --vctl V,V,..   default 0.8,1.2,1.6,2.0\n"
"             --vab V,V,..    default -0.1,-0.05,0,0.05,0.1\n"
"  retention  cells at --levels states between 0.05 and 0.95, read at time 0\n"
"             and after --duration at each of --temps, no bias:\n"
"             cell,temp_K,time_s,conductance_S (fit --kind traces --group cell)\n"
"             --duration D    default 1h; --levels N default 16\n"
"  pulses     --count N identical pulses up from w = 0.1, then N down from\n"
"             0.9, of --amplitude V and --width S, the barrier lowered to\n"
"             --vctl V only during each pulse: g_up,g_down (fit --kind pulses)\n"
"             defaults: 100 pulses of 0.078 V, 20 ns, V_c 1.766 V\n"
"  --out FILE  the CSV into FILE (written whole or not at all); default stdout\n"
"  --dry-run   check the options and the card, then stop\n";

/* A run of deck through the session; the message names the bench. */
static int run_deck(lim_session *s, const char *verb, const char *deck)
{
	lim_sess_reset(s);
	if (lim_sess_load_text(s, deck) != 0 || lim_sess_run(s) != 0) {
		cli_say(verb, "ngspice: %s", lim_sess_error(s));
		return -1;
	}
	return 0;
}

static int bench_rates(FILE *out, lim_session *s, const lim_phys_dev *d, const double *temps, int nt,
                       const double *vc, int nv, const double *vab, int na)
{
	char deck[2048], card[1024], dev[256], probe[64];
	int i, j, k;

	lim_card_format(d, "dev", card, sizeof card);
	lim_sess_device_line(s, "1", "a", "0", "c", "0", "dev", dev, sizeof dev);
	lim_sess_probe_name(s, "1", "rate_relax", probe, sizeof probe);
	fprintf(out, "temp_K,v_ctl_V,v_ab_V,rate_per_s\n");
	for (i = 0; i < nt; i++)
		for (j = 0; j < nv; j++)
			for (k = 0; k < na; k++) {
				double rate;
				snprintf(deck, sizeof deck, "characterize\n%s\n.temp %.10g\nva a 0 %.10g\n"
				         "vc c 0 %.10g\n%s\n.save %s\n"
				         ".op\n.end\n", card, temps[i] - LIM_PHYS_ZERO_C_IN_K, vab[k], vc[j],
				         dev, probe);
				if (run_deck(s, "characterize", deck) != 0 ||
				    lim_sess_last(s, probe, &rate) != 0)
					return CLI_FAIL;
				fprintf(out, "%.10g,%.10g,%.10g,%.10g\n", temps[i], vc[j], vab[k], rate);
			}
	return CLI_OK;
}

/* Cells at levels 0.05..0.95, no bias, read at 0 and after duration. */
static int bench_retention(FILE *out, lim_session *s, const lim_phys_dev *d, const double *temps, int nt,
                           double duration, int levels)
{
	char *deck = NULL, card[1024], name[32];
	size_t len = 0;
	int i, c;

	fprintf(out, "cell,temp_K,time_s,conductance_S\n");
	for (i = 0; i < nt; i++) {
		FILE *f = open_memstream(&deck, &len);
		if (!f)
			return CLI_FAIL;
		fprintf(f, "retention\n.temp %.10g\nva a 0 0\nvc c 0 0\n", temps[i] - LIM_PHYS_ZERO_C_IN_K);
		for (c = 0; c < levels; c++) {
			lim_phys_dev e = *d;
			char mn[16], num[16], node[16], dev[256], probe[64];
			e.w0 = 0.05 + 0.9 * c / (levels > 1 ? levels - 1 : 1);
			snprintf(mn, sizeof mn, "m%d", c);
			snprintf(num, sizeof num, "%d", c);
			snprintf(node, sizeof node, "n%d", c);
			lim_card_format(&e, mn, card, sizeof card);
			lim_sess_device_line(s, num, node, "0", "c", "0", mn, dev, sizeof dev);
			lim_sess_probe_name(s, num, "w", probe, sizeof probe);
			/* each cell on its own node through 1 ohm, so the probe is its own */
			fprintf(f, "%s\nr%d a n%d 1\n%s\n.save %s\n", card, c, c, dev, probe);
		}
		fprintf(f, ".tran %.6g %.6g\n.end\n", duration / 50, duration);
		fclose(f);
		if (run_deck(s, "characterize", deck) != 0) {
			free(deck);
			return CLI_FAIL;
		}
		free(deck);
		deck = NULL;
		for (c = 0; c < levels; c++) {
			double *w;
			size_t n;
			char num[16];
			snprintf(num, sizeof num, "%d", c);
			lim_sess_probe_name(s, num, "w", name, sizeof name);
			if (lim_sess_vec(s, name, &w, &n) != 0)
				return CLI_FAIL;
			fprintf(out, "%d,%.10g,0,%.10g\n%d,%.10g,%.10g,%.10g\n", c, temps[i],
			       lim_phys_dev_conductance(d, w[0]), c, temps[i], duration,
			       lim_phys_dev_conductance(d, w[n - 1]));
			free(w);
		}
	}
	return CLI_OK;
}

/* One train: count pulses from w0 at amplitude amp; g after each pulse. */
static int train_of(lim_session *s, const lim_phys_dev *d, double w0, double amp, double width,
                    double vctl, int count, double temp_k, double *g)
{
	const double period = 4 * width + 4e-9, delay = 2e-9, edge = 0.1e-9;
	char deck[4096], card[1024], dev[256], probe[64];
	lim_phys_dev e = *d;
	double *t, *w;
	size_t n, m, j = 0;
	int k;

	e.w0 = w0;
	lim_card_format(&e, "dev", card, sizeof card);
	lim_sess_device_line(s, "1", "a", "0", "c", "0", "dev", dev, sizeof dev);
	lim_sess_probe_name(s, "1", "w", probe, sizeof probe);
	/* the barrier is low exactly while the pulse is on: were it low for
	** longer, the state would relax towards 1/2 between the writes */
	snprintf(deck, sizeof deck, "pulses\n%s\n.temp %.10g\n"
	         "va a 0 pulse(0 %.10g %.10g %.10g %.10g %.10g %.10g %d)\n"
	         "vc c 0 pulse(0 %.10g %.10g %.10g %.10g %.10g %.10g %d)\n"
	         "%s\n.save %s\n.tran %.6g %.10g 0 %.6g\n.end\n",
	         card, temp_k - LIM_PHYS_ZERO_C_IN_K, amp, delay, edge, edge, width - edge,
	         period, count, vctl, delay, edge, edge, width - edge, period, count, dev, probe,
	         width / 4, delay + count * period, width);
	if (run_deck(s, "characterize", deck) != 0 || lim_sess_vec(s, "time", &t, &n) != 0)
		return -1;
	if (lim_sess_vec(s, probe, &w, &m) != 0 || m != n) {
		free(t);
		return -1;
	}
	for (k = 0; k < count; k++) {   /* read between pulses, barrier high again */
		double at = delay + k * period + 2 * width + 1e-9;
		while (j + 1 < n && t[j + 1] < at)
			j++;
		g[k] = lim_phys_dev_conductance(d, w[j]);
	}
	free(t);
	free(w);
	return 0;
}

static int bench_pulses(FILE *out, lim_session *s, const lim_phys_dev *d, double amp, double width, double vctl,
                        int count, double temp_k)
{
	double *up = malloc((size_t)count * sizeof *up), *down = malloc((size_t)count * sizeof *down);
	int k, rc = CLI_FAIL;

	if (up && down && train_of(s, d, 0.1, amp, width, vctl, count, temp_k, up) == 0 &&
	    train_of(s, d, 0.9, -amp, width, vctl, count, temp_k, down) == 0) {
		fprintf(out, "g_up,g_down\n");
		for (k = 0; k < count; k++)
			fprintf(out, "%.10g,%.10g\n", up[k], down[k]);
		rc = CLI_OK;
	}
	free(up);
	free(down);
	return rc;
}

int cmd_characterize(int argc, char **argv)
{
	static const char verb[] = "characterize";
	static const struct option lo[] = {
		{"card", 1, 0, 'c'}, {"param", 1, 0, 'p'}, {"temps", 1, 0, 't'},
		{"vctl", 1, 0, 'v'}, {"vab", 1, 0, 'a'}, {"duration", 1, 0, 'D'},
		{"levels", 1, 0, 'L'}, {"count", 1, 0, 'N'}, {"amplitude", 1, 0, 'A'},
		{"width", 1, 0, 'W'}, {"temp", 1, 0, 'T'}, {"out", 1, 0, 'o'},
		{"dry-run", 0, 0, 'n'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}
	};
	double temps[32] = {233.15, 273.15, 300.15, 358.15, 398.15}, vc[32] = {0.8, 1.2, 1.6, 2.0};
	double vab[32] = {-0.1, -0.05, 0, 0.05, 0.1}, duration = 3600, levels = 16, count = 100;
	double amp = 0.078, width = 20e-9, temp_k = 300.15, v;
	int nt = 5, nv = 4, na = 5, c, rc = CLI_OK, vc_given = 0, dry_run = 0;
	const char *bench, *out_path = NULL;
	outfile out;
	lim_phys_dev d;
	char err[1024];
	lim_session *s;

	lim_phys_dev_default(&d);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return fputs(char_usage, stdout), CLI_OK;
	if (argc < 2 || (strcmp(argv[1], "rates") && strcmp(argv[1], "retention") &&
	                 strcmp(argv[1], "pulses")))
		return cli_usage(verb, "expected a bench: rates, retention or pulses");
	bench = argv[1];
	optind = 0;   /* not 1: glibc then forgets an earlier scan (sweeps) */
	opterr = 0;
	argc--;
	argv++;
	while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return fputs(char_usage, stdout), CLI_OK;
		case 'c':
			if (lim_card_read(optarg, NULL, &d, err, sizeof err) != 0)
				return cli_usage(verb, "--card: %s", err);
			break;
		case 'p':
			if (lim_card_set(&d, optarg, err, sizeof err) != 0)
				return cli_usage(verb, "--param %s: %s", optarg, err);
			break;
		case 't': rc = cli_temps(verb, "--temps", optarg, temps, 32, &nt); break;
		case 'v':
			rc = cli_reals(verb, "--vctl", optarg, -CLI_V_MAX, 0, CLI_V_MAX, 0, vc, 32, &nv);
			vc_given = 1;
			break;
		case 'a':
			rc = cli_reals(verb, "--vab", optarg, -CLI_V_MAX, 0, CLI_V_MAX, 0, vab, 32, &na);
			break;
		case 'D': rc = cli_duration(verb, "--duration", optarg, &duration); break;
		case 'L': rc = cli_count(verb, "--levels", optarg, 1, &levels); break;
		case 'N': rc = cli_count(verb, "--count", optarg, 5, &count); break;
		case 'A': rc = cli_real(verb, "--amplitude", optarg, 0, 1, CLI_V_MAX, 0, &amp); break;
		case 'W':
			if (lim_card_number(optarg, &v) != 0 || !(v > 0 && v <= 1))
				return cli_usage(verb, "--width: '%s': expected a pulse width in (0, 1] "
				                 "[s]", optarg);
			width = v;
			break;
		case 'T': rc = cli_temp(verb, "--temp", optarg, &temp_k); break;
		case 'o': out_path = optarg; break;
		case 'n': dry_run = 1; break;
		default: return cli_bad_option(verb, c, argv[optind - 1]);
		}
	}
	if ((rc = cli_end_options(verb, rc, argc, argv)) != CLI_OK)
		return rc;
	if (levels > 1000 || count > 100000)
		return cli_usage(verb, "--levels at most 1000, --count at most 100000");
	if (dry_run)
		return CLI_OK;
	if (!(s = host_session(NULL, err, sizeof err))) {
		cli_say(verb, "%s", err);
		return CLI_FAIL;
	}
	if (outfile_open(&out, out_path) != 0) {
		cli_say(verb, "--out %s: cannot create: %s", out_path, strerror(errno));
		lim_sess_close(s);
		return CLI_FAIL;
	}
	if (!strcmp(bench, "rates"))
		rc = bench_rates(out.f, s, &d, temps, nt, vc, nv, vab, na);
	else if (!strcmp(bench, "retention"))
		rc = bench_retention(out.f, s, &d, temps, nt, duration, (int)levels);
	else
		rc = bench_pulses(out.f, s, &d, amp, width, vc_given ? vc[0] : 1.766, (int)count,
		                  temp_k);
	lim_sess_close(s);
	return cli_finish(verb, &out, rc ? CLI_FAIL : CLI_OK);
}

static const char fit_usage[] =
"Usage: limspice fit --kind rates FILE.csv [options] [--out DIR]\n"
"Fits the lim_synapse parameters the data can determine (r_max, e_b0,\n"
"kappa, z, lambda) to measured relaxation rates, by nonlinear least squares\n"
"of ln(rate) (GSL), with standard errors from the covariance. Parameters the\n"
"data cannot determine are reported as fixed at the start card's values.\n"
"  --kind rates    columns temp_K or temp_C, v_ctl_V, v_ab_V, rate_per_s\n"
"                  (rate_per_s = Rf + Rr, one over the time constant of the\n"
"                  state's approach to equilibrium)\n"
"  --kind traces   relaxation at zero bias (retention, bakes): columns temp_K\n"
"                  or temp_C, time_s, conductance_S and --group COL; each\n"
"                  trace is one group at one temperature, its first read the\n"
"                  start. Fits the common end point and a rate per\n"
"                  temperature (reported), then the end point, e_b0 and r_max\n"
"                  to all reads at once, with k = 2 r_max exp(-e_b0/kT)\n"
"  --kind pulses   conductance after each pulse of a potentiating and a\n"
"                  depressing train: columns g_up and g_down (normalised\n"
"                  values allowed), with --amplitude V and --width S of the\n"
"                  pulses and --temp; gives g_min, g_max, lambda and the\n"
"                  barrier during the pulses (z and r_max from --card)\n"
"  --amplitude V   pulse amplitude [V] (pulses); default 0.078 (3 kT at 27 C)\n"
"  --width S       pulse width [s], (0, 1] (pulses); default 20e-9\n"
"  --temp T        temperature of the measurement (pulses); default 27C\n"
"  --delimiter C   the field separator, one character (tab for tabs); default ','\n"
"  --no-header     the file has no header row; name the columns with\n"
"  --columns A,B   names for the columns in order (name:unit accepted); they\n"
"                  must include the columns --kind reads\n"
"  --group COL     the column naming a trace (a cell address)\n"
"  --card FILE     the start card (and every parameter not fitted)\n"
"  --out DIR       model.lib, fit.csv and arrhenius.png in DIR; default: fit.csv\n"
"                  on stdout\n"
"A parameter the data do not determine (an infinite or nan standard error) or a\n"
"result outside the parameter's range (limspice params) fails the fit, and a\n"
"reading far off the fit of all others is refused at its line: then no card.\n"
"Exit status: 0 ok, 1 the fit failed, 2 bad usage or input (FILE:LINE:COLUMN).\n";

static int load_table(const char *path, char delim, int header, const char *columns,
                      lim_csv_table *t);

/* Reads the rates CSV; 0 or a CLI status after the message. */
static int read_rates(const char *verb, const char *path, char delim, int header,
                      const char *columns, fit_point **pts, int *n)
{
	lim_csv_table t;
	int ctk, ctc, cvc, cva, cr, i, rc;

	if ((rc = load_table(path, delim, header, columns, &t)) != CLI_OK)
		return rc;
	ctk = lim_csv_col(&t, "temp_K");
	ctc = lim_csv_col(&t, "temp_C");
	cvc = lim_csv_col(&t, "v_ctl_V");
	cva = lim_csv_col(&t, "v_ab_V");
	cr = lim_csv_col(&t, "rate_per_s");
	if ((ctk < 0 && ctc < 0) || cvc < 0 || cva < 0 || cr < 0) {
		cli_say(verb, "%s:1: missing column: expected temp_K or temp_C, v_ctl_V, v_ab_V "
		        "and rate_per_s", path);
		lim_csv_free(&t);
		return CLI_USAGE;
	}
	if (!(*pts = malloc((size_t)t.nrows * sizeof **pts))) {
		lim_csv_free(&t);
		return CLI_FAIL;
	}
	for (i = 0; i < t.nrows; i++) {
		fit_point *p = &(*pts)[i];
		p->temp_k = ctk >= 0 ? lim_csv_at(&t, i, ctk) : lim_csv_at(&t, i, ctc) + LIM_PHYS_ZERO_C_IN_K;
		p->v_ctl = lim_csv_at(&t, i, cvc);
		p->v_ab = lim_csv_at(&t, i, cva);
		p->rate_per_s = lim_csv_at(&t, i, cr);
		p->line = t.line[i];
		if (!(p->temp_k > 0)) {
			cli_say(verb, "%s:%d:%d: temperature %g K is at or below absolute zero", path,
			        t.line[i], (ctk >= 0 ? ctk : ctc) + 1, p->temp_k);
			break;
		}
		if (!(p->rate_per_s > 0)) {
			cli_say(verb, "%s:%d:%d: rate %g: expected a rate > 0", path, t.line[i], cr + 1,
			        p->rate_per_s);
			break;
		}
	}
	*n = t.nrows;
	lim_csv_free(&t);
	if (i < *n) {
		free(*pts);
		return CLI_USAGE;
	}
	return CLI_OK;
}

static void write_fit(FILE *f, const fit_result *r)
{
	static const char *const units[FIT_NPARAM] = {"Hz", "eV", "eV/V", "1", "1"};
	int k;

	fprintf(f, "parameter,value,stderr,unit\n");
	for (k = 0; k < FIT_NPARAM; k++) {
		if (r->fitted[k])
			fprintf(f, "%s,%.9g,%.3g,%s\n", fit_param_name(k), r->value[k], r->stderr_[k],
			        units[k]);
		else   /* fixed: no uncertainty to report */
			fprintf(f, "%s,%.9g,fixed (%s),%s\n", fit_param_name(k), r->value[k],
			        r->why_fixed[k], units[k]);
	}
	fprintf(f, "rms_residual_ln_rate,%.6g,,1\ndegrees_of_freedom,%d,,1\n", r->rms_ln, r->dof);
	fprintf(f, "worst_residual_robust_sd,%.3g,,1\n", r->worst.z);
}

/* The message and exit status of a fit that failed: FILE:LINE when a
** reading is to blame (line > 0), else FILE. */
static int fit_failed(const char *path, fit_status st, int line, const char *err)
{
	if (st == FIT_EREADING && line > 0)
		cli_say("fit", "%s:%d: %s", path, line, err);
	else
		cli_say("fit", "%s: %s", path, err);
	return st == FIT_EFAIL ? CLI_FAIL : CLI_USAGE;
}

/* The card about to be written, checked as the code model checks it: a
** fit never writes a card the model or train --card would refuse. */
static int card_ok(const char *path, const lim_phys_dev *d)
{
	char err[256];

	if (lim_phys_dev_check(d, err, sizeof err) == LIM_PHYS_OK)
		return 1;
	cli_say("fit", "%s: the fitted card is refused: %s; no card", path, err);
	return 0;
}

static int arrhenius_plot(const char *dir, const fit_point *p, int n, const fit_result *r)
{
	char path[4096], err[256], *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	int i, rc;

	if (!f)
		return -1;
	fprintf(f, "set terminal pngcairo size 800,560\nset output '@OUT@'\nset logscale y\n"
	        "set xlabel '1/kT [1/eV]'\nset ylabel 'relaxation rate [1/s]'\nset grid\n"
	        "set title 'Arrhenius plot: data and the fitted lim_synapse'\n$d << EOD\n");
	for (i = 0; i < n; i++) {
		lim_phys_rates m;
		lim_phys_dev_rates(&r->dev, p[i].temp_k - LIM_PHYS_ZERO_C_IN_K, p[i].v_ab, p[i].v_ctl, &m);
		fprintf(f, "%g %g %g\n", 1 / lim_phys_kt_ev(p[i].temp_k), p[i].rate_per_s, m.rf + m.rr);
	}
	fprintf(f, "EOD\nplot $d u 1:2 w p pt 7 t 'data', $d u 1:3 w p pt 6 ps 1.5 t 'fit'\n");
	fclose(f);
	snprintf(path, sizeof path, "%s/arrhenius.png", dir);
	rc = plot_png(s, path, err, sizeof err);
	free(s);
	return rc;
}

/* The card a trace fit gives: its end point G_mid is (g_min + g_max)/2;
** the span is kept as wide as the data allow with g_min >= 0. */
static void traces_card(const fit_traces_result *r, double gmax_seen, lim_phys_dev *d)
{
	lim_phys_dev_default(d);
	d->e_b0 = r->e_b0;
	d->r_max = r->r_max;
	d->g_min = fmax(0, 2 * r->g_mid - gmax_seen);
	d->g_max = 2 * r->g_mid - d->g_min;
}

static int write_traces(const char *path, const char *out, const fit_traces_result *r,
                        double gmax_seen)
{
	static const char verb[] = "fit";
	outfile fc, fm;
	lim_phys_dev d;
	char p[4096], card[1024];
	FILE *f;
	int c;

	traces_card(r, gmax_seen, &d);
	if (!card_ok(path, &d))
		return CLI_FAIL;
	if (out && mkdir(out, 0777) != 0 && errno != EEXIST) {
		cli_say(verb, "--out %s: cannot create: %s", out, strerror(errno));
		return CLI_FAIL;
	}
	snprintf(p, sizeof p, "%s/fit.csv", out ? out : ".");
	if (outfile_open(&fc, out ? p : NULL) != 0)
		return cli_say(verb, "%s: cannot create", p), CLI_FAIL;
	f = fc.f;
	fprintf(f, "parameter,value,stderr,unit\n");
	fprintf(f, "e_b0,%.6g,%.3g,eV\nr_max,%.6g,%.3g,Hz\n", r->e_b0, r->e_b0_se, r->r_max,
	        r->r_max_se);
	fprintf(f, "g_mid,%.6g,%.3g,S\n", r->g_mid, r->g_mid_se);
	fprintf(f, "g_min,%.6g,fixed (only (g_min + g_max)/2 is seen),S\n", d.g_min);
	fprintf(f, "g_max,%.6g,fixed (only (g_min + g_max)/2 is seen),S\n", d.g_max);
	fprintf(f, "kappa,%.6g,fixed (no control voltage in the data),eV/V\n", d.kappa);
	fprintf(f, "z,%.6g,fixed (no bias in the data),1\n", d.z);
	fprintf(f, "lambda,%.6g,fixed (no bias in the data),1\n", d.lambda);
	for (c = 0; c < r->ntemp; c++)
		if (r->resolved[c])
			fprintf(f, "rate_at_%.2fK,%.6g,%.3g,1/s\n", r->temp_k[c], r->k[c], r->k_se[c]);
		else if (isfinite(r->k_se[c]))
			fprintf(f, "rate_at_%.2fK,%.6g,not resolved by these reads (+- %.3g),1/s\n",
			        r->temp_k[c], r->k[c], r->k_se[c]);
		else   /* the reads do not change with it at all */
			fprintf(f, "rate_at_%.2fK,%.6g,not resolved by these reads,1/s\n", r->temp_k[c],
			        r->k[c]);
	for (c = 0; c < r->ntemp; c++) {
		fprintf(f, "mean_drift_at_%.2fK,%.6g,,S\n", r->temp_k[c], r->drift[c]);
		fprintf(f, "model_drift_at_%.2fK,%.6g,,S\n", r->temp_k[c], r->model_drift[c]);
	}
	fprintf(f, "drift_rms_error_model,%.6g,,S\n", r->drift_rms_model);
	fprintf(f, "drift_rms_error_constant,%.6g,,S\n", r->drift_rms_constant);
	fprintf(f, "rms_residual,%.6g,,S\ndegrees_of_freedom,%d,,1\n", r->rms_resid, r->dof);
	fprintf(f, "worst_residual_robust_sd,%.3g,,1\n", r->worst.z);
	if (gmax_seen > d.g_max * 1.001)
		cli_say(verb, "note: the cells reach %.3g S but relax towards %.3g S; a lim_synapse "
		        "relaxes to (g_min + g_max)/2, so this card (g %.3g..%.3g S) cannot also span "
		        "the highest levels (README: what the fit recovers)", gmax_seen, r->g_mid,
		        d.g_min, d.g_max);
	if (!out)
		return cli_finish(verb, &fc, CLI_OK);
	snprintf(p, sizeof p, "%s/model.lib", out);
	if (outfile_open(&fm, p) != 0) {
		outfile_abort(&fc);
		return cli_say(verb, "%s: cannot create", p), CLI_FAIL;
	}
	lim_card_format(&d, "fitted", card, sizeof card);
	fprintf(fm.f, "* lim_synapse card fitted by limspice fit --kind traces to %s\n"
	        "* e_b0 and r_max from the Arrhenius line of the relaxation rates;\n"
	        "* (g_min + g_max)/2 is where the traces relax to (fit.csv)\n%s\n", path, card);
	{
		char *s = NULL, err[256];
		size_t len = 0;
		FILE *g = open_memstream(&s, &len);
		int prc = -1;
		if (g) {
			fprintf(g, "set terminal pngcairo size 800,560\nset output '@OUT@'\nset logscale y\n"
			        "set xlabel '1/kT [1/eV]'\nset ylabel 'relaxation rate Rf + Rr [1/s]'\n"
			        "set grid\nset title 'Arrhenius plot of the relaxation rates'\n$d << EOD\n");
			for (c = 0; c < r->ntemp; c++)
				if (r->resolved[c])
					fprintf(g, "%g %g %g\n", 1 / lim_phys_kt_ev(r->temp_k[c]), r->k[c],
					        r->k_se[c]);
			fprintf(g, "EOD\nf(x) = %.10g*exp(-%.10g*x)\nplot $d u 1:2:3 w yerrorbars pt 7 "
			        "t 'each temperature alone (the rates its reads resolve)', "
			        "f(x) w l lw 2 t 'all reads: e_b0 = %.3f eV'\n", 2 * r->r_max, r->e_b0,
			        r->e_b0);
			fclose(g);
			snprintf(p, sizeof p, "%s/arrhenius.png", out);
			prc = plot_png(s, p, err, sizeof err);
		}
		free(s);
		if (prc != 0) {
			outfile_abort(&fc);
			outfile_abort(&fm);
			return cli_say(verb, "the Arrhenius plot failed"), CLI_FAIL;
		}
	}
	if (cli_finish(verb, &fc, CLI_OK) != CLI_OK)
		return outfile_abort(&fm), CLI_FAIL;
	return cli_finish(verb, &fm, CLI_OK);
}

/* Names the columns of t from "a,b:unit,c". */
static int rename_columns(lim_csv_table *t, const char *spec, char *err, size_t n)
{
	char buf[1024], *tok, *save = NULL;
	int i = 0;

	snprintf(buf, sizeof buf, "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), i++) {
		char *colon = strchr(tok, ':');
		if (colon)
			*colon = '\0';
		if (i < t->ncols) {
			char *d = strdup(tok);
			if (!d)
				return -1;
			free(t->names[i]);
			t->names[i] = d;
		}
	}
	if (i != t->ncols) {
		snprintf(err, n, "%s: --columns names %d columns, the file has %d: expected one name "
		         "per column", t->path, i, t->ncols);
		return -1;
	}
	return 0;
}

/* Reads a table as fit's options describe it; CLI_OK or a status after the
** message. */
static int load_table(const char *path, char delim, int header, const char *columns,
                      lim_csv_table *t)
{
	char err[1024];

	if (lim_csv_read(path, delim, 0, header, t, err, sizeof err) != 0) {
		cli_say("fit", "%s", err);
		return CLI_USAGE;
	}
	if (columns && rename_columns(t, columns, err, sizeof err) != 0) {
		cli_say("fit", "%s", err);
		lim_csv_free(t);
		return CLI_USAGE;
	}
	return CLI_OK;
}

typedef struct { double group, temp, t; int row; } trace_row;

static int cmp_trace(const void *a, const void *b)
{
	const trace_row *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->temp != y->temp)
		return x->temp < y->temp ? -1 : 1;
	return (x->t > y->t) - (x->t < y->t);
}

static int fit_traces_cmd(const char *path, char delim, int header, const char *columns,
                          const char *group, const char *out)
{
	static const char verb[] = "fit";
	lim_csv_table t;
	char err[1024];
	int ct, cg, ctk, ctc, cgrp, i, n = 0, rc = CLI_FAIL;
	trace_row *rows = NULL;
	fit_trace_point *pts = NULL;
	fit_traces_result r;
	fit_status st;
	double gmax_seen = 0;

	if ((rc = load_table(path, delim, header, columns, &t)) != CLI_OK)
		return rc;
	ct = lim_csv_col(&t, "time_s");
	cg = lim_csv_col(&t, "conductance_S");
	ctk = lim_csv_col(&t, "temp_K");
	ctc = lim_csv_col(&t, "temp_C");
	cgrp = group ? lim_csv_col(&t, group) : -1;
	if (ct < 0 || cg < 0 || (ctk < 0 && ctc < 0) || cgrp < 0) {
		cli_say(verb, "%s:1: missing column: expected time_s, conductance_S, temp_K or "
		        "temp_C, and the --group column%s", path, group ? "" : " (--group COL)");
		lim_csv_free(&t);
		return CLI_USAGE;
	}
	rows = malloc((size_t)t.nrows * sizeof *rows);
	pts = malloc((size_t)t.nrows * sizeof *pts);
	if (!rows || !pts)
		goto done;
	for (i = 0; i < t.nrows; i++) {
		double temp = ctk >= 0 ? lim_csv_at(&t, i, ctk) : lim_csv_at(&t, i, ctc) + LIM_PHYS_ZERO_C_IN_K;
		if (!(temp > 0)) {
			cli_say(verb, "%s:%d:%d: temperature %g K is at or below absolute zero", path,
			        t.line[i], (ctk >= 0 ? ctk : ctc) + 1, temp);
			rc = CLI_USAGE;
			goto done;
		}
		rows[i].group = lim_csv_at(&t, i, cgrp);
		rows[i].temp = temp;
		rows[i].t = lim_csv_at(&t, i, ct);
		if (!(rows[i].t >= 0)) {
			cli_say(verb, "%s:%d:%d: time_s %g: expected a time >= 0 s", path, t.line[i],
			        ct + 1, rows[i].t);
			rc = CLI_USAGE;
			goto done;
		}
		rows[i].row = i;
	}
	qsort(rows, (size_t)t.nrows, sizeof *rows, cmp_trace);
	for (i = 0; i < t.nrows; i++) {   /* a trace's first read is its start */
		int first = i;
		while (i + 1 < t.nrows && rows[i + 1].group == rows[first].group &&
		       rows[i + 1].temp == rows[first].temp) {
			i++;
			pts[n].temp_k = rows[i].temp;
			pts[n].t_s = rows[i].t - rows[first].t;
			pts[n].g0 = lim_csv_at(&t, rows[first].row, cg);
			pts[n].g = lim_csv_at(&t, rows[i].row, cg);
			pts[n].line = t.line[rows[i].row];
			pts[n].line0 = t.line[rows[first].row];
			gmax_seen = fmax(gmax_seen, fmax(pts[n].g0, pts[n].g));
			n++;
		}
	}
	if ((st = fit_traces(pts, n, &r, err, sizeof err)) != FIT_OK) {
		rc = fit_failed(path, st, r.worst.index >= 0 ? pts[r.worst.index].line : 0, err);
		goto done;
	}
	if (*r.note)
		cli_say(verb, "note: %s", r.note);
	rc = write_traces(path, out, &r, gmax_seen);
done:
	free(rows);
	free(pts);
	lim_csv_free(&t);
	return rc;
}

static int fit_pulses_cmd(const char *path, char delim, int header, const char *columns,
                          double amp, double width, double temp_k, const lim_phys_dev *start,
                          const char *out)
{
	static const char verb[] = "fit";
	lim_csv_table t;
	char err[1024], p[4096], card[1024];
	double *up = NULL, *down = NULL;
	int cu, cd, i, rc = CLI_FAIL;
	fit_pulses_result r;
	fit_status st;
	outfile fc, fm;
	lim_phys_dev d = *start;

	if ((rc = load_table(path, delim, header, columns, &t)) != CLI_OK)
		return rc;
	cu = lim_csv_col(&t, "g_up");
	cd = lim_csv_col(&t, "g_down");
	if (cu < 0 || cd < 0) {
		cli_say(verb, "%s:1: missing column: expected g_up and g_down (--columns names them)",
		        path);
		lim_csv_free(&t);
		return CLI_USAGE;
	}
	up = malloc((size_t)t.nrows * sizeof *up);
	down = malloc((size_t)t.nrows * sizeof *down);
	if (!up || !down)
		goto done;
	for (i = 0; i < t.nrows; i++) {
		up[i] = lim_csv_at(&t, i, cu);
		down[i] = lim_csv_at(&t, i, cd);
	}
	if ((st = fit_pulses(up, t.nrows, down, t.nrows, amp, width, temp_k, start, &r, err,
	                     sizeof err)) != FIT_OK) {
		const fit_worst *w = r.worst_up ? &r.up.worst : &r.down.worst;
		rc = fit_failed(path, st, w->index >= 0 ? t.line[w->index] : 0, err);
		goto done;
	}
	if (*r.note)
		cli_say(verb, "note: %s", r.note);
	if (out && mkdir(out, 0777) != 0 && errno != EEXIST) {
		cli_say(verb, "--out %s: cannot create: %s", out, strerror(errno));
		goto done;
	}
	snprintf(p, sizeof p, "%s/fit.csv", out ? out : ".");
	if (outfile_open(&fc, out ? p : NULL) != 0) {
		cli_say(verb, "%s: cannot create", p);
		goto done;
	}
	fprintf(fc.f, "parameter,value,stderr,unit\n");
	fprintf(fc.f, "up_g_end,%.6g,%.3g,S\nup_g_start,%.6g,%.3g,S\nup_kt,%.6g,%.3g,1\n",
	        r.up.g_inf, r.up.g_inf_se, r.up.g0, r.up.g0_se, r.up.kt, r.up.kt_se);
	fprintf(fc.f, "down_g_end,%.6g,%.3g,S\ndown_g_start,%.6g,%.3g,S\ndown_kt,%.6g,%.3g,1\n",
	        r.down.g_inf, r.down.g_inf_se, r.down.g0, r.down.g0_se, r.down.kt, r.down.kt_se);
	if (r.lambda_why[0])
		fprintf(fc.f, "lambda,%.6g,fixed (%s),1\n", r.lambda, r.lambda_why);
	else
		fprintf(fc.f, "lambda,%.6g,%.3g,1\n", r.lambda, r.lambda_se);
	if (r.span_why[0])
		fprintf(fc.f, "g_min,%.6g,fixed (%s),S\ng_max,%.6g,fixed (%s),S\n", r.g_min,
		        r.span_why, r.g_max, r.span_why);
	else
		fprintf(fc.f, "g_min,%.6g,derived (z fixed at %g),S\n"
		        "g_max,%.6g,derived (z fixed at %g),S\n", r.g_min, start->z, r.g_max, start->z);
	if (r.e_b_why[0])
		fprintf(fc.f, "e_b_during_pulses,nan,not determined (%s),eV\n", r.e_b_why);
	else
		fprintf(fc.f, "e_b_during_pulses,%.6g,derived (r_max fixed at %g Hz),eV\n", r.e_b_ev,
		        start->r_max);
	fprintf(fc.f, "z,%.6g,fixed (the tilt and the conductance span trade off),1\n", start->z);
	fprintf(fc.f, "up_rms_residual,%.6g,,S\ndown_rms_residual,%.6g,,S\n", r.up.rms, r.down.rms);
	fprintf(fc.f, "up_worst_residual_robust_sd,%.3g,,1\ndown_worst_residual_robust_sd,%.3g,,1\n",
	        r.up.worst.z, r.down.worst.z);
	if (!out) {
		rc = cli_finish(verb, &fc, CLI_OK);
		goto done;
	}
	d.lambda = r.lambda;   /* fitted within [0, 1], or the start card's */
	if (r.span_why[0]) {
		cli_say(verb, "note: the card keeps the start card's g_min and g_max: %s", r.span_why);
	} else if (r.g_min >= 0 && r.g_max >= r.g_min) {
		d.g_min = r.g_min;
		d.g_max = r.g_max;
	} else {
		cli_say(verb, "note: the data are normalised (g_min = %.3g): the card keeps the "
		        "start card's g_min and g_max", r.g_min);
	}
	if (!card_ok(path, &d)) {
		outfile_abort(&fc);
		goto done;
	}
	snprintf(p, sizeof p, "%s/model.lib", out);
	if (outfile_open(&fm, p) != 0) {
		outfile_abort(&fc);
		cli_say(verb, "%s: cannot create", p);
		goto done;
	}
	{   /* the data against the two fitted trains */
		char *sc = NULL, perr[256];
		size_t sl = 0;
		FILE *g = open_memstream(&sc, &sl);
		int prc = -1;
		if (g) {
			fprintf(g, "set terminal pngcairo size 800,560\nset output '@OUT@'\n"
			        "set xlabel 'pulse'\nset ylabel 'conductance'\nset grid\n"
			        "set title 'Pulse trains: data and the fitted write rule'\n$d << EOD\n");
			for (i = 0; i < t.nrows; i++)
				fprintf(g, "%d %g %g %g %g\n", i, up[i], down[i],
				        r.up.g_inf + (r.up.g0 - r.up.g_inf) * exp(-r.up.kt * i),
				        r.down.g_inf + (r.down.g0 - r.down.g_inf) * exp(-r.down.kt * i));
			fprintf(g, "EOD\nplot $d u 1:2 w p pt 7 ps 0.3 t 'up, data', $d u 1:3 w p pt 7 "
			        "ps 0.3 t 'down, data', $d u 1:4 w l lw 2 t 'up, fit', $d u 1:5 w l lw 2 "
			        "t 'down, fit'\n");
			fclose(g);
			snprintf(p, sizeof p, "%s/pulses.png", out);
			prc = plot_png(sc, p, perr, sizeof perr);
		}
		free(sc);
		if (prc != 0) {
			outfile_abort(&fc);
			outfile_abort(&fm);
			cli_say(verb, "the pulse plot failed");
			goto done;
		}
	}
	lim_card_format(&d, "fitted", card, sizeof card);
	if (r.e_b_why[0])
		fprintf(fm.f, "* lim_synapse card fitted by limspice fit --kind pulses to %s\n"
		        "* pulses of %g V, %g s at %g K: the barrier during them is not determined\n"
		        "* (%s)\n%s\n", path, amp, width, temp_k, r.e_b_why, card);
	else
		fprintf(fm.f, "* lim_synapse card fitted by limspice fit --kind pulses to %s\n"
		        "* pulses of %g V, %g s at %g K lower the barrier to %.4g eV: set kappa and V_c\n"
		        "* so that e_b0 - kappa V_c reaches it\n%s\n", path, amp, width, temp_k,
		        r.e_b_ev, card);
	rc = cli_finish(verb, &fc, CLI_OK);
	rc = cli_finish(verb, &fm, rc);
done:
	free(up);
	free(down);
	lim_csv_free(&t);
	return rc;
}

/* --delimiter: one character that cannot occur in a number or end a line;
** "tab" and "\t" (typed or real) are a tab. 0, or -1. */
static int parse_delimiter(const char *arg, char *delim)
{
	if (!strcmp(arg, "tab") || !strcmp(arg, "\\t") || !strcmp(arg, "\t")) {
		*delim = '\t';
		return 0;
	}
	if (strlen(arg) != 1 || strchr("0123456789.+-eEnNiI#\r\n", arg[0]))
		return -1;   /* n, i: nan and inf are numbers to strtod */
	*delim = arg[0];
	return 0;
}

/* Whether names (",a,b,c,") holds one of the alternatives "x|y". */
static int has_column(const char *names, const char *alternatives)
{
	char alt[128], key[136], *tok, *save = NULL;

	snprintf(alt, sizeof alt, "%s", alternatives);
	for (tok = strtok_r(alt, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		snprintf(key, sizeof key, ",%s,", tok);
		if (strstr(names, key))
			return 1;
	}
	return 0;
}

/* --columns must name every column the kind reads, before any file is
** read: CLI_OK, or CLI_USAGE naming the first one missing and all of them. */
static int check_columns(const char *kind, const char *spec, const char *group)
{
	static const char *const rates[] = {"temp_K|temp_C", "v_ctl_V", "v_ab_V", "rate_per_s", 0};
	static const char *const traces[] = {"temp_K|temp_C", "time_s", "conductance_S", 0};
	static const char *const pulses[] = {"g_up", "g_down", 0};
	int is_traces = !strcmp(kind, "traces");
	const char *const *need = !strcmp(kind, "rates") ? rates : is_traces ? traces : pulses;
	const char *want = need == rates ? "temp_K or temp_C, v_ctl_V, v_ab_V and rate_per_s" :
	                   is_traces ? "temp_K or temp_C, time_s, conductance_S and the --group "
	                   "column" : "g_up and g_down";
	const char *missing = NULL;
	char names[1100], *colon;
	int k;

	/* ",name," for each column, its unit dropped, so that a search is exact */
	snprintf(names, sizeof names, ",%s,", spec);
	while ((colon = strchr(names, ':')))
		memmove(colon, strchr(colon, ','), strlen(strchr(colon, ',')) + 1);
	for (k = 0; need[k] && !missing; k++)
		if (!has_column(names, need[k]))
			missing = need[k];
	if (!missing && is_traces && group && !has_column(names, group))
		missing = group;
	if (missing) {
		char name[128], *bar;
		snprintf(name, sizeof name, "%s", missing);
		if ((bar = strchr(name, '|')))   /* "temp_K|temp_C": either */
			snprintf(bar, sizeof name - (size_t)(bar - name), " or %s", strchr(missing, '|') + 1);
		return cli_usage("fit", "--columns %s: no column %s: expected the columns --kind %s "
		                 "reads: %s (in any order; other columns are ignored)", spec, name,
		                 kind, want);
	}
	return CLI_OK;
}

int cmd_fit(int argc, char **argv)
{
	static const char verb[] = "fit";
	static const struct option lo[] = {
		{"kind", 1, 0, 'k'}, {"delimiter", 1, 0, 'd'}, {"card", 1, 0, 'c'},
		{"out", 1, 0, 'o'}, {"no-header", 0, 0, 'n'}, {"columns", 1, 0, 'C'},
		{"group", 1, 0, 'g'}, {"amplitude", 1, 0, 'A'}, {"width", 1, 0, 'W'},
		{"temp", 1, 0, 'T'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}
	};
	const char *kind = NULL, *out = NULL, *columns = NULL, *group = NULL;
	int header = 1;
	double amp = 0.078, width = 20e-9, temp_k = 300.15;
	char delim = ',', err[1024];
	lim_phys_dev start;
	fit_point *pts = NULL;
	fit_result r;
	fit_status st;
	int n, c, rc;

	lim_phys_dev_default(&start);
	optind = 0;   /* not 1: glibc then forgets an earlier scan (sweeps) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return fputs(fit_usage, stdout), CLI_OK;
		case 'k': kind = optarg; break;
		case 'd':
			if (parse_delimiter(optarg, &delim) != 0)
				return cli_usage(verb, "--delimiter '%s': expected one character that cannot "
				                 "be part of a number (',', ';', '|', ...) or tab", optarg);
			break;
		case 'c':
			if (lim_card_read(optarg, NULL, &start, err, sizeof err) != 0)
				return cli_usage(verb, "--card: %s", err);
			break;
		case 'o': out = optarg; break;
		case 'n': header = 0; break;
		case 'C': columns = optarg; break;
		case 'g': group = optarg; break;
		case 'A':
			if (cli_real(verb, "--amplitude", optarg, 0, 1, CLI_V_MAX, 0, &amp) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'W':
			if (lim_card_number(optarg, &width) != 0 || !(width > 0))
				return cli_usage(verb, "--width: '%s': expected a pulse width > 0 [s]", optarg);
			break;
		case 'T':
			if (cli_temp(verb, "--temp", optarg, &temp_k) != CLI_OK)
				return CLI_USAGE;
			break;
		default: return cli_bad_option(verb, c, argv[optind - 1]);
		}
	}
	if (!kind || (strcmp(kind, "rates") && strcmp(kind, "traces") && strcmp(kind, "pulses")))
		return cli_usage(verb, "--kind: '%s': expected rates, traces or pulses",
		                 kind ? kind : "");
	if (optind != argc - 1)
		return cli_usage(verb, "expected one data file");
	if (!header && !columns)
		return cli_usage(verb, "--no-header: expected --columns naming the columns");
	if (columns && (rc = check_columns(kind, columns, group)) != CLI_OK)
		return rc;
	if (!strcmp(kind, "traces"))
		return fit_traces_cmd(argv[optind], delim, header, columns, group, out);
	if (!strcmp(kind, "pulses"))
		return fit_pulses_cmd(argv[optind], delim, header, columns, amp, width, temp_k,
		                      &start, out);
	if ((rc = read_rates(verb, argv[optind], delim, header, columns, &pts, &n)) != CLI_OK)
		return rc;
	if ((st = fit_rates(pts, n, &start, &r, err, sizeof err)) != FIT_OK) {
		rc = fit_failed(argv[optind], st, r.worst.index >= 0 ? pts[r.worst.index].line : 0,
		                err);
		free(pts);
		return rc;
	}
	if (*r.note)
		cli_say(verb, "note: %s", r.note);
	if (!out) {
		write_fit(stdout, &r);
		free(pts);
		return CLI_OK;
	}
	{
		outfile fc, fm;
		char path[4096], card[1024];
		if (mkdir(out, 0777) != 0 && errno != EEXIST) {
			cli_say(verb, "--out %s: cannot create: %s", out, strerror(errno));
			free(pts);
			return CLI_FAIL;
		}
		snprintf(path, sizeof path, "%s/fit.csv", out);
		if (outfile_open(&fc, path) != 0) {
			free(pts);
			return cli_say(verb, "%s: cannot create", path), CLI_FAIL;
		}
		write_fit(fc.f, &r);
		snprintf(path, sizeof path, "%s/model.lib", out);
		if (outfile_open(&fm, path) != 0) {
			outfile_abort(&fc);
			free(pts);
			return cli_say(verb, "%s: cannot create", path), CLI_FAIL;
		}
		lim_card_format(&r.dev, "fitted", card, sizeof card);   /* fit_rates checked it */
		fprintf(fm.f, "* lim_synapse card fitted by limspice fit --kind rates to %s\n"
		        "* (rms residual of ln(rate) %.3g; parameters and errors in fit.csv)\n%s\n",
		        argv[optind], r.rms_ln, card);
		rc = arrhenius_plot(out, pts, n, &r) == 0 ? CLI_OK : CLI_FAIL;
		if (rc != CLI_OK)
			cli_say(verb, "the Arrhenius plot failed");
		rc = cli_finish(verb, &fc, rc);
		rc = cli_finish(verb, &fm, rc);
	}
	free(pts);
	return rc;
}
