package io.hookwarden.inbox.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that make each inbox call one atomic step on one endpoint's keys. Every script gets one key, the
 * endpoint's stream ({@code <prefix>{<endpoint>}:s}), and derives the endpoint's other keys from it by its base
 * ({@code <prefix>{<endpoint>}:}): all share the endpoint's hash tag, so on Redis Cluster they live in the stream's
 * slot, where Lettuce sends the script. Times in ARGV are epoch milliseconds of the inbox's clock, never Redis's.
 *
 * <p>Per endpoint (base {@code B}): {@code B s} the stream (one field {@code e}: the encoded entry) with the consumer
 * group; {@code B x} the dead stream; {@code B d:<id>} a hash per delivery (state {@code st}: P pending, F in flight, C
 * completed, D dead, K skipped; attempts {@code at}; next due or lease end {@code nx}; owner token {@code tk}; last
 * error {@code er}; updated {@code up}; where the entry is now, {@code loc} s or x and its stream id {@code sid}; and the
 * indexed components: dedupe key {@code dk}, event type {@code ty} as {@code =type}, received {@code rc}, ordering key
 * {@code ok}, ordering {@code om} N/S/L, sequence {@code sq}); {@code B k} dedupe key to id; {@code B a} every id by
 * time received; {@code B S:<st>} the ids of each state by time received; {@code B r} the ready ids (pending and due, or
 * in flight with the lease run out) by time received; {@code B t} the waiting ids (pending not yet due, in flight with a
 * live lease) by due time; {@code B o:<key>} the unsettled (pending, in flight, dead) ids of an ordering key by
 * sequence; {@code B c:<key>} its completed ids by sequence; {@code B z} the completed and skipped ids by the time they
 * settled.
 */
final class Scripts {
    private Scripts() {}

    private static final String PRELUDE =
            """
            local base = string.sub(KEYS[1], 1, -2)
            local function dk(id) return base .. 'd:' .. id end
            local function idless(a, b)
              local am, as = string.match(a, '(%d+)-(%d+)')
              local bm, bs = string.match(b, '(%d+)-(%d+)')
              am = tonumber(am) bm = tonumber(bm)
              if am ~= bm then return am < bm end
              return tonumber(as) < tonumber(bs)
            end
            local function row(id)
              local f = redis.call('HMGET', dk(id), 'st', 'at', 'nx', 'er', 'up', 'loc', 'sid', 'tk')
              if not f[1] then return false end
              local stream = base .. (f[6] == 'x' and 'x' or 's')
              local e = redis.call('XRANGE', stream, f[7], f[7])
              if #e == 0 then return false end
              return {id, f[1], f[2], f[3], f[4] or false, f[5], e[1][2][2], f[8] or false}
            end
            local function forget(id, f)
              -- f: st, rc, ok, om, dk, loc, sid
              local stream = base .. (f[6] == 'x' and 'x' or 's')
              redis.call('XDEL', stream, f[7])
              redis.call('HDEL', base .. 'k', f[5])
              redis.call('ZREM', base .. 'a', id)
              redis.call('ZREM', base .. 'r', id)
              redis.call('ZREM', base .. 't', id)
              redis.call('ZREM', base .. 'z', id)
              redis.call('ZREM', base .. 'S:' .. f[1], id)
              if f[4] ~= 'N' then
                redis.call('ZREM', base .. 'o:' .. f[3], id)
                redis.call('ZREM', base .. 'c:' .. f[3], id)
              end
              redis.call('DEL', dk(id))
            end
            local function typematch(id, ty)
              if ty == '' then return true end
              return redis.call('HGET', dk(id), 'ty') == ty
            end
            """;

