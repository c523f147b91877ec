-- SPDX-License-Identifier: EUPL-1.2
-- wrk script for bench/load.sh: each connection is one client that syncs
-- again after a pause drawn from an exponential distribution (mean
-- REGIE_LOAD_GAP_MS), as many independent laptops would, so the server is
-- offered a steady rate instead of being kept saturated.
local gap_ms = tonumber(os.getenv("REGIE_LOAD_GAP_MS") or "38")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0) * 7919)
end

function delay()
  return -math.log(1 - math.random()) * gap_ms
end
