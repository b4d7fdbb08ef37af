-- wrk script for make bench: cycles through prepared requests and prints a
-- JSON summary. Usage: wrk -s bench/requests.lua URL -- <requests file>
-- The requests file is Lua returning {{method=, path=, headers={}, body=}, ...}
-- (written by bench/run.py).

local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local reqs = dofile(args[1])
  prepared = {}
  for i, r in ipairs(reqs) do
    prepared[i] = wrk.format(r.method, r.path, r.headers, r.body)
  end
  -- Threads start at different places so they do not send the same sequence.
  index = ((thread_id or 0) * 7919) % #prepared
end

function request()
  index = index % #prepared + 1
  return prepared[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p95":%d,"p99":%d,"mean":%.1f,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