    /**
     * ARGV: dedupe key, encoded entry, now, received, type ({@code =type} or empty), ordering key, ordering, sequence,
     * cap, group. Returns {@code {'dup'}}, {@code {'full'}} or {@code {'ok', id}}.
     */
    static final Script WRITE = new Script(
            PRELUDE
                    + """
            if redis.call('HEXISTS', base .. 'k', ARGV[1]) == 1 then return {'dup'} end
            local length = redis.call('XLEN', KEYS[1])
            if length == 0 then
              -- a new stream, or one emptied by the sweep whose group exists already (BUSYGROUP, ignored)
              redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[10], '0', 'MKSTREAM')
            end
            if length >= tonumber(ARGV[9]) then return {'full'} end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[9], '*', 'e', ARGV[2])
            local h = {'st', 'P', 'at', '0', 'nx', ARGV[3], 'up', ARGV[3], 'loc', 's', 'sid', id, 'dk', ARGV[1],
              'rc', ARGV[4], 'om', ARGV[7], 'sq', ARGV[8]}
            if ARGV[5] ~= '' then h[#h + 1] = 'ty' h[#h + 1] = ARGV[5] end
            if ARGV[7] ~= 'N' then h[#h + 1] = 'ok' h[#h + 1] = ARGV[6] end
            redis.call('HSET', dk(id), unpack(h))
            redis.call('HSET', base .. 'k', ARGV[1], id)
            redis.call('ZADD', base .. 'a', ARGV[4], id)
            redis.call('ZADD', base .. 'S:P', ARGV[4], id)
            redis.call('ZADD', base .. 'r', ARGV[4], id)
            if ARGV[7] ~= 'N' then redis.call('ZADD', base .. 'o:' .. ARGV[6], ARGV[8], id) end
            return {'ok', id}
            """);

    /**
     * ARGV: now, lease end, max, consumer, token prefix, group, budget. Moves what came due to the ready set, then takes
     * up to max ready deliveries, oldest received first among the first {@code budget}, skipping those their ordering
     * key holds back (each key's state read once per claim); each is claimed in the consumer group by its stream id (XCLAIM, FORCE for a first delivery), so
     * a delivery whose lease ran out is taken over where it stands, never added again. Returns rows.
     */
    static final Script CLAIM = new Script(
            PRELUDE
                    + """
            local now = tonumber(ARGV[1])
            for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 't', '-inf', now)) do
              redis.call('ZREM', base .. 't', id)
              redis.call('ZADD', base .. 'r', redis.call('HGET', dk(id), 'rc'), id)
            end
            -- Per ordering key, read once per claim: whether one of its deliveries is in flight under a live lease,
            -- and its head: the lowest (sequence, id) among the pending, in-flight and (STRICT) dead ones.
            local keys = {}
            local function key(ok)
              local k = keys[ok]
              if k then return k end
              k = {busy = false}
              for _, o in ipairs(redis.call('ZRANGE', base .. 'o:' .. ok, 0, -1)) do
                local f = redis.call('HMGET', dk(o), 'st', 'nx', 'sq')
                local osq = tonumber(f[3])
                if f[1] == 'F' and tonumber(f[2]) > now then k.busy = true end
                if not k.strict or osq < k.ssq or (osq == k.ssq and idless(o, k.strict)) then
                  k.strict = o k.ssq = osq
                end
                if f[1] ~= 'D' and (not k.latest or osq < k.lsq or (osq == k.lsq and idless(o, k.latest))) then
                  k.latest = o k.lsq = osq
                end
              end
              keys[ok] = k
              return k
            end
            local max = tonumber(ARGV[3])
            local budget = tonumber(ARGV[7])
            local out = {}
            local offset = 0
            while #out < max and offset < budget do
              local page = redis.call('ZRANGE', base .. 'r', offset, offset + 999)
              if #page == 0 then break end
              offset = offset + #page
              for _, id in ipairs(page) do
                if #out >= max then break end
                local h = dk(id)
                local f = redis.call('HMGET', h, 'st', 'om', 'ok', 'sid', 'rc')
                local k = nil
                if f[2] ~= 'N' then k = key(f[3]) end
                if not k or (not k.busy and id == (f[2] == 'S' and k.strict or k.latest)) then
                  local token = ARGV[5] .. (#out + 1)
                  redis.call('HSET', h, 'st', 'F', 'tk', token, 'nx', ARGV[2], 'up', ARGV[1])
                  redis.call('HINCRBY', h, 'at', 1)
                  redis.call('ZADD', base .. 't', ARGV[2], id)
                  if f[1] ~= 'F' then
                    redis.call('ZREM', base .. 'S:' .. f[1], id)
                    redis.call('ZADD', base .. 'S:F', f[5], id)
                  end
                  redis.call('XCLAIM', KEYS[1], ARGV[6], ARGV[4], 0, f[4], 'FORCE', 'JUSTID')
                  out[#out + 1] = row(id)
                  if k then k.busy = true end
                end
              end
            end
            for _, r in ipairs(out) do redis.call('ZREM', base .. 'r', r[1]) end
            return out
            """);

