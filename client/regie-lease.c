/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieSync"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "regie-error.h"
#include "regie-lease.h"

#define LEASE_GROUP   "lease"
#define LEASE_HEADER  "Regie-Lease-Until"

/* A clock that moved back this far behind the latest time seen locks the
 * store: turning the clock back must not extend a lease. Small steps
 * (NTP corrections) are tolerated. */
#define CLOCK_SLACK_SECONDS (10 * 60)

/* A lease further ahead than this is not believed. */
#define MAX_LEASE_SECONDS ((gint64) 400 * 24 * 60 * 60)

static char *
lease_path (const char *store_path)
{
  return g_strconcat (store_path, ".lease", NULL);
}

static gboolean
lease_load (const char *store_path,
            gint64     *out_until,
            gint64     *out_seen)
{
  g_autofree char *path = lease_path (store_path);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gint64 until, seen;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;

  until = g_key_file_get_int64 (file, LEASE_GROUP, "until", &error);
  if (error != NULL)
    return FALSE;
  seen = g_key_file_get_int64 (file, LEASE_GROUP, "seen", &error);
  if (error != NULL)
    return FALSE;

  *out_until = until;
  *out_seen = seen;
  return TRUE;
}

static gboolean
lease_save (const char  *store_path,
            gint64       until,
            gint64       seen,
            GError     **error)
{
  g_autofree char *path = lease_path (store_path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  g_key_file_set_int64 (file, LEASE_GROUP, "until", until);
  g_key_file_set_int64 (file, LEASE_GROUP, "seen", seen);
  data = g_key_file_to_data (file, &len, NULL);

  return g_file_set_contents_full (path, data, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
regie_lease_record (const char  *store_path,
                    const char  *lease_until,
                    GError     **error)
{
  g_autoptr(GDateTime) until = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 old_until = 0, seen = 0;
  gint64 value;

  g_return_val_if_fail (store_path != NULL, FALSE);
  g_return_val_if_fail (lease_until != NULL, FALSE);

  until = g_date_time_new_from_iso8601 (lease_until, NULL);
  if (until == NULL)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                   "The server's lease “%s” is not an RFC 3339 time", lease_until);
      return FALSE;
    }

  value = g_date_time_to_unix (until);
  if (value > now + MAX_LEASE_SECONDS)
    value = now + MAX_LEASE_SECONDS;

  /* Every answer carries a lease a few seconds later than the last one;
   * rewriting (and fsyncing) the file each time would double the cost of
   * a no-op sync. A minute's difference is not worth a write. */
  if (lease_load (store_path, &old_until, &seen) &&
      ABS (value - old_until) < 60 && now - seen < 60 && now >= seen)
    return TRUE;

  return lease_save (store_path, value, MAX (seen, now), error);
}

void
regie_lease_note_response (const char  *store_path,
                           SoupMessage *message)
{
  g_autoptr(GError) error = NULL;
  const char *value;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                        LEASE_HEADER);
  if (value != NULL && !regie_lease_record (store_path, value, &error))
    g_warning ("Could not keep the device lease: %s", error->message);
}

RegieLeaseStatus
regie_lease_check (const char *store_path,
                   gint64      now)
{
  gint64 until = 0, seen = 0;

  g_return_val_if_fail (store_path != NULL, REGIE_LEASE_NONE);

  if (!lease_load (store_path, &until, &seen))
    return REGIE_LEASE_NONE;

  if (now + CLOCK_SLACK_SECONDS < seen)
    return REGIE_LEASE_CLOCK;

  if (now >= until)
    return REGIE_LEASE_EXPIRED;

  /* Remember the latest time seen, so that the clock cannot be turned
   * back later; failing to write it only loses that protection. */
  if (now > seen)
    lease_save (store_path, until, now, NULL);

  return REGIE_LEASE_VALID;
}

gint64
regie_lease_get_until (const char *store_path)
{
  gint64 until = 0, seen = 0;

  g_return_val_if_fail (store_path != NULL, 0);

  return lease_load (store_path, &until, &seen) ? until : 0;
}

gboolean
regie_lease_check_store (const char  *store_path,
                         GError     **error)
{
  RegieLeaseStatus status;

  g_return_val_if_fail (store_path != NULL, FALSE);

  status = regie_lease_check (store_path, g_get_real_time () / G_USEC_PER_SEC);
  switch (status)
    {
    case REGIE_LEASE_VALID:
      return TRUE;
    case REGIE_LEASE_CLOCK:
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH,
                           _("This computer's clock is behind the time Regie last saw. "
                             "Sign in while connected to the server to continue."));
      return FALSE;
    case REGIE_LEASE_EXPIRED:
    case REGIE_LEASE_NONE:
    default:
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH,
                           _("Regie has been used offline for too long on this computer. "
                             "Sign in while connected to the server to continue."));
      return FALSE;
    }
}

gboolean
regie_sync_engine_lease_expired (RegieSyncEngine *self)
{
  RegieStore *store;

  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), TRUE);

  store = regie_sync_engine_get_store (self);
  return store == NULL ||
         regie_lease_check (regie_store_get_path (store),
                            g_get_real_time () / G_USEC_PER_SEC) != REGIE_LEASE_VALID;
}

const char *
regie_device_revoked_message (void)
{
  return _("This computer was revoked by your administrator. Regie has removed the "
           "dossiers stored on it. Contact your administrator.");
}

static gboolean
remove_if_there (const char  *path,
                 GError     **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "Could not remove %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

gboolean
regie_lease_wipe_store (const char  *store_path,
                        GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal", ".lease" };
  gboolean ok = TRUE;

  g_return_val_if_fail (store_path != NULL, FALSE);

  g_message ("Wiping the local store %s: this device was revoked", store_path);

  /* Each file is tried even when one fails; the first error is kept. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (store_path, suffixes[i], NULL);

      if (!remove_if_there (path, ok ? error : NULL))
        ok = FALSE;
    }

  return ok;
}
