import { request } from 'node:http'
import type { ClientRequest } from 'node:http'

/** A provisioning event as the stream delivers it (only the fields the checks compare). */
export interface StreamedEvent {
  seq: number
  tenantId: string | null
  method: string
  status: number
  outcome: string
  resourceId: string | null
  userName: string | null
  source: string
  responseBody: unknown
}

/**
 * Test support: follows one tenant's event stream like `log tail` does. It keeps every event it
 * received, in order, and resumes with Last-Event-ID after each `connect`, so a test can check
 * the stream delivered each stored event exactly once across backend restarts.
 */
export class EventFollower {
  readonly received: StreamedEvent[] = []
  private req: ClientRequest | undefined
  private readonly tenantId: string
  private readonly adminKey: string
  private readonly query: string
  private waiters: { seq: number; resolve: () => void }[] = []

  /** `query`: the stream's own filters, such as `{ source: 'idp' }`. */
  constructor(tenantId: string, adminKey: string, query: Record<string, string> = {}) {
    this.tenantId = tenantId
    this.adminKey = adminKey
    const search = new URLSearchParams(query).toString()
    this.query = search === '' ? '' : `?${search}`
  }

  get lastSeq(): number {
    return this.received.at(-1)?.seq ?? 0
  }

  /** (Re)connects to the backend at `adminBaseUrl`; resolves once the stream is open. */
  connect(adminBaseUrl: string): Promise<void> {
    this.disconnect()
    return new Promise((resolve, reject) => {
      const req = request(
        `${adminBaseUrl}/tenants/${this.tenantId}/events/stream${this.query}`,
        {
          agent: false,
          headers: {
            Authorization: `Bearer ${this.adminKey}`,
            Accept: 'text/event-stream',
            'Last-Event-ID': String(this.lastSeq),
          },
        },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`event stream answered ${res.statusCode}`))
            res.resume()
            return
          }
          res.setEncoding('utf8')
          let buffer = ''
          res.on('data', (chunk: string) => {
            buffer += chunk
            let cut: number
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              this.frame(buffer.slice(0, cut))
              buffer = buffer.slice(cut + 2)
            }
          })
          res.on('error', () => {})
          resolve()
        },
      )
      req.on('error', () => {})
      req.on('error', reject)
      req.end()
      this.req = req
    })
  }

  disconnect(): void {
    this.req?.destroy()
    this.req = undefined
  }

  /** Resolves once an event with at least this seq arrived. */
  waitFor(seq: number): Promise<void> {
    if (this.lastSeq >= seq) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ seq, resolve }))
  }

  private frame(text: string): void {
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n')
    if (data === '') return
    const e = JSON.parse(data) as StreamedEvent
    this.received.push({
      seq: e.seq,
      tenantId: e.tenantId,
      method: e.method,
      status: e.status,
      outcome: e.outcome,
      resourceId: e.resourceId,
      userName: e.userName,
      source: e.source,
      responseBody: e.responseBody,
    })
    const due = this.waiters.filter((w) => w.seq <= e.seq)
    this.waiters = this.waiters.filter((w) => w.seq > e.seq)
    for (const w of due) w.resolve()
  }
}
