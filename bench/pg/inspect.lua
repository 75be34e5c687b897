-- wrk script: POST /api/v1/inspections with a different traveller each time
-- (a visa-exempt entry: identity, inspection, movement, rollup and audit in
-- one transaction).  The bearer token comes from the environment.
local counter = 0
local n = 0
local threads = {}
-- each thread's tid is the global setup() sets in its state (thread:set);
-- a file-scope local of that name shadowed it and every thread sent the
-- same travelers (until 2026-12-06)
tid = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  prefix = string.format("%s%d", os.getenv("BENCH_PREFIX") or "B", tid)
end
request = function()
  counter = counter + 1
  local body = string.format(
    '{"port":"SAL","direction":"entry","transport":"TA 390",' ..
    '"document":{"kind":"passport","code":"P","number":"%s%07d","issuing_state":"USA","nationality":"USA","expiry_date":"2031-05-01"},' ..
    '"person":{"given_names":"John","surnames":"Bench%s%d","birth_date":"1975-03-02","sex":"M","nationality":"USA"}}',
    prefix, counter, prefix, counter)
  return wrk.format("POST", "/api/v1/inspections",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")}, body)
end
