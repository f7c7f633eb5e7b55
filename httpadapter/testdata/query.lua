-- wrk script for POST /query against "parley serve" with the coffee bot
-- and PARLEY_CLIENT_TOKEN=web-secret: three messages in turn over 1,000
-- sessions, as BenchmarkQueryHTTP sends them.
--
--   wrk -t2 -c50 -d15s --latency -s httpadapter/testdata/query.lua http://127.0.0.1:8080/query
local n = 0
local queries = {"hello", "can i have a large cappuccino with oat milk", "what drinks do you have"}
request = function()
  n = n + 1
  local body = string.format('{"sessionId":"bench-session-%04d","query":"%s"}', n % 1000, queries[n % 3 + 1])
  return wrk.format("POST", "/query", {["Authorization"] = "Bearer web-secret", ["Content-Type"] = "application/json"}, body)
end
