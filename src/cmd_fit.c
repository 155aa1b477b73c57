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
#include "cmds.h"
#include "csv.h"
#include "fit.h"
#include "outfile.h"
#include "plot.h"
#include "session.h"

/* A comma-separated list of numbers (temperatures with units when temp). */
static int parse_list(const char *verb, const char *opt, const char *arg, int temp,
                      double *v, int max, int *n)
{
	char buf[1024], *tok, *save = NULL;
	int rc;

	snprintf(buf, sizeof buf, "%s", arg);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			return cli_usage(verb, "%s: at most %d values", opt, max);
		rc = temp ? cli_temp(verb, opt, tok, &v[*n]) :
		     cli_real(verb, opt, tok, -HUGE_VAL, 0, HUGE_VAL, 0, &v[*n]);
		if (rc != CLI_OK)
			return rc;
		(*n)++;
	}
	return *n ? CLI_OK : cli_usage(verb, "%s: an empty list", opt);
}

static const char char_usage[] =
"Usage: limspice characterize rates [--card FILE] [--param N=V ...]\n"
"                [--temps T,T,...] [--vctl V,V,...] [--vab V,V,...]\n"
"Simulates the relaxation rate Rf + Rr of one lim_synapse (the rate_relax\n"
"probe at each operating point) over the grid of temperatures, control\n"
"voltages and bias voltages, and prints CSV in the form fit --kind rates\n"
"reads: temp_K,v_ctl_V,v_ab_V,rate_per_s.\n"
"Defaults: --temps 233K,273K,300K,358K,398K --vctl 0.8,1.2,1.6,2.0\n"
"--vab -0.1,-0.05,0,0.05,0.1. Other benches (retention, pulse response) are\n"
"the decks in testbenches/.\n";

int cmd_characterize(int argc, char **argv)
{
	static const char verb[] = "characterize";
	static const struct option lo[] = {
		{"card", 1, 0, 'c'}, {"param", 1, 0, 'p'}, {"temps", 1, 0, 't'},
		{"vctl", 1, 0, 'v'}, {"vab", 1, 0, 'a'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}
	};
	double temps[32] = {233.15, 273.15, 300.15, 358.15, 398.15}, vc[32] = {0.8, 1.2, 1.6, 2.0};
	double vab[32] = {-0.1, -0.05, 0, 0.05, 0.1};
	int nt = 5, nv = 4, na = 5, c, rc = CLI_OK, i, j, k;
	phys_dev d;
	char err[1024], deck[2048], card[1024];
	session *s;

	phys_dev_default(&d);
	if (argc < 2 || strcmp(argv[1], "rates") != 0) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
			return fputs(char_usage, stdout), CLI_OK;
		return cli_usage(verb, "expected the bench 'rates'");
	}
	optind = 1;
	opterr = 0;
	argc--;
	argv++;
	while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return fputs(char_usage, stdout), CLI_OK;
		case 'c':
			if (card_read(optarg, NULL, &d, err, sizeof err) != 0)
				return cli_usage(verb, "--card: %s", err);
			break;
		case 'p':
			if (card_set(&d, optarg, err, sizeof err) != 0)
				return cli_usage(verb, "--param %s: %s", optarg, err);
			break;
		case 't': rc = parse_list(verb, "--temps", optarg, 1, temps, 32, &nt); break;
		case 'v': rc = parse_list(verb, "--vctl", optarg, 0, vc, 32, &nv); break;
		case 'a': rc = parse_list(verb, "--vab", optarg, 0, vab, 32, &na); break;
		default: return cli_bad_option(verb, c, argv[optind - 1]);
		}
	}
	if ((rc = cli_end_options(verb, rc, argc, argv)) != CLI_OK)
		return rc;
	if (!(s = sess_open(NULL, err, sizeof err))) {
		cli_say(verb, "%s", err);
		return CLI_FAIL;
	}
	card_format(&d, "dev", card, sizeof card);
	printf("temp_K,v_ctl_V,v_ab_V,rate_per_s\n");
	for (i = 0; i < nt; i++)
		for (j = 0; j < nv; j++)
			for (k = 0; k < na; k++) {
				double rate;
				snprintf(deck, sizeof deck, "characterize\n%s\n.temp %.10g\nva a 0 %.10g\n"
				         "vc c 0 %.10g\na1 %%gd(a 0) %%vd(c 0) dev\n.save @a1[rate_relax]\n"
				         ".op\n.end\n", card, temps[i] - PHYS_ZERO_C_IN_K, vab[k], vc[j]);
				sess_reset(s);
				if (sess_load_text(s, deck) != 0 || sess_run(s) != 0 ||
				    sess_last(s, "@a1[rate_relax]", &rate) != 0) {
					cli_say(verb, "ngspice: %s", sess_error(s));
					sess_close(s);
					return CLI_FAIL;
				}
				printf("%.10g,%.10g,%.10g,%.10g\n", temps[i], vc[j], vab[k], rate);
			}
	sess_close(s);
	return CLI_OK;
}

