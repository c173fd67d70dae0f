-- wrk script for bench/run.py: every request is one person's page, sent with that person's
-- session cookie, going round the people in turn (each wrk thread starts at a different one).
-- BENCH_TARGETS names a file of "<cookie>\t<path>" lines ("-" as the cookie sends none).
-- Any answer other than 200 is an error; done() prints one JSON line for bench/run.py.

local targets = {}
for line in io.lines(os.getenv("BENCH_TARGETS")) do
  local cookie, path = line:match("^(%S+)\t(%S+)$")
  if cookie then
    targets[#targets + 1] = { cookie = cookie, path = path }
  end
end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

-- Globals, so that done() can read them from each thread with thread:get().
position, not_ok, seen = 0, 0, 0

function init(args)
  position = (id * 37) % #targets
  not_ok = 0
  seen = 0
end

function request()
  position = position % #targets + 1
  local target = targets[position]
  local headers = {}
  if target.cookie ~= "-" then
    headers["Cookie"] = target.cookie
  end
  return wrk.format("GET", target.path, headers)
end

function response(status, headers, body)
  seen = seen + 1
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "not_200": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, e.connect, e.read, e.write, e.timeout
  ))
end
