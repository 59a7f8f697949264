/* SPDX-License-Identifier: GPL-2.0 */
/* What kmodt_first exports to kmodt_second. */
#ifndef KMODT_FIRST_H
#define KMODT_FIRST_H

int kmodt_first_ping(void);

#endif
