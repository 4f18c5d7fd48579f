/**
 * totalResults of filtered lists, remembered until the tenant next writes. IdPs page through one
 * filter many times in a row (startIndex 1, 101, 201, ...) and every page needs the same COUNT,
 * which over a broad filter (`ne`, `not`, `co`, dense date ranges) reads a whole index. Each
 * tenant has a write generation, bumped inside the transaction of every user or group write
 * (and on any rollback), and a cached count is used only under the generation it was counted in.
 * Bounded: at most MAX_ENTRIES counts, least recently used dropped first, and keys beyond
 * MAX_KEY characters (very long filters) are not cached at all.
 */

const MAX_ENTRIES = 1_000
const MAX_KEY = 8_192

export class CountCache {
  private readonly generations = new Map<string, number>()
  /** Bumped by `bumpAll`: part of every generation, so one bump outdates every tenant. */
  private epoch = 0
  private readonly counts = new Map<string, { generation: string; n: number | string }>()

  /** A user or group of `tenantId` is being written. */
  bump(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1)
  }

  /** A transaction rolled back (which tenants it touched is unknown): outdates every count. */
  bumpAll(): void {
    this.epoch++
  }

  private generation(tenantId: string): string {
    return `${this.epoch}.${this.generations.get(tenantId) ?? 0}`
  }

  /**
   * The count (or bookmark, resource-query.ts) remembered under `key` (which must include the
   * tenant), if still current.
   */
  peek(tenantId: string, key: string): number | string | undefined {
    const hit = this.counts.get(key)
    if (!hit || hit.generation !== this.generation(tenantId)) return undefined
    // Most recently used last, so the oldest is evicted first.
    this.counts.delete(key)
    this.counts.set(key, hit)
    return hit.n
  }

  /** Remembers a count made under the tenant's current generation. */
  remember(tenantId: string, key: string, n: number | string): void {
    if (key.length + String(n).length > MAX_KEY) return
    this.counts.delete(key)
    if (this.counts.size >= MAX_ENTRIES) {
      this.counts.delete(this.counts.keys().next().value as string)
    }
    this.counts.set(key, { generation: this.generation(tenantId), n })
  }

  get size(): number {
    return this.counts.size
  }
}