    /** ARGV: id, token, now, new lease end, consumer, group. Returns {1} or {0}. */
    static final Script HEARTBEAT = new Script(
            PRELUDE
                    + """
            local h = dk(ARGV[1])
            local f = redis.call('HMGET', h, 'st', 'tk', 'nx', 'sid')
            if f[1] ~= 'F' or f[2] ~= ARGV[2] or tonumber(f[3]) <= tonumber(ARGV[3]) then return {0} end
            redis.call('HSET', h, 'nx', ARGV[4])
            redis.call('ZREM', base .. 'r', ARGV[1])
            redis.call('ZADD', base .. 't', ARGV[4], ARGV[1])
            redis.call('XCLAIM', KEYS[1], ARGV[6], ARGV[5], 0, f[4], 'JUSTID')
            return {1}
            """);

    /**
     * ARGV: group, now, then per lease: id, token, action (C complete, P retry, D bury, K skip), due (retry) or empty,
     * error or empty flag ({@code =error} sets it, empty keeps it). Settles each lease that still holds; returns one
     * 1 or 0 per lease.
     */
    static final Script SETTLE = new Script(
            PRELUDE
                    + """
            local now = tonumber(ARGV[2])
            local out = {}
            for i = 3, #ARGV, 5 do
              local id, action = ARGV[i], ARGV[i + 2]
              local h = dk(id)
              local f = redis.call('HMGET', h, 'st', 'tk', 'nx', 'sid', 'rc', 'ok', 'om', 'sq')
              if f[1] ~= 'F' or f[2] ~= ARGV[i + 1] or tonumber(f[3]) <= now then
                out[#out + 1] = 0
              else
                redis.call('XACK', KEYS[1], ARGV[1], f[4])
                redis.call('ZREM', base .. 't', id)
                redis.call('ZREM', base .. 'r', id)
                redis.call('ZREM', base .. 'S:F', id)
                redis.call('HDEL', h, 'tk')
                redis.call('HSET', h, 'st', action, 'up', ARGV[2])
                if ARGV[i + 4] ~= '' then redis.call('HSET', h, 'er', string.sub(ARGV[i + 4], 2)) end
                redis.call('ZADD', base .. 'S:' .. action, f[5], id)
                if action == 'C' or action == 'K' then
                  redis.call('ZADD', base .. 'z', ARGV[2], id)
                  if f[7] ~= 'N' then
                    redis.call('ZREM', base .. 'o:' .. f[6], id)
                    if action == 'C' then redis.call('ZADD', base .. 'c:' .. f[6], f[8], id) end
                  end
                elseif action == 'P' then
                  redis.call('HSET', h, 'nx', ARGV[i + 3])
                  if tonumber(ARGV[i + 3]) <= now then
                    redis.call('ZADD', base .. 'r', f[5], id)
                  else
                    redis.call('ZADD', base .. 't', ARGV[i + 3], id)
                  end
                elseif action == 'D' then
                  local e = redis.call('XRANGE', KEYS[1], f[4], f[4])
                  local nid = redis.call('XADD', base .. 'x', '*', 'e', e[1][2][2])
                  redis.call('XDEL', KEYS[1], f[4])
                  redis.call('HSET', h, 'sid', nid, 'loc', 'x')
                end
                out[#out + 1] = 1
              end
            end
            return out
            """);

    private static final String REPLAY_ONE =
            """
            local function replay(id, now)
              local h = dk(id)
              local f = redis.call('HMGET', h, 'st', 'rc', 'ok', 'om', 'sq', 'loc', 'sid')
              if not f[1] or f[1] == 'P' or f[1] == 'F' then return 0 end
              if f[6] == 'x' then
                local e = redis.call('XRANGE', base .. 'x', f[7], f[7])
                local nid = redis.call('XADD', KEYS[1], '*', 'e', e[1][2][2])
                redis.call('XDEL', base .. 'x', f[7])
                redis.call('HSET', h, 'sid', nid, 'loc', 's')
              end
              redis.call('ZREM', base .. 'S:' .. f[1], id)
              redis.call('ZADD', base .. 'S:P', f[2], id)
              redis.call('ZREM', base .. 'z', id)
              if f[4] ~= 'N' then
                redis.call('ZREM', base .. 'c:' .. f[3], id)
                redis.call('ZADD', base .. 'o:' .. f[3], f[5], id)
              end
              redis.call('HSET', h, 'st', 'P', 'at', '0', 'nx', now, 'up', now)
              redis.call('ZADD', base .. 'r', f[2], id)
              return 1
            end
            """;

