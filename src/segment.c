/* segment.c — gw-segment's library half: a document's lines (lines.c), its header (header.c), its structure (structure.c), then the header and nodes as printed (printed.c), in that order. */
#include "internal.h"
#include "segment.h"

int
gw_segment(gw_segmenter *s, gw_doc *d)
{
	gw_lines c;
	gw_hpos p;
	int over = 0;

	/* what an earlier run of this stage put in d goes: a record can be segmented again */
	gw_doc_clear_nodes(d);
	gw_header_clear(d);
	gw_doc_clear_diags(d, GW_ST_SEGMENTED);
	d->is_notice = 0;
	gw_lines_index(&c, s, d);
	if (c.n > 0) {
		gw_header_scan(&c, &p);
		over = gw_structure_build(&c, &p);
		gw_doc_assign_node_ids(d);
		gw_printed_restore(d);
	}
	gw_lines_free(&c);
	if (c.failed) {
		gw_doc_fail(d, GW_E_RULE_LIMIT, "rule %s", c.failed);
		return 1;
	}
	if (over) { /* issue 6: over the limit the document fails, it is not cut short */
		gw_doc_fail(d, GW_E_LIMIT, over == 1 ? "more than %d nodes" : "more than %d numbered lines",
		            over == 1 ? GW_LIMIT_NODES : 4 * GW_LIMIT_NODES);
		return 1;
	}
	d->stages |= GW_ST_SEGMENTED;
	return 0;
}
