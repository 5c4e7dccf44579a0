/* main-rules.c — gw-rules: load a rules folder, report errors, run every rule's examples. */
#include <string.h>

#include "internal.h"

static const gw_opt options[] = {
    {GW_O_RULES, "rules", 0, "DIR",
     "the rules folder (default: $GONGWEN_RULES, else the installed rules)"},
    {GW_O_QUIET, "quiet", 'q', NULL, "no summary line"},
    {0}};

static const gw_cli cli = {
    "gw-rules", "gw-rules [--rules DIR] [--quiet] [check | list]",
    "  check  load every *.rules file (typed attributes) and run each rule's examples (default)\n"
    "  list   print each rule's id and file order",
    options};

int
main(int argc, char **argv)
{
	gw_opts o = {.examples = 1};
	const char *cmd;
	gw_rules *rs;
	int fails, n;

	gw_opts_parse(&o, &cli, argc, argv);
	cmd = o.nops ? o.ops[0] : "check";
	if (o.nops > 1 || (strcmp(cmd, "check") != 0 && strcmp(cmd, "list") != 0))
		gw_usage_error("unknown command '%s' (check or list)", o.ops[o.nops - 1]);
	rs = gw_opts_rules(&o);
	if (strcmp(cmd, "list") == 0) {
		for (size_t k = 0; k < gw_rules_count(rs); k++)
			printf("%s\n", gw_rule_id(gw_rules_at(rs, k)));
		gw_rules_free(rs);
		return 0;
	}
	fails = gw_rules_check_examples(rs, stdout, &n);
	if (!o.quiet)
		printf("gw-rules: %s: %zu rules, %d examples, %d failed\n", o.rules_dir,
		       gw_rules_count(rs), n, fails);
	gw_rules_free(rs);
	return fails ? 1 : 0;
}
