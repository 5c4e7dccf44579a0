/* main-rules.c — gw-rules: load a rules folder, report errors, run every rule's examples. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char usage[] =
    "gw-rules [--rules DIR] [--quiet] [check | list]\n"
    "  check  load every *.rules file (typed attributes) and run each rule's examples (default)\n"
    "  list   print each rule's id and file order\n"
    "  --rules DIR  the rules folder (default: $GONGWEN_RULES, else the installed rules)\n"
    "Exit status: 0 all examples pass, 1 some fail, 2 a rule file does not load.";

int
main(int argc, char **argv)
{
	gw_opts o = {.prog = "gw-rules"};
	int i = gw_opts_parse(&o, argc, argv, usage);
	const char *cmd = i < argc ? argv[i] : "check";
	gw_rules *rs;
	int fails, n;

	if (strcmp(cmd, "check") != 0 && strcmp(cmd, "list") != 0) {
		fprintf(stderr, "gw-rules: unknown command '%s'\nusage: %s\n", cmd, usage);
		return 2;
	}
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
