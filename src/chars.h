/* chars.h — the character classes every stage shares. */
#ifndef GW_CHARS_H
#define GW_CHARS_H

#include <stdint.h>

/* The value of an ASCII or full-width digit (0–9, ０–９), -1 for anything else. */
int gw_digit_value(uint32_t c);

#endif
