/* diag.c — the catalogue of diagnostics: one code, one level, one message, the stage that
 * emits it (mandoc style), and printing them. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"

static const char *progname = "gongwen";

static const struct {
	const char *name;
	enum gw_level level;
	const char *message;
	unsigned stage; /* the gw_stage bit of the stage that emits it; 0: none (errors, I/O) */
} catalogue[GW_NCODES] = {
	[GW_E_READ] = {"read-failed", GW_ERROR, "cannot read the file"},
	[GW_E_NOT_FILE] = {"not-a-file", GW_ERROR, "not a regular file"},
	[GW_E_EMPTY] = {"empty-file", GW_ERROR, "the file is empty"},
	[GW_E_BINARY] = {"binary-file", GW_ERROR, "NUL bytes: a binary file, not text"},
	[GW_E_UNDECODABLE] = {"undecodable", GW_ERROR, "mostly undecodable in every supported encoding"},
	[GW_E_TOO_LARGE] = {"too-large", GW_ERROR, "over the document size limit"},
	[GW_W_INVALID_BYTES] = {"invalid-bytes", GW_WARNING, "invalid byte sequence replaced by U+FFFD",
	                        GW_ST_NORMALIZED},
	[GW_W_MIXED_ENCODING] = {"mixed-encoding", GW_WARNING, "more than one encoding in one file",
	                         GW_ST_NORMALIZED},
	[GW_W_CONTROL_CHARS] = {"control-chars", GW_WARNING, "control characters removed",
	                        GW_ST_NORMALIZED},
	[GW_W_LINE_TOO_LONG] = {"line-too-long", GW_WARNING, "line over the length limit",
	                        GW_ST_NORMALIZED},
	[GW_E_BAD_RECORD] = {"bad-record", GW_ERROR, "unusable JSON Lines record"},
	[GW_E_TRUNCATED] = {"truncated-record", GW_ERROR, "last record truncated"},
	[GW_E_RULE_LIMIT] = {"rule-limit", GW_ERROR, "a rule went over the PCRE2 match or depth limit"},
	[GW_E_LIMIT] = {"limit", GW_ERROR, "the document goes over a limit"},
	[GW_W_DOCNUM_BRACKET] = {"docnum-bracket", GW_WARNING,
	                         "GB/T 9704-2012 7.2.5: the year of a 发文字号 goes in 〔〕",
	                         GW_ST_SEGMENTED},
	[GW_W_DOCNUM_PADDED] = {"docnum-padded", GW_WARNING,
	                        "GB/T 9704-2012 7.2.5: a 发文字号 serial is not zero-padded",
	                        GW_ST_SEGMENTED},
	[GW_W_DOCNUM_DI] = {"docnum-di", GW_WARNING,
	                    "GB/T 9704-2012 7.2.5: a 发文字号 serial takes no 第", GW_ST_SEGMENTED},
	[GW_W_DOCNUM_SPLIT] = {"docnum-split", GW_WARNING, "发文字号 split over lines",
	                       GW_ST_SEGMENTED},
	[GW_W_DATE_NOT_ARABIC] = {"date-not-arabic", GW_WARNING,
	                          "GB/T 9704-2012 7.3.5.1: 成文日期 should be written in Arabic numerals",
	                          GW_ST_SEGMENTED},
	[GW_W_ORDINAL_SKIPPED] = {"ordinal-skipped", GW_WARNING,
	                          "GB/T 9704-2012 7.3.3: an ordinal is skipped", GW_ST_SEGMENTED},
	[GW_W_ORDINAL_REPEATED] = {"ordinal-repeated", GW_WARNING,
	                           "GB/T 9704-2012 7.3.3: an ordinal is repeated", GW_ST_SEGMENTED},
	[GW_W_NUMBER_TOO_LONG] = {"number-too-long", GW_WARNING, "number over the digit limit",
	                          GW_ST_EXTRACTED},
	[GW_E_WRITE] = {"write-failed", GW_ERROR, "cannot write an output file"},
	[GW_E_INVALID] = {"invalid-document", GW_ERROR, "the document breaks the model's invariants"},
	[GW_E_USAGE] = {"usage", GW_ERROR, "usage error"},
	[GW_E_OPTION] = {"unknown-option", GW_ERROR, "unknown option"},
	[GW_E_OPTION_VALUE] = {"option-value", GW_ERROR, "bad option value"},
	[GW_E_RULES] = {"rules", GW_ERROR, "the rules do not load"},
	[GW_E_SYSTEM] = {"system", GW_ERROR, "cannot start"},
	[GW_E_ARCHIVE] = {"archive", GW_ERROR, "cannot use the archive"},
	[GW_E_SEARCH] = {"search-failed", GW_ERROR, "search failed"},
	[GW_E_NOT_INDEXED] = {"not-indexed", GW_ERROR, "an error record, not indexed"},
	[GW_E_NO_DOCUMENT] = {"no-such-document", GW_ERROR, "no such document in the archive"},
	[GW_N_UNDATED] = {"undated", GW_NOTE, "documents without a date are left out by --from and --to"},
	[GW_E_COUNTS] = {"counts", GW_ERROR, "the task outputs do not add up"},
	[GW_F_MEMORY] = {"out-of-memory", GW_FATAL, "out of memory"},
	[GW_E_RULE_ATTR] = {"rule-attribute", GW_ERROR, "unknown rule attribute"},
	[GW_E_RULE_KEY] = {"rule-key", GW_ERROR, "misspelt rule key"},
	[GW_E_RULE_VALUE] = {"rule-value", GW_ERROR, "rule attribute value not allowed"},
	[GW_E_RULE_MISSING] = {"rule-missing", GW_ERROR, "rule attribute missing"},
	[GW_E_NUL_PATH] = {"nul-in-path", GW_ERROR,
	                   "a path line holds a NUL byte (NUL-separated paths, as find -print0 "
	                   "writes them, need -0)"},
	[GW_W_NO_TEXT_FILES] = {"no-text-files", GW_WARNING,
	                        "the folder holds no text file (*.txt)"},
	[GW_E_NOT_TEXT] = {"not-text", GW_ERROR, "not plain text"},
};