static const char fit_usage[] =
"Usage: limspice fit --kind rates FILE.csv [options] [--out DIR]\n"
"Fits the lim_synapse parameters the data can determine (r_max, e_b0,\n"
"kappa, z, lambda) to measured relaxation rates, by nonlinear least squares\n"
"of ln(rate) (GSL), with standard errors from the covariance. Parameters the\n"
"data cannot determine are reported as fixed at the start card's values.\n"
"  --kind rates    columns temp_K or temp_C, v_ctl_V, v_ab_V, rate_per_s\n"
"                  (rate_per_s = Rf + Rr, one over the time constant of the\n"
"                  state's approach to equilibrium). traces and pulses: not\n"
"                  yet.\n"
"  --delimiter C   the field separator; default ','\n"
"  --card FILE     the start card (and every parameter not fitted)\n"
"  --out DIR       model.lib, fit.csv and arrhenius.png in DIR; default: fit.csv\n"
"                  on stdout\n"
"Exit status: 0 ok, 1 the fit failed, 2 bad usage or input (FILE:LINE:COLUMN).\n";

/* Reads the rates CSV; 0 or a CLI status after the message. */
static int read_rates(const char *verb, const char *path, char delim, fit_point **pts, int *n)
{
	csv_table t;
	char err[1024];
	int ctk, ctc, cvc, cva, cr, i;

	if (csv_read(path, delim, 0, 1, &t, err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		return CLI_USAGE;
	}
	ctk = csv_col(&t, "temp_K");
	ctc = csv_col(&t, "temp_C");
	cvc = csv_col(&t, "v_ctl_V");
	cva = csv_col(&t, "v_ab_V");
	cr = csv_col(&t, "rate_per_s");
	if ((ctk < 0 && ctc < 0) || cvc < 0 || cva < 0 || cr < 0) {
		cli_say(verb, "%s:1: missing column: expected temp_K or temp_C, v_ctl_V, v_ab_V "
		        "and rate_per_s", path);
		csv_free(&t);
		return CLI_USAGE;
	}
	if (!(*pts = malloc((size_t)t.nrows * sizeof **pts))) {
		csv_free(&t);
		return CLI_FAIL;
	}
	for (i = 0; i < t.nrows; i++) {
		fit_point *p = &(*pts)[i];
		p->temp_k = ctk >= 0 ? csv_at(&t, i, ctk) : csv_at(&t, i, ctc) + PHYS_ZERO_C_IN_K;
		p->v_ctl = csv_at(&t, i, cvc);
		p->v_ab = csv_at(&t, i, cva);
		p->rate_per_s = csv_at(&t, i, cr);
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
	csv_free(&t);
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
		phys_rates m;
		phys_dev_rates(&r->dev, p[i].temp_k - PHYS_ZERO_C_IN_K, p[i].v_ab, p[i].v_ctl, &m);
		fprintf(f, "%g %g %g\n", 1 / phys_kt_ev(p[i].temp_k), p[i].rate_per_s, m.rf + m.rr);
	}
	fprintf(f, "EOD\nplot $d u 1:2 w p pt 7 t 'data', $d u 1:3 w p pt 6 ps 1.5 t 'fit'\n");
	fclose(f);
	snprintf(path, sizeof path, "%s/arrhenius.png", dir);
	rc = plot_png(s, path, err, sizeof err);
	free(s);
	return rc;
}

int cmd_fit(int argc, char **argv)
{
	static const char verb[] = "fit";
	static const struct option lo[] = {
		{"kind", 1, 0, 'k'}, {"delimiter", 1, 0, 'd'}, {"card", 1, 0, 'c'},
		{"out", 1, 0, 'o'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}
	};
	const char *kind = NULL, *out = NULL;
	char delim = ',', err[1024];
	phys_dev start;
	fit_point *pts = NULL;
	fit_result r;
	int n, c, rc;

	phys_dev_default(&start);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return fputs(fit_usage, stdout), CLI_OK;
		case 'k': kind = optarg; break;
		case 'd':
			delim = !strcmp(optarg, "tab") || !strcmp(optarg, "\\t") ? '\t' : optarg[0];
			break;
		case 'c':
			if (card_read(optarg, NULL, &start, err, sizeof err) != 0)
				return cli_usage(verb, "--card: %s", err);
			break;
		case 'o': out = optarg; break;
		default: return cli_bad_option(verb, c, argv[optind - 1]);
		}
	}
	if (!kind || strcmp(kind, "rates") != 0)
		return cli_usage(verb, "--kind: '%s': expected rates (traces and pulses are not "
		                 "implemented yet)", kind ? kind : "");
	if (optind != argc - 1)
		return cli_usage(verb, "expected one data file");
	if ((rc = read_rates(verb, argv[optind], delim, &pts, &n)) != CLI_OK)
		return rc;
	if (fit_rates(pts, n, &start, &r, err, sizeof err) != 0) {
		cli_say(verb, "%s: %s", argv[optind], err);
		free(pts);
		return strstr(err, "points for") ? CLI_USAGE : CLI_FAIL;
	}
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
		card_format(&r.dev, "fitted", card, sizeof card);
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
