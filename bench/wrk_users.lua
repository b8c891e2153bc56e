-- wrk script for bench/run.py: one thread = one connection = one virtual user.
-- Usage: wrk -tN -cN -s bench/wrk_users.lua URL -- <users.lua> <seq_base>
-- <users.lua> returns a list of users: {method=, headers={}, add_seq=bool, requests={{path, body}, ...}};
-- each user cycles through its requests; POST bodies get an increasing "&seq=" (autosave ordering).

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("user_index", thread_count)
end

function init(args)
  local users = dofile(args[1])
  user = users[(user_index - 1) % #users + 1]
  seq = tonumber(args[2])
  n = 0
end

function request()
  n = n + 1
  local item = user.requests[(n - 1) % #user.requests + 1]
  local body = item[2]
  if user.add_seq then
    seq = seq + 1
    -- %d, not "..": concatenation would print 1.76e+15, which the form rejects.
    body = body .. "&seq=" .. string.format("%d", seq)
  end
  return wrk.format(user.method, item[1], user.headers, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d "
      .. "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