    /** ARGV: id, now. Returns {1} or {0}. */
    static final Script REPLAY =
            new Script(PRELUDE + REPLAY_ONE + """
            return {replay(ARGV[1], ARGV[2])}
            """);

    /**
     * ARGV: now, states (letters among C, D, K), type ({@code =type} or empty), min received, max received (ZRANGEBYSCORE
     * bounds). Returns {count}.
     */
    static final Script REPLAY_MATCHING = new Script(
            PRELUDE + REPLAY_ONE
                    + """
            local n = 0
            for s in string.gmatch(ARGV[2], '.') do
              for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 'S:' .. s, ARGV[4], ARGV[5])) do
                if typematch(id, ARGV[3]) then n = n + replay(id, ARGV[1]) end
              end
            end
            return {n}
            """);

    /** ARGV: states (letters among P, C, D, K), type, min, max. Deletes the matches; returns {count}. */
    static final Script PURGE = new Script(
            PRELUDE
                    + """
            local n = 0
            for s in string.gmatch(ARGV[1], '.') do
              for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 'S:' .. s, ARGV[3], ARGV[4])) do
                if typematch(id, ARGV[2]) then
                  forget(id, redis.call('HMGET', dk(id), 'st', 'rc', 'ok', 'om', 'dk', 'loc', 'sid'))
                  n = n + 1
                end
              end
            end
            return {n}
            """);

    /** ARGV: settled before (exclusive bound, {@code (ms}), batch. Returns {count}. */
    static final Script PURGE_SETTLED = new Script(
            PRELUDE
                    + """
            local ids = redis.call('ZRANGEBYSCORE', base .. 'z', '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            for _, id in ipairs(ids) do
              forget(id, redis.call('HMGET', dk(id), 'st', 'rc', 'ok', 'om', 'dk', 'loc', 'sid'))
            end
            return {#ids}
            """);

    /** ARGV: id. Returns {row} or {}. */
    static final Script GET = new Script(
            PRELUDE
                    + """
            local r = row(ARGV[1])
            if r then return {r} end
            return {}
            """);

    /**
     * ARGV: states (letters, or empty for any), type, max received, min received (ZREVRANGEBYSCORE bounds), limit.
     * Returns up to limit rows per state set, newest first within each (the caller merges).
     */
    static final Script FIND = new Script(
            PRELUDE
                    + """
            local out = {}
            local limit = tonumber(ARGV[5])
            local sets = {}
            if ARGV[1] == '' then sets[1] = base .. 'a' else
              for s in string.gmatch(ARGV[1], '.') do sets[#sets + 1] = base .. 'S:' .. s end
            end
            for _, set in ipairs(sets) do
              local found, offset = 0, 0
              while found < limit do
                local ids = redis.call('ZREVRANGEBYSCORE', set, ARGV[3], ARGV[4], 'WITHSCORES', 'LIMIT', offset, 500)
                if #ids == 0 then break end
                offset = offset + #ids / 2
                for i = 1, #ids, 2 do
                  if found < limit and typematch(ids[i], ARGV[2]) then
                    local r = row(ids[i])
                    if r then
                      r[#r + 1] = ids[i + 1]
                      out[#out + 1] = r
                      found = found + 1
                    end
                  end
                end
              end
            end
            return out
            """);

    /** No ARGV. Returns {pending, in flight, completed, dead, skipped, oldest pending received or false}. */
    static final Script STATS = new Script(
            PRELUDE
                    + """
            local oldest = redis.call('ZRANGE', base .. 'S:P', 0, 0, 'WITHSCORES')
            return {redis.call('ZCARD', base .. 'S:P'), redis.call('ZCARD', base .. 'S:F'),
              redis.call('ZCARD', base .. 'S:C'), redis.call('ZCARD', base .. 'S:D'), redis.call('ZCARD', base .. 'S:K'),
              oldest[2] or false}
            """);

    /** ARGV: ordering key. Returns {sequence} or {}. */
    static final Script COMPLETED_SEQUENCE = new Script(
            PRELUDE
                    + """
            local ids = redis.call('ZRANGE', base .. 'c:' .. ARGV[1], -1, -1)
            if #ids == 0 then return {} end
            return {redis.call('HGET', dk(ids[1]), 'sq')}
            """);

    /** A script's source and the SHA-1 EVALSHA names it by. */
    record Script(String source, String sha) {
        Script(String source) {
            this(source, sha1(source));
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
