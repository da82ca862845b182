"""Lua scripts of the Redis backend: each runs atomically on the server, using the server's clock.

They mirror :mod:`apiward.state._rate` so the memory and Redis backends give the same answers.
Numbers are returned as strings because Redis truncates Lua numbers to integers.
"""

from __future__ import annotations

__all__ = ["ADD_DISTINCT", "INCR", "SLIDING_WINDOW", "TOKEN_BUCKET"]

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

INCR = """
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if ARGV[2] ~= '' and redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return v
"""

ADD_DISTINCT = """
redis.call('SADD', KEYS[1], ARGV[1])
if ARGV[2] ~= '' and redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('SCARD', KEYS[1])
"""

TOKEN_BUCKET = (
    _NOW
    + """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 't', 'ts')
local level = burst
if s[1] then
  level = math.min(burst, tonumber(s[1]) + math.max(0, now - tonumber(s[2])) * rate)
end
local allowed = 0
if level >= cost then
  level = level - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', string.format('%.6f', level), 'ts', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst / rate + 1) * 1000))
local retry = 0
if allowed == 0 then retry = (cost - level) / rate end
return {allowed, string.format('%.6f', level), string.format('%.6f', (burst - level) / rate),
        string.format('%.6f', retry)}
"""
)

SLIDING_WINDOW = (
    _NOW
    + """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local index = math.floor(now / window)
local elapsed = now - index * window
local cur_key = KEYS[1] .. ':' .. index
local prev = tonumber(redis.call('GET', KEYS[1] .. ':' .. (index - 1)) or '0')
local cur = tonumber(redis.call('GET', cur_key) or '0')
return {prev, cur, string.format('%.6f', elapsed),
        (function()
          local estimate = prev * (window - elapsed) / window + cur
          if estimate + cost <= limit then
            redis.call('INCRBY', cur_key, cost)
            redis.call('PEXPIRE', cur_key, math.ceil(window * 2000))
            return 1
          end
          return 0
        end)()}
"""
)
