-- wrk script: POST /api/v1/inspections, a different traveler each request.
--
-- Most requests present a returning traveler i of the preloaded dataset
-- (gen.c's trav(i): passport B%08d, names, birth date, nationality), who is
-- inside the country and leaves; one in NEW_EVERY is a first-time visitor
-- (a new person and passport).  Environment: TOKEN (bearer), TRAVELERS
-- (how many gen.c loaded), NEW_EVERY (default 5).
local SUR = {"Hernández", "García", "Martínez", "López", "Rodríguez", "Pérez",
  "Flores", "Ramírez", "González", "Cruz", "Rivas", "Mejía", "Díaz",
  "Romero", "Aguilar", "Reyes", "Morales", "Sánchez", "Ramos", "Torres",
  "Castillo", "Vásquez", "Portillo", "Alvarado", "Ortiz", "Guzmán",
  "Chávez", "Mendoza", "Orellana", "Escobar", "Menjívar", "Argueta",
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
  "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson",
  "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
  "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams"}
local GIV = {"José", "María", "Juan", "Ana", "Carlos", "Rosa", "Luis", "Carmen",
  "Jorge", "Marta", "Miguel", "Sonia", "Francisco", "Gloria", "Mario",
  "Claudia", "Roberto", "Patricia", "Óscar", "Silvia", "Manuel", "Karla",
  "Pedro", "Sandra", "Ricardo", "Julia", "John", "Mary", "James",
  "Linda", "Robert", "Susan", "Michael", "Karen", "William", "Lisa",
  "David", "Nancy", "Richard", "Betty", "Joseph", "Helen", "Daniel"}
local NAT = {"USA", "GTM", "HND", "NIC", "SLV", "CAN", "MEX", "ESP"}

-- wrk embeds LuaJIT (Lua 5.1): no integer-division operator.
local function idiv(a, b) return math.floor(a / b) end

local function civil(z) -- days since 1970-01-01 -> y, m, d
  z = z + 719468
  local era = idiv((z >= 0 and z or z - 146096), 146097)
  local doe = z - era * 146097
  local yoe = idiv(doe - idiv(doe, 1460) + idiv(doe, 36524) - idiv(doe, 146096), 365)
  local doy = doe - (365 * yoe + idiv(yoe, 4) - idiv(yoe, 100))
  local mp = idiv((5 * doy + 2), 153)
  local d = doy - idiv((153 * mp + 2), 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format("%04d-%02d-%02d", y, m, d)
end

local travelers = tonumber(os.getenv("TRAVELERS") or "2000000")
local new_every = tonumber(os.getenv("NEW_EVERY") or "5")
local token = os.getenv("TOKEN") or ""
local counter = 0
local threads = 0
-- tid is the global each thread's setup() sets (thread:set): a local of
-- the same name here shadowed it, every thread seeded alike and sent the
-- same travelers in the same order, so half the requests repeated the
-- other thread's (until 2026-12-06).
tid = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

local function body(number, given, sur, birth, nat, sex, direction)
  return string.format(
    '{"port":"SAL","direction":"%s","transport":"AV 611",' ..
    '"document":{"kind":"passport","code":"P","number":"%s","issuing_state":"%s","nationality":"%s","expiry_date":"2032-06-30"},' ..
    '"person":{"given_names":"%s","surnames":"%s","birth_date":"%s","sex":"%s","nationality":"%s"}}',
    direction, number, nat, nat, given, sur, birth, sex, nat)
end

function request()
  counter = counter + 1
  local b
  if counter % new_every == 0 then
    local n = string.format("N%02d%05d%06d", tid, os.time() % 100000, counter % 1000000)
    local i = math.random(1, 1000000)
    b = body(n, GIV[idiv(i, 7) % #GIV + 1], "Nuevo " .. SUR[i % #SUR + 1], civil(-10957 + (i * 7919) % 24000),
      NAT[i % #NAT + 1], i % 2 == 1 and "F" or "M", "entry")
  else
    local i = math.random(1, travelers)
    b = body(string.format("B%08d", i), GIV[idiv(i, 7) % #GIV + 1],
      SUR[i % #SUR + 1] .. " " .. SUR[(idiv(i, #SUR)) % #SUR + 1], civil(-10957 + (i * 7919) % 24000),
      NAT[i % #NAT + 1], i % 2 == 1 and "F" or "M", "exit")
  end
  return wrk.format(nil, "/api/v1/inspections", nil, b)
end

-- PACE_MS (optional): before each request a connection pauses for an
-- exponentially distributed time of this mean, like a booth whose officer
-- takes the next traveler: C connections offer about C * 1000 / PACE_MS
-- requests/s, and the latency measured is what a booth sees at that load
-- instead of at saturation (wrk excludes the pause from its latency).
local pace = tonumber(os.getenv("PACE_MS") or "0")
if pace > 0 then
  function delay()
    return math.floor(-math.log(1 - math.random()) * pace + 0.5)
  end
end

local codes = {}
function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if status >= 400 and (codes[status] <= 3) then io.stderr:write(status .. " " .. body .. "\n") end
end
