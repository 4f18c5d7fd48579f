import type { IncomingMessage, ServerResponse } from 'node:http'
import ipaddr from 'ipaddr.js'
import { ScimError } from './scim/scim-error.ts'
import { sha256Hex } from './store/hash.ts'

/** A token-bucket setting: `rate` requests a second, bursts up to `burst`. */
export interface RateSetting {
  rate: number
  burst: number
}

/**
 * Per tenant, on by default. Okta and Entra send far less than this (they pace provisioning to a
 * few requests a second per app, in bursts of tens); the conformance harness sends ~110 requests
 * in a tenth of a second, three profiles in a row, and must not be throttled by default.
 */
export const DEFAULT_TENANT_RATE: RateSetting = { rate: 100, burst: 1000 }

/**
 * Per client address, for requests WITHOUT a valid token: enough for a person fixing a
 * mis-pasted token, or the harness's authentication checks, and little for a flood.
 */
export const DEFAULT_UNAUTH_RATE: RateSetting = { rate: 10, burst: 50 }

/**
 * `N/s` (or a bare number) → requests per second; `off` → undefined (no limit). A plain rate
 * bursts up to one second's worth. Throws a message naming the option and the expected form.
 */
export function parseRateLimit(text: string, option = '--rate-limit'): RateSetting | undefined {
  const trimmed = text.trim()
  if (/^off$/i.test(trimmed)) return undefined
  const m = /^(\d{1,9}(?:\.\d{1,6})?)(?:\s*\/\s*s(?:ec(?:ond)?)?)?$/i.exec(trimmed)
  const n = m ? Number(m[1]) : NaN
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(
      `${option} "${text}" is not a rate. Use requests per second, e.g. ${option} 25/s, or ${option} off.`,
    )
  }
  return { rate: n, burst: Math.max(1, n) }
}

/** What `startServer` accepts: a setting, a bare rate (burst = one second's worth), or `off`. */
export type RateOption = RateSetting | number | 'off' | undefined

export function resolveRate(option: RateOption, fallback: RateSetting): RateSetting | undefined {
  if (option === 'off') return undefined
  if (option === undefined) return fallback
  if (typeof option === 'number') return { rate: option, burst: Math.max(1, option) }
  return option
}

/** How a rate reads in the serve banner and the docs. */
export function describeRate(setting: RateSetting | undefined, per: string): string {
  return setting ? `${setting.rate} requests/s per ${per} (bursts of ${setting.burst})` : 'off'
}

const MAX_KEYS = 10_000

/**
 * A token bucket per key (tenant, or client address). Answers how many whole seconds to wait
 * when empty, because Okta only honours an integer Retry-After (anything else makes it wait five
 * minutes). The key map is bounded: full buckets are dropped when it grows, so a flood from many
 * addresses cannot grow memory without end.
 */
export class RateLimiter {
  readonly rate: number
  readonly burst: number
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(setting: RateSetting | number) {
    const s = typeof setting === 'number' ? { rate: setting, burst: Math.max(1, setting) } : setting
    this.rate = s.rate
    this.burst = Math.max(1, s.burst)
  }

  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    let b = this.buckets.get(key)
    if (!b) {
      if (this.buckets.size >= MAX_KEYS) this.sweep(now)
      b = { tokens: this.burst, at: now }
      this.buckets.set(key, b)
    }
    b.tokens = Math.min(this.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.rate)
    b.at = now
    if (b.tokens >= 1) {
      b.tokens -= 1
      return { ok: true }
    }
    const waitMs = ((1 - b.tokens) / this.rate) * 1000
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
  }

  /** Keys currently tracked (for tests of the bound). */
  get size(): number {
    return this.buckets.size
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.rate >= this.burst) this.buckets.delete(key)
    }
    // Everyone is mid-burst: forget the oldest half rather than grow.
    if (this.buckets.size >= MAX_KEYS) {
      let drop = Math.floor(this.buckets.size / 2)
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break
        this.buckets.delete(key)
      }
    }
  }
}

/**
 * The bucket key for a client address: IPv4 as is, IPv6 by its /64 (one host usually holds a
 * whole /64, so per-address keys would be free to rotate). The socket address is used, never
 * X-Forwarded-For, which any client can write.
 */
export function clientKey(remoteAddress: string | undefined): string {
  if (!remoteAddress || !ipaddr.isValid(remoteAddress)) return 'unknown'
  const addr = ipaddr.process(remoteAddress)
  if (addr.kind() === 'ipv4') return addr.toString()
  return `${(addr as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(':')}::/64`
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined
}

const bearerHashes = new WeakMap<IncomingMessage, string | null>()
/**
 * The last tokens' hashes: an IdP sends its one token on every request, and SHA-256 was ~2% of a
 * request's CPU. Bounded (cleared when full), so random tokens cannot grow it; only in memory,
 * where the same token sits in every request's headers anyway.
 */
const tokenHashes = new Map<string, string>()

function hashToken(token: string): string {
  let hash = tokenHashes.get(token)
  if (hash === undefined) {
    hash = sha256Hex(token)
    if (tokenHashes.size >= 64) tokenHashes.clear()
    tokenHashes.set(token, hash)
  }
  return hash
}

/**
 * SHA-256 (hex) of the request's bearer token, undefined without one. Computed once per request:
 * the address limit below and the SCIM handler both need it.
 */
export function bearerTokenHash(req: IncomingMessage): string | undefined {
  let hash = bearerHashes.get(req)
  if (hash === undefined) {
    const token = bearerToken(req)
    hash = token === undefined ? null : hashToken(token)
    bearerHashes.set(req, hash)
  }
  return hash ?? undefined
}

type ScimHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  origin: string,
) => Promise<void>

/**
 * Puts the per-address limit in front of the SCIM handler for requests without a valid token
 * (no header, a malformed one, an unknown or revoked token). Over the limit they get a cheap 429
 * before any parsing, lookup of the path or event recording, so a flood of 401s from one address
 * costs the server next to nothing and leaves every tenant's own traffic alone. Requests with a
 * valid token go straight through: the per-tenant limit inside the handler applies to them.
 */
export function limitUnauthenticated(
  handler: ScimHandler,
  limiter: RateLimiter | undefined,
  isValidTokenHash: (sha256: string) => boolean,
): ScimHandler {
  if (!limiter) return handler
  return async (req, res, url, origin) => {
    const hash = bearerTokenHash(req)
    const valid = hash !== undefined && isValidTokenHash(hash)
    if (!valid) {
      const verdict = limiter.take(clientKey(req.socket.remoteAddress))
      if (!verdict.ok) {
        req.resume()
        const body = JSON.stringify(
          new ScimError(
            429,
            `Too many requests without a valid SCIM token from this address. Retry after ${verdict.retryAfterSeconds} s, with Authorization: Bearer <the tenant's SCIM token>.`,
          ).toBody(),
        )
        res.writeHead(429, {
          'Content-Type': 'application/scim+json; charset=utf-8',
          'Content-Length': String(Buffer.byteLength(body)),
          'Retry-After': String(verdict.retryAfterSeconds),
        })
        res.end(req.method === 'HEAD' ? undefined : body)
        return
      }
    }
    return handler(req, res, url, origin)
  }
}
