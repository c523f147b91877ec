/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include "regie-server-throttle.h"

typedef struct
{
  unsigned failures;
  gint64   last_failure;
  gint64   locked_until;
} Entry;

struct _RegieServerThrottle
{
  GMutex      mutex;
  GHashTable *entries;       /* key → Entry */
  unsigned    max_failures;
  gint64      window;
  gint64      base_lockout;
  gint64      max_lockout;
  unsigned    max_entries;
};

RegieServerThrottle *
regie_server_throttle_new (unsigned max_failures,
                           gint64   window,
                           gint64   base_lockout,
                           gint64   max_lockout,
                           unsigned max_entries)
{
  RegieServerThrottle *self;

  g_return_val_if_fail (max_failures > 0, NULL);
  g_return_val_if_fail (max_entries > 0, NULL);

  self = g_new0 (RegieServerThrottle, 1);
  g_mutex_init (&self->mutex);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_failures = max_failures;
  self->window = window;
  self->base_lockout = base_lockout;
  self->max_lockout = max_lockout;
  self->max_entries = max_entries;

  return self;
}

void
regie_server_throttle_free (RegieServerThrottle *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/* Forgotten: no failure within the window and no lock-out running. */
static gboolean
entry_is_stale (RegieServerThrottle *self,
                const Entry         *entry,
                gint64               now)
{
  return entry->locked_until <= now && now - entry->last_failure > self->window;
}

/* Called with the mutex held and the table full. */
static void
make_room (RegieServerThrottle *self,
           gint64               now)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *oldest_key = NULL;
  gint64 oldest = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;

      if (entry_is_stale (self, entry, now))
        g_hash_table_iter_remove (&iter);
      else if (entry->last_failure < oldest)
        {
          oldest = entry->last_failure;
          oldest_key = key;
        }
    }

  if (g_hash_table_size (self->entries) >= self->max_entries && oldest_key != NULL)
    g_hash_table_remove (self->entries, oldest_key);
}

gint64
regie_server_throttle_check (RegieServerThrottle *self,
                             const char          *key,
                             gint64               now)
{
  Entry *entry;
  gint64 wait = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (key != NULL, 0);

  g_mutex_lock (&self->mutex);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL)
    {
      if (entry->locked_until > now)
        wait = entry->locked_until - now;
      else if (entry_is_stale (self, entry, now))
        g_hash_table_remove (self->entries, key);
    }
  g_mutex_unlock (&self->mutex);

  return wait;
}

void
regie_server_throttle_fail (RegieServerThrottle *self,
                            const char          *key,
                            gint64               now)
{
  Entry *entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->mutex);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL && entry_is_stale (self, entry, now))
    {
      entry->failures = 0;
      entry->locked_until = 0;
    }

  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= self->max_entries)
        make_room (self, now);
      entry = g_new0 (Entry, 1);
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }

  entry->failures++;
  entry->last_failure = now;

  if (entry->failures >= self->max_failures)
    {
      unsigned doublings = MIN (entry->failures - self->max_failures, 20);
      gint64 lockout = MIN (self->base_lockout << doublings, self->max_lockout);

      entry->locked_until = MAX (entry->locked_until, now + lockout);
    }

  g_mutex_unlock (&self->mutex);
}

void
regie_server_throttle_reset (RegieServerThrottle *self,
                             const char          *key)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->entries, key);
  g_mutex_unlock (&self->mutex);
}

unsigned
regie_server_throttle_size (RegieServerThrottle *self)
{
  unsigned size;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  size = g_hash_table_size (self->entries);
  g_mutex_unlock (&self->mutex);

  return size;
}
