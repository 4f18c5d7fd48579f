import type { ResourceRef } from '../../src-shared/harness.ts'
import { get } from './check.ts'
import type { HttpCapture, ScimResponse } from './http-capture.ts'
import type { Profile, UserSeed } from './profiles.ts'

/**
 * What this run wrote: every resource it created (or may have created) and the identity it last
 * gave it. It is the run's ground truth (lists, filters and pages are judged against it) and
 * the only list cleanup ever deletes from.
 */
export interface LedgerEntry extends ResourceRef {
  /** The name the server answered with (confirms the run prefix before cleanup deletes it). */
  serverName?: string
  email?: string
  externalId?: string
}

export interface Created {
  res: ScimResponse
  id: string | undefined
}

export class ResourceLedger {
  private readonly entries = new Set<LedgerEntry>()
  /**
   * How many entries hold each type + name: a by-name lookup of a name nobody holds (every
   * create's fresh seed) answers at once instead of walking every entry. Names change only
   * through this class (add, track, update, delete), which keeps the counts.
   */
  private readonly names = new Map<string, number>()
  private seq = 0

  readonly runPrefix: string
  private readonly http: HttpCapture
  private readonly profile: Profile

  constructor(runPrefix: string, http: HttpCapture, profile: Profile) {
    this.runPrefix = runPrefix
    this.http = http
    this.profile = profile
  }

  /** A fresh, run-prefixed user seed; `tag` keeps names readable. */
  userSeed(tag: string): UserSeed {
    const n = ++this.seq
    const local = `${this.runPrefix}${tag}-${n}`
    return {
      userName: `${local}@scimc.example.com`,
      givenName: 'Scimc',
      familyName: `Test${tag.replace(/[^a-z0-9]/gi, '')}${n}`,
      email: `${local}@scimc.example.com`,
      externalId: `${this.runPrefix}ext-${n}`,
    }
  }

  groupName(tag: string): string {
    return `${this.runPrefix}${tag}-${++this.seq}`
  }

  nextExternalId(tag = 'gext'): string {
    return `${this.runPrefix}${tag}-${++this.seq}`
  }

  /** Live (not deleted) resources of a type this run holds. */
  live(type: ResourceRef['type']): LedgerEntry[] {
    return [...this.entries].filter((e) => e.type === type)
  }

  all(): LedgerEntry[] {
    return [...this.entries]
  }

  private nameKey(type: string, name: string): string {
    return `${type}\n${name}`
  }

  private countName(e: LedgerEntry, by: 1 | -1): void {
    const key = this.nameKey(e.type, e.name)
    const n = (this.names.get(key) ?? 0) + by
    if (n > 0) this.names.set(key, n)
    else this.names.delete(key)
  }

  private add(entry: LedgerEntry): void {
    this.entries.add(entry)
    this.countName(entry, 1)
  }

  private remove(entry: LedgerEntry): void {
    if (this.entries.delete(entry)) this.countName(entry, -1)
  }

  /** Object.assign on an entry, keeping the name counts. */
  private assign(entry: LedgerEntry, change: Partial<LedgerEntry>): LedgerEntry {
    this.countName(entry, -1)
    Object.assign(entry, change)
    this.countName(entry, 1)
    return entry
  }

  find(ref: Pick<ResourceRef, 'type'> & Partial<ResourceRef>): LedgerEntry | undefined {
    if (ref.id === undefined) {
      if (ref.name === undefined || !this.names.has(this.nameKey(ref.type, ref.name)))
        return undefined
    }
    for (const e of this.entries) {
      if (e.type !== ref.type) continue
      if (ref.id !== undefined && e.id === ref.id) return e
      if (ref.id === undefined && ref.name !== undefined && e.name === ref.name) return e
    }
    return undefined
  }

  track(ref: ResourceRef & Partial<LedgerEntry>): LedgerEntry {
    const existing = this.find(ref)
    if (existing) return this.assign(existing, ref)
    const entry: LedgerEntry = { ...ref }
    this.add(entry)
    return entry
  }

  forget(ref: Pick<ResourceRef, 'type'> & Partial<ResourceRef>): void {
    const e = this.find(ref)
    if (e) this.remove(e)
  }

  /** Records a change the run made (rename, new e-mail or externalId). */
  update(type: ResourceRef['type'], id: string, change: Partial<LedgerEntry>): void {
    const e = this.find({ type, id })
    if (e) this.assign(e, change)
  }

  async createUser(
    seed: UserSeed,
    checkId: string,
    transform?: (b: Record<string, unknown>) => Record<string, unknown>,
    bulk = false,
  ): Promise<Created & { body: Record<string, unknown> }> {
    const base = this.profile.createUser(seed)
    const body = transform ? transform(base) : base
    const entry = this.track({
      type: 'Users',
      name: seed.userName,
      email: seed.email,
      externalId: seed.externalId,
    })
    const res = await this.http.request({ method: 'POST', path: '/Users', body, checkId, bulk })
    return { body, ...this.settle(entry, res, 'userName') }
  }

  async createGroup(displayName: string, checkId: string, bulk = false): Promise<Created> {
    const externalId = this.nextExternalId()
    const entry = this.track({ type: 'Groups', name: displayName, externalId })
    const res = await this.http.request({
      method: 'POST',
      path: '/Groups',
      body: this.profile.createGroup(displayName, externalId),
      checkId,
      bulk,
    })
    return this.settle(entry, res, 'displayName')
  }

  private settle(entry: LedgerEntry, res: ScimResponse, nameAttr: string): Created {
    const id = get(res.json, 'id')
    if (res.status >= 200 && res.status < 300 && typeof id === 'string') {
      entry.id = id
      const name = get(res.json, nameAttr)
      if (typeof name === 'string') entry.serverName = name
    } else if (!res.error && res.status >= 400 && res.status < 500) {
      // Refused: nothing was created.
      this.remove(entry)
    }
    return { res, id: typeof id === 'string' ? id : undefined }
  }
}
