/** How long an AuthnRequest stays answerable: sign-in at the IdP, MFA included. */
export const REQUEST_TTL_MS = 10 * 60_000
const MAX_PENDING = 10_000

/**
 * The AuthnRequest IDs this SP sent and has not yet seen answered. In memory: a restart forgets
 * them, and the person starts the sign-in again. Each ID is answerable once.
 */
export class PendingRequests {
  private readonly byId = new Map<string, { tenantId: string; at: number }>()

  add(tenantId: string, id: string, now = Date.now()): void {
    if (this.byId.size >= MAX_PENDING) this.sweep(now)
    // Still full: a flood of login redirects must not grow memory; the oldest go first.
    while (this.byId.size >= MAX_PENDING) this.byId.delete(this.byId.keys().next().value!)
    this.byId.set(id, { tenantId, at: now })
  }

  has(tenantId: string, id: string, now = Date.now()): boolean {
    const p = this.byId.get(id)
    return p !== undefined && p.tenantId === tenantId && now - p.at < REQUEST_TTL_MS
  }

  consume(id: string): void {
    this.byId.delete(id)
  }

  private sweep(now: number): void {
    for (const [id, p] of this.byId) if (now - p.at >= REQUEST_TTL_MS) this.byId.delete(id)
  }
}
