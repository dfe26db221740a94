/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Attendance arithmetic: how much of a scheduled block a participant was
 * present for, and whether an attendance rule is met.
 *
 * Presence comes as intervals [from, to) of UTC instants, one per join (a
 * participant who drops and rejoins, or joins from two devices at once, has
 * several, possibly overlapping).  Presence is their union clipped to the
 * block: overlaps are counted once and time outside the block not at all,
 * never a sum of per-row durations.  Pure: no I/O, no clock. */
#ifndef AULA_ATTENDANCE_H
#define AULA_ATTENDANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct interval {
    time_t from, to;
};

/* Seconds present within [block_from, block_to): the union of the
 * intervals (overlaps from two devices and rejoins counted once), clipped to
 * the block.  The intervals may come in any order, may overlap, and empty or
 * reversed ones (to <= from) count nothing; the caller's array is not
 * modified (it is copied when it needs sorting).  0 for an empty block. */
long attended_seconds(const struct interval *iv, size_t n, time_t block_from, time_t block_to);

/* Whole minutes attended of a list of blocks: the seconds of each block
 * (each clipped as above) are summed and the total rounded down to whole
 * minutes once, at the end.  Blocks are taken to be disjoint (a session's
 * blocks never overlap); overlapping blocks would count twice. */
long attended_minutes(const struct interval *iv, size_t n, const struct interval *blocks,
                      size_t nblocks);

/* The rule: met when the minutes attended over all days are at least
 * percent% of the scheduled minutes, and, when min_day_percent > 0, every
 * day with something scheduled reaches min_day_percent% of that day's
 * scheduled minutes.  Compared exactly in integers (attended * 100 >=
 * percent * scheduled), so 90% of 457 minutes needs 411.3, i.e. 412.
 * Days with nothing scheduled are ignored; when nothing at all is scheduled
 * the rule is not met (there is nothing to certify).  Percentages are
 * clamped to 0..100. */
bool attendance_rule_met(const long *attended_per_day, const long *scheduled_per_day, size_t ndays,
                         int percent, int min_day_percent);

#endif
