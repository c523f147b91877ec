/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-error.h"

G_DEFINE_QUARK (regie-error-quark, regie_error)

unsigned
regie_error_to_http_status (const GError *error)
{
  g_return_val_if_fail (error != NULL, 500);

  if (error->domain != REGIE_ERROR)
    return 500;

  switch ((RegieError) error->code)
    {
    case REGIE_ERROR_INVALID:
    case REGIE_ERROR_PARSE:
      return 400;
    case REGIE_ERROR_TOO_LARGE:
      return 413;
    case REGIE_ERROR_AUTH:
    case REGIE_ERROR_REVOKED:
      return 401;
    case REGIE_ERROR_FORBIDDEN:
      return 403;
    case REGIE_ERROR_NOT_FOUND:
      return 404;
    case REGIE_ERROR_CONFLICT:
      return 409;
    case REGIE_ERROR_GONE:
      return 410;
    case REGIE_ERROR_PROTOCOL:
      return 426;
    case REGIE_ERROR_THROTTLED:
      return 429;
    case REGIE_ERROR_NETWORK:
      return 503;
    case REGIE_ERROR_SERVER:
    case REGIE_ERROR_STORAGE:
    default:
      return 500;
    }
}

RegieError
regie_error_from_http_status (unsigned status)
{
  switch (status)
    {
    case 400:
    case 405:
    case 422:
      return REGIE_ERROR_INVALID;
    case 401:
      return REGIE_ERROR_AUTH;
    case 403:
      return REGIE_ERROR_FORBIDDEN;
    case 404:
      return REGIE_ERROR_NOT_FOUND;
    case 409:
      return REGIE_ERROR_CONFLICT;
    case 410:
      return REGIE_ERROR_GONE;
    case 413:
      return REGIE_ERROR_TOO_LARGE;
    case 426:
      return REGIE_ERROR_PROTOCOL;
    case 429:
      return REGIE_ERROR_THROTTLED;
    default:
      return status >= 500 ? REGIE_ERROR_SERVER : REGIE_ERROR_INVALID;
    }
}
