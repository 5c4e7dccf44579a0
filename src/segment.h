/* segment.h — the parts of the segment stage above its line layer, as segment.c calls them in order. */
#ifndef GW_SEGMENT_H
#define GW_SEGMENT_H

#include "lines.h"

/* What the header scan tells the structure scan (line indices, -1: none). */
typedef struct gw_hpos {
	int title0;    /* the title's first line */
	int date;      /* the 成文日期 */
	int body0;     /* the first line after the header */
	bool transmit; /* the notice 印发/转发 another document (asked when dated) */
} gw_hpos;

/* header.c: fill d->header, d->is_notice and *p (skip marks the header's lines). */
void gw_header_scan(gw_lines *c, gw_hpos *p);
/* header.c: the title of an attached document at line i: its lines [i, *last]; returns
 * false when line i cannot be a title. */
bool gw_header_title_at(gw_lines *c, int i, int maxlines, int *last);

/* structure.c: the attachments and the numbered nodes of each part (GB/T 9704-2012 7.3.3).
 * 0, or when the nodes would go over GW_LIMIT_NODES: 1, over 4 times as many numbered
 * lines: 2 (then the document must fail). */
int gw_structure_build(gw_lines *c, const gw_hpos *p);

/* printed.c: every header field, node number and heading as printed in the source (the
 * full-width forms the normaliser folded come back). */
void gw_printed_restore(gw_doc *d);

#endif
