/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sign-in throttling, in memory: failures are counted per key (an account
 * or a client address). From the max_failures-th failure within `window`
 * of each other on, every further failure locks the key for
 * base_lockout × 2^(failures − max_failures), at most max_lockout.
 * The table holds at most max_entries keys; when it is full, the entry
 * that failed longest ago goes. Thread-safe. Times are µs. */
typedef struct _RegieServerThrottle RegieServerThrottle;

RegieServerThrottle *regie_server_throttle_new   (unsigned             max_failures,
                                                  gint64               window,
                                                  gint64               base_lockout,
                                                  gint64               max_lockout,
                                                  unsigned             max_entries);
void                 regie_server_throttle_free  (RegieServerThrottle *self);
/* µs until key may try again; 0 when it may now. */
gint64               regie_server_throttle_check (RegieServerThrottle *self,
                                                  const char          *key,
                                                  gint64               now);
void                 regie_server_throttle_fail  (RegieServerThrottle *self,
                                                  const char          *key,
                                                  gint64               now);
void                 regie_server_throttle_reset (RegieServerThrottle *self,
                                                  const char          *key);
unsigned             regie_server_throttle_size  (RegieServerThrottle *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieServerThrottle, regie_server_throttle_free)

G_END_DECLS
