// The Lua scripts BatchState (./batch-state.ts) runs, each one atomic move of a frame or a go-da
// placement that needs a read and a write in one step. KEYS and ARGV are laid out per script below.
// A cache fill must never put a TTL on a held frame (TTL -1): it could expire before its batch is
// stored. Anything else (absent, or already a cache entry) is (re)written with the cache TTL.
export const CACHE_FRAME = `
if redis.call('TTL', KEYS[1]) == -1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

// Eviction drops cache entries only (a TTL ≥ 0); held frames (-1) and absent ones (-2) stay as they are.
export const EVICT_FRAMES = `
local evicted = 0
for _, key in ipairs(KEYS) do
  if redis.call('TTL', key) >= 0 then evicted = evicted + redis.call('DEL', key) end
end
return evicted`;

// KEYS[1] = held index, KEYS[1 + i] = frame i; ARGV[1] = cache TTL (s, 0: none), ARGV[1 + i] = key i.
export const SETTLE_COMMITTED = `
local ttl = tonumber(ARGV[1])
for i = 2, #KEYS do
  if redis.call('TTL', KEYS[i]) == -1 then
    if ttl > 0 then redis.call('EXPIRE', KEYS[i], ttl) else redis.call('DEL', KEYS[i]) end
  end
  redis.call('ZREM', KEYS[1], ARGV[i])
end
return #KEYS - 1`;

// Places a go-da Submit's frames at new heights of one namespace, atomically, so a height is never
// seen half written and never changes once the head reaches it (a reader that got height h has
// all of h). Frames go in submission order; a new height starts before the next frame would take
// the open one past the budget. A frame placed in the namespace before keeps its height (the same
// bytes get the same id), and so does a frame repeated within the Submit.
// KEYS[1] = head, KEYS[1 + i] = frame i's placement; ARGV[1] = height key prefix, ARGV[2] =
// budget, ARGV[3] = retention (ms), ARGV[2 + 2i] = frame i's key, ARGV[3 + 2i] = its size.
// Returns each frame's height. Heights and placements expire after the retention; the head stays.
// The clock is Redis's (TIME), one clock for every replica.
export const PLACE_SUBMISSION = `
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local budget = tonumber(ARGV[2])
local retention = ARGV[3]
local time = redis.call('TIME')
local placedAtMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local placed, heights = {}, {}
local open, used, members = nil, 0, {}
local function seal()
  if open then redis.call('SET', ARGV[1] .. open, cjson.encode({keys = members, placedAtMs = placedAtMs}), 'PX', retention) end
end
for i = 1, #KEYS - 1 do
  local key, size = ARGV[2 + 2 * i], tonumber(ARGV[3 + 2 * i])
  local height = placed[key] or tonumber(redis.call('GET', KEYS[1 + i]) or '')
  if not height then
    if open == nil or used + size > budget then
      seal()
      head = head + 1
      open, used, members = head, 0, {}
    end
    members[#members + 1] = key
    used = used + size
    height = open
    redis.call('SET', KEYS[1 + i], height, 'PX', retention)
  end
  placed[key] = height
  heights[i] = height
end
seal()
redis.call('SET', KEYS[1], head)
return heights`;
