-- wrk script: cycles through the request paths of a workload file (one path
-- per line, as bench/workload_paths.py writes them), each thread starting at
-- a different place, and prints a machine-readable summary line.
--
--   wrk -t2 -c16 -d30s -s bench/wrk_workload.lua http://127.0.0.1:PORT -- paths.txt
--
-- The last line printed is
--   WRK_JSON {"requests":N,"seconds":S,"rps":R,"p50_ms":..,"p95_ms":..,
--             "p99_ms":..,"errors":E,"timeouts":T,"non_2xx":M}
-- errors counts connect, read and write errors; timeouts are requests that
-- got no answer within wrk's --timeout (2 s by default).

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local paths = {}
local counter = 0

function init(args)
  local file = args[1]
  if file == nil then
    error("wrk_workload.lua: usage: wrk ... -s wrk_workload.lua URL -- PATHS.txt")
  end
  for line in io.lines(file) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("wrk_workload.lua: " .. file .. ": no request paths")
  end
  counter = ((thread_id or 1) - 1) * 97 % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,' ..
    '"p95_ms":%.3f,"p99_ms":%.3f,"errors":%d,"timeouts":%d,"non_2xx":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    e.connect + e.read + e.write, e.timeout, e.status))
end