static const char *const levels[] = {"NOTE", "WARNING", "ERROR", "FATAL"};

const char *
gw_code_name(enum gw_code c)
{
	return (unsigned)c < GW_NCODES ? catalogue[c].name : "unknown";
}

enum gw_level
gw_code_level(enum gw_code c)
{
	return (unsigned)c < GW_NCODES ? catalogue[c].level : GW_ERROR;
}

const char *
gw_code_message(enum gw_code c)
{
	return (unsigned)c < GW_NCODES ? catalogue[c].message : "unknown diagnostic";
}

unsigned
gw_code_stage(enum gw_code c)
{
	return (unsigned)c < GW_NCODES ? catalogue[c].stage : 0;
}

const char *
gw_level_name(enum gw_level l)
{
	return (unsigned)l <= GW_FATAL ? levels[l] : "ERROR";
}

int
gw_code_from_name(const char *name)
{
	int i;

	for (i = 0; i < GW_NCODES; i++)
		if (catalogue[i].name && strcmp(catalogue[i].name, name) == 0)
			return i;
	return -1;
}

/* prog: file:line:col: LEVEL: message (without the detail and the line end). */
static void
print_head(FILE *fp, const char *prog, const char *file, long line, long col, enum gw_code c)
{
	fprintf(fp, "%s: ", prog);
	if (file) {
		fputs(file, fp);
		if (line > 0)
			fprintf(fp, ":%ld:%ld", line, col > 0 ? col : 1);
		fputs(": ", fp);
	}
	fprintf(fp, "%s: %s", gw_level_name(gw_code_level(c)), gw_code_message(c));
}

void
gw_diag_print(FILE *fp, const char *prog, const char *file, long line, long col,
              enum gw_code c, const char *detail)
{
	print_head(fp, prog, file, line, col, c);
	if (detail && *detail)
		fprintf(fp, ": %s", detail);
	fputc('\n', fp);
}

void
gw_set_prog(const char *name)
{
	progname = name;
}

const char *
gw_prog(void)
{
	return progname;
}

void
gw_msg(const char *file, long line, enum gw_code c, const char *fmt, ...)
{
	va_list ap;

	/* printed as it is formatted, with no buffer: diag.c stays below util.c (no circle) */
	print_head(stderr, progname, file, line, 1, c);
	if (fmt && *fmt) {
		fputs(": ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
}

/* A stage run again on its own output replaces its warnings: it drops them first (issue 11). */
void
gw_doc_clear_diags(gw_doc *d, unsigned stage)
{
	size_t k = 0;

	for (size_t i = 0; i < d->ndiags; i++)
		if (gw_code_stage(d->diags[i].code) & stage)
			free(d->diags[i].detail);
		else
			d->diags[k++] = d->diags[i];
	d->ndiags = k;
}

void
gw_doc_print_diags(const gw_doc *d, FILE *fp, const char *prog, unsigned stages,
                   enum gw_level min)
{
	const char *file = d->src_path ? d->src_path : d->id ? d->id : "<stdin>";

	for (size_t i = 0; i < d->ndiags; i++) {
		const gw_diag *g = &d->diags[i];

		if ((gw_code_stage(g->code) & stages) && gw_code_level(g->code) >= min)
			gw_diag_print(fp, prog, file, g->line, g->col, g->code, g->detail);
	}
	if (d->error) /* the message already starts with the catalogue text */
		fprintf(fp, "%s: %s: %s: %s\n", prog, file,
		        gw_level_name(gw_code_level((enum gw_code)d->error)), d->error_msg);
}
