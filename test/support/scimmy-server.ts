import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express from 'express'
import SCIMMY from 'scimmy'
import SCIMMYRouters from 'scimmy-routers'

/**
 * A SCIM server built the way a SaaS team would build one from the npm registry: scimmy for the
 * protocol, scimmy-routers for the endpoints, an in-memory store behind the handlers. The harness
 * runs its `okta` profile against it to prove it raises no false failures on a third-party
 * implementation; what it does find there are scimmy's real deviations (see the tests).
 */

type Rec = Record<string, unknown> & { id: string }

interface Store {
  users: Map<string, Rec>
  groups: Map<string, Rec>
}

export interface ScimmyServer {
  baseUrl: string
  token: string
  store: Store
  close(): Promise<void>
}

let declared = false

function storeOf(ctx: unknown): Store {
  return (ctx as { store: Store }).store
}

function stamp(rec: Rec, resourceType: string, created?: unknown): Rec {
  const now = new Date().toISOString()
  return { ...rec, meta: { resourceType, created: created ?? now, lastModified: now } }
}

// SCIMMY keeps its resource declarations in module-level singletons, so the handlers are declared
// once per process and find the right server's store through the per-request context.
function declareOnce(): void {
  if (declared) return
  declared = true
  type Res = { id?: string; filter?: { match(v: unknown[]): unknown[] } }
  // scimmy's handler types are generic over its schema classes; this server stores plain JSON.
  interface Declared {
    egress(handler: (res: Res, ctx: unknown) => unknown): Declared
    ingress(handler: (res: Res, data: unknown, ctx: unknown) => unknown): Declared
    degress(handler: (res: Res, ctx: unknown) => unknown): Declared
  }
  const declare = (type: unknown): Declared =>
    SCIMMY.Resources.declare(type as never) as unknown as Declared
  const list = (map: Map<string, Rec>, res: Res): Rec | Rec[] => {
    if (res.id) {
      const found = map.get(res.id)
      if (!found) throw new SCIMMY.Types.Error(404, null as never, `Resource ${res.id} not found`)
      return found
    }
    const all = [...map.values()]
    return res.filter ? (res.filter.match(all) as Rec[]) : all
  }
  declare(SCIMMY.Resources.User)
    .egress((res: Res, ctx: unknown) => list(storeOf(ctx).users, res))
    .ingress((res: Res, data: unknown, ctx: unknown) => {
      const users = storeOf(ctx).users
      const body = JSON.parse(JSON.stringify(data)) as Record<string, unknown>
      const userName = String(body.userName ?? '')
      for (const u of users.values()) {
        if (u.id !== res.id && String(u.userName).toLowerCase() === userName.toLowerCase()) {
          throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${userName} is already taken`)
        }
      }
      if (res.id) {
        const prior = users.get(res.id)
        if (!prior) throw new SCIMMY.Types.Error(404, null as never, `Resource ${res.id} not found`)
        const next = stamp(
          { ...body, id: res.id },
          'User',
          (prior.meta as { created?: unknown })?.created,
        )
        users.set(res.id, next)
        return next
      }
      const rec = stamp({ ...body, id: randomUUID() }, 'User')
      users.set(rec.id, rec)
      return rec
    })
    .degress((res: Res, ctx: unknown) => {
      if (!res.id || !storeOf(ctx).users.delete(res.id)) {
        throw new SCIMMY.Types.Error(404, null as never, `Resource ${res.id} not found`)
      }
    })
  declare(SCIMMY.Resources.Group)
    .egress((res: Res, ctx: unknown) => list(storeOf(ctx).groups, res))
    .ingress((res: Res, data: unknown, ctx: unknown) => {
      const groups = storeOf(ctx).groups
      const body = JSON.parse(JSON.stringify(data)) as Record<string, unknown>
      if (res.id) {
        const prior = groups.get(res.id)
        if (!prior) throw new SCIMMY.Types.Error(404, null as never, `Resource ${res.id} not found`)
        const next = stamp(
          { ...body, id: res.id },
          'Group',
          (prior.meta as { created?: unknown })?.created,
        )
        groups.set(res.id, next)
        return next
      }
      const rec = stamp({ ...body, id: randomUUID() }, 'Group')
      groups.set(rec.id, rec)
      return rec
    })
    .degress((res: Res, ctx: unknown) => {
      if (!res.id || !storeOf(ctx).groups.delete(res.id)) {
        throw new SCIMMY.Types.Error(404, null as never, `Resource ${res.id} not found`)
      }
    })
}

export async function startScimmyServer(
  opts: {
    token?: string
    /**
     * scimmy-routers casts startIndex/count by assigning to `req.query`, which Express 5
     * recomputes on every access, so paging is silently ignored. This pins `req.query` to a
     * plain object first, as an application on Express 5 would have to.
     */
    pinExpress5Query?: boolean
  } = {},
): Promise<ScimmyServer> {
  declareOnce()
  const token = opts.token ?? `scimmy-test-${randomUUID()}`
  const store: Store = { users: new Map(), groups: new Map() }
  const app = express()
  if (opts.pinExpress5Query) {
    app.use((req, _res, next) => {
      Object.defineProperty(req, 'query', {
        value: { ...req.query },
        writable: true,
        configurable: true,
      })
      next()
    })
  }
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req: express.Request) => {
        if (req.header('Authorization') !== `Bearer ${token}`)
          throw new Error('Invalid bearer token')
        return 'harness'
      },
      context: () => ({ store }),
    }) as unknown as express.Router,
  )
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    token,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
