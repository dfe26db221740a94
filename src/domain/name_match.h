/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Comparing people's names, to suggest (never to decide) which enrolled
 * person a Zoom participant without a known email might be.
 *
 * Display names in Zoom are typed by the participants: accents dropped or
 * not, family name first, a second given name missing, capitals.  The
 * similarity below is a ranking aid for an administrator's confirmation;
 * two different people can share a name, so nothing may be assigned on a
 * name alone. */
#ifndef AULA_NAME_MATCH_H
#define AULA_NAME_MATCH_H

#include <stddef.h>

/* Lower-case, accents folded (á→a, ñ→n, ç→c, ü→u, ß→ss, æ→ae, ł→l … all of
 * Latin-1 and Latin Extended-A, and combining marks dropped), apostrophes
 * removed (O'Brien → obrien), other punctuation turned into spaces, runs of
 * spaces collapsed and trimmed:
 * "  María-José  PÉREZ " -> "maria jose perez".  Letters of other scripts
 * are kept as they are.  out always ends in NUL when n > 0; a result that
 * does not fit is cut at a character boundary. */
void name_normalise(const char *in, char *out, size_t n);

/* Similarity 0..100 between two names after normalising, token-based so
 * that the order of given and family names does not matter and one name may
 * have more tokens than the other.  Tokens are paired greedily by weight:
 * equal 1, one a prefix of the other 0.8 (0.6 for a single-letter initial),
 * one edit apart in tokens of 5+ letters 0.8.  With m the weight matched,
 * k the token count of the shorter name and t the total of both:
 *     coverage = m / k,  dice = 2m / t,
 *     score = 100 * coverage^2 * (0.6 + 0.4 * dice)
 * so a name whose every token is found in the other scores high even when
 * the other is longer ("Ana Pérez" / "Pérez Gómez, Ana María": 87), and
 * sharing one of two tokens scores low ("Ana Pérez" / "Juan Pérez": 20).
 * 100 when the normalised names are equal; 0 when either is empty. */
int name_similarity(const char *a, const char *b);

#endif
