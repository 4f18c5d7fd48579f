/** `N/s` (or a bare number) → requests per second; throws a message naming the expected form. */
export function parseRateLimit(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)(?:\s*\/\s*s(?:ec(?:ond)?)?)?\s*$/i.exec(text)
  const n = m ? Number(m[1]) : NaN
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(
      `--rate-limit "${text}" is not a rate. Use requests per second, e.g. --rate-limit 25/s.`,
    )
  }
  return n
}

/**
 * A token bucket per key (tenant): `rate` tokens a second, bursts up to one second's worth.
 * Answers how many whole seconds to wait when empty, because Okta only honours an integer
 * Retry-After (anything else makes it wait five minutes).
 */
export class RateLimiter {
  private readonly rate: number
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(ratePerSecond: number) {
    this.rate = ratePerSecond
  }

  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const capacity = Math.max(1, this.rate)
    let b = this.buckets.get(key)
    if (!b) {
      b = { tokens: capacity, at: now }
      this.buckets.set(key, b)
    }
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * this.rate)
    b.at = now
    if (b.tokens >= 1) {
      b.tokens -= 1
      return { ok: true }
    }
    const waitMs = ((1 - b.tokens) / this.rate) * 1000
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
  }
}
