import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, Socket, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startServer, type RunningServer } from '../../src-server/server.ts'

/**
 * Test support for the provisioning log: the real reference backend (restartable on the same port
 * and data folder), a real TCP proxy that can drop the network, and the IdPs' real request
 * sequences from SCIM-REFERENCE.md §3 (Okta) and §4 (Entra), sent with fetch and a SCIM token.
 * Used only by tests.
 */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

// Tests poke at arbitrary SCIM and admin JSON; one loose type keeps that in one place.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any

export interface Backend {
  server: RunningServer
  dataDir: string
  adminKey: string
  demoToken: string
  port: number
  /** Kills the server (connections cut) and starts it again on the same port and folder. */
  stop(): Promise<void>
  restart(): Promise<void>
  dispose(): Promise<void>
  scim: ScimCaller
  admin(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<{ status: number; body: LooseJson }>
}

export type ScimCaller = (
  path: string,
  init?: { method?: string; body?: unknown; token?: string; authorization?: string },
) => Promise<{ status: number; body: LooseJson }>

export function secret(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`
}

export async function startBackend(
  options: { rateLimit?: number; heartbeatMs?: number; retention?: number } = {},
): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-log-'))
  const adminKey = secret('scimc_admin')
  const demoToken = secret('scimc_scim')
  const start = (port: number): Promise<RunningServer> =>
    startServer({
      port,
      host: '127.0.0.1',
      dataDir,
      adminKey,
      demoToken,
      heartbeatMs: options.heartbeatMs ?? 200,
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.retention ? { retention: options.retention } : {}),
    })
  let server = await start(0)
  const port = Number(new URL(server.url).port)
  let running = true
  const backend: Backend = {
    get server() {
      return server
    },
    dataDir,
    adminKey,
    demoToken,
    port,
    async stop() {
      if (running) await server.close()
      running = false
    },
    async restart() {
      if (running) await server.close()
      server = await start(port)
      running = true
    },
    async dispose() {
      if (running) await server.close()
      running = false
      rmSync(dataDir, { recursive: true, force: true })
    },
    scim: (path, init = {}) => scimCall(server.scimBaseUrl, init.token ?? demoToken, path, init),
    async admin(path, init = {}) {
      const res = await fetch(`${server.adminBaseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : null }
    },
  } as Backend
  return backend
}

export async function scimCall(
  base: string,
  token: string,
  path: string,
  init: { method?: string; body?: unknown; authorization?: string } = {},
): Promise<{ status: number; body: LooseJson }> {
  // The headers Okta sends (SCIM-REFERENCE.md §3.1).
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: init.authorization ?? `Bearer ${token}`,
      accept: 'application/scim+json',
      'content-type': 'application/scim+json; charset=utf-8',
      'user-agent': 'Okta SCIM Client 1.0.0',
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  const text = await res.text()
  let body: LooseJson = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    body = text
  }
  return { status: res.status, body }
}

export interface BackendProcess {
  adminBaseUrl: string
  scimBaseUrl: string
  tenantId: string
  adminKey: string
  demoToken: string
  /** SIGKILL: no graceful close, connections reset, the store left as a crash leaves it. */
  kill(): Promise<void>
  /** Starts the backend again on the same port and data folder. */
  restart(): Promise<void>
  dispose(): Promise<void>
  scim: ScimCaller
}

const CLI = resolve(import.meta.dirname, '../../bin/scim-console.mjs')

/** The reference backend as its own process (`scim-console backend serve`), so it can be killed. */
export async function startBackendProcess(): Promise<BackendProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-log-proc-'))
  const adminKey = secret('scimc_admin')
  const demoToken = secret('scimc_scim')
  let child: ChildProcess | null = null
  const launch = (port: number): Promise<string> =>
    new Promise((resolveStart, reject) => {
      const c = spawn(
        process.execPath,
        [
          CLI,
          'backend',
          'serve',
          '--port',
          String(port),
          '--data',
          dataDir,
          '--admin-key',
          adminKey,
          '--demo-token',
          demoToken,
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      child = c
      let out = ''
      let err = ''
      c.stdout!.on('data', (d) => {
        out += String(d)
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) resolveStart(m[1]!)
      })
      c.stderr!.on('data', (d) => (err += String(d)))
      c.on('exit', (code) =>
        reject(new Error(`backend exited (${code}) before it listened: ${err}`)),
      )
    })
  const origin = await launch(0)
  const port = Number(new URL(origin).port)
  const tenantId = (
    (await (
      await fetch(`${origin}/admin/v1/tenants`, {
        headers: { authorization: `Bearer ${adminKey}` },
      })
    ).json()) as { tenants: Array<{ id: string }> }
  ).tenants[0]!.id
  const kill = async (): Promise<void> => {
    const c = child as ChildProcess | null
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    await new Promise<void>((r) => {
      c.once('exit', () => r())
      c.kill('SIGKILL')
    })
  }
  return {
    adminBaseUrl: `${origin}/admin/v1`,
    scimBaseUrl: `${origin}/scim/v2`,
    tenantId,
    adminKey,
    demoToken,
    kill,
    async restart() {
      await kill()
      await launch(port)
    },
    async dispose() {
      await kill()
      rmSync(dataDir, { recursive: true, force: true })
    },
    scim: (path, init = {}) => scimCall(`${origin}/scim/v2`, init.token ?? demoToken, path, init),
  }
}

/** A second tenant with its own registered SCIM token. */
export async function createTenant(
  backend: Backend,
  name: string,
): Promise<{ tenantId: string; token: string; tokenId: string }> {
  const t = await backend.admin('/tenants', { method: 'POST', body: { name } })
  const token = secret('scimc_scim')
  const sha256 = createHash('sha256').update(token).digest('hex')
  const reg = await backend.admin(`/tenants/${t.body.id}/scim/tokens`, {
    method: 'POST',
    body: { label: 'okta', sha256 },
  })
  return { tenantId: t.body.id, token, tokenId: reg.body.id }
}

// ---- Okta's real sequences (SCIM-REFERENCE.md §3) ----

export function oktaUser(
  userName: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const [given = 'Test', family = 'User'] = userName.split('@')[0]!.split('.')
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${given} ${family}`,
    locale: 'en-US',
    externalId: `00u${randomBytes(8).toString('hex')}`,
    groups: [],
    password: '1mz050nq',
    active: true,
    ...extra,
  }
}

export function oktaLookupPath(userName: string): string {
  return `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`
}

/** §3.3: match first, then create. Returns the created (or matched) id, or undefined. */
export async function oktaAssign(
  scim: ScimCaller,
  userName: string,
  opts: { token?: string; extra?: Record<string, unknown>; authorization?: string } = {},
): Promise<string | undefined> {
  const call = {
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.authorization ? { authorization: opts.authorization } : {}),
  }
  const found = await scim(oktaLookupPath(userName), call)
  if (found.status === 200 && found.body?.totalResults > 0) return found.body.Resources[0].id
  if (found.status >= 400 && found.status !== 404) return undefined
  const created = await scim('/Users', {
    ...call,
    method: 'POST',
    body: oktaUser(userName, opts.extra),
  })
  return created.status === 201 ? created.body.id : undefined
}

/** §3.5: OIN deactivate, a PATCH without path. */
export async function oktaDeactivate(
  scim: ScimCaller,
  id: string,
  token?: string,
): Promise<number> {
  const r = await scim(`/Users/${id}`, {
    method: 'PATCH',
    ...(token ? { token } : {}),
    body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] },
  })
  return r.status
}

/** §3.7: create the group, then add members with the OIN PATCH. */
export async function oktaPushGroup(
  scim: ScimCaller,
  displayName: string,
  members: Array<{ id: string; userName: string }>,
): Promise<string> {
  const created = await scim('/Groups', {
    method: 'POST',
    body: { schemas: [GROUP_SCHEMA], displayName, members: [] },
  })
  const id = created.body.id as string
  await scim(`/Groups/${id}`, {
    method: 'PATCH',
    body: {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'replace', value: { id, displayName } },
        {
          op: 'add',
          path: 'members',
          value: members.map((m) => ({ value: m.id, display: m.userName })),
        },
      ],
    },
  })
  return id
}

// ---- Entra's documented sequence (SCIM-REFERENCE.md §4.2) ----

/** Entra matches on externalId (mapped from mailNickname), unquoted, then creates. */
export async function entraProvision(
  scim: ScimCaller,
  user: { userName: string; externalId: string },
): Promise<{ lookup: number; create: number; id?: string }> {
  const lookup = await scim(
    `/Users?filter=${encodeURIComponent(`externalId eq ${user.externalId}`)}`,
  )
  if (lookup.body?.totalResults > 0)
    return { lookup: lookup.status, create: 0, id: lookup.body.Resources[0].id }
  const created = await scim('/Users', {
    method: 'POST',
    body: {
      schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
      externalId: user.externalId,
      userName: user.userName,
      active: true,
      emails: [{ primary: true, type: 'work', value: user.userName }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    },
  })
  return {
    lookup: lookup.status,
    create: created.status,
    ...(created.status === 201 ? { id: created.body.id } : {}),
  }
}

// ---- a real TCP proxy whose "network" can be cut and restored ----

export interface TcpProxy {
  port: number
  url(path?: string): string
  /** Closes the listener and cuts every open connection: the network is gone. */
  drop(): Promise<void>
  /** Listens again on the same port. */
  restore(): Promise<void>
  /** The network goes silent: connections stay open but no byte passes either way (no RST, no FIN). */
  freeze(): void
  /** Traffic passes again; connections frozen meanwhile are cut, as after a real outage. */
  thaw(): void
  close(): Promise<void>
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let frozen = false
  let server: Server | null = null
  let port = 0
  const listen = async (): Promise<void> => {
    const s = createServer((client) => {
      const upstream = new Socket()
      sockets.add(client)
      sockets.add(upstream)
      const cleanup = (): void => {
        client.destroy()
        upstream.destroy()
        sockets.delete(client)
        sockets.delete(upstream)
      }
      client.on('error', cleanup)
      upstream.on('error', cleanup)
      client.on('close', cleanup)
      upstream.on('close', cleanup)
      if (frozen) {
        client.pause()
        return
      }
      upstream.connect(targetPort, '127.0.0.1', () => {
        client.pipe(upstream)
        upstream.pipe(client)
      })
    })
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => resolve())
    })
    port = (s.address() as { port: number }).port
    server = s
  }
  await listen()
  const drop = async (): Promise<void> => {
    const s = server
    server = null
    for (const sock of sockets) sock.destroy()
    sockets.clear()
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
  }
  return {
    get port() {
      return port
    },
    url: (path = '') => `http://127.0.0.1:${port}${path}`,
    drop,
    restore: listen,
    freeze() {
      frozen = true
      for (const sock of sockets) {
        sock.unpipe()
        sock.pause()
      }
    },
    thaw() {
      frozen = false
      for (const sock of sockets) sock.destroy()
      sockets.clear()
    },
    close: drop,
  }
}

/** Polls until `check` is true; the deadline only turns a hang into a failure message. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  deadlineMs = 20_000,
): Promise<void> {
  const end = Date.now() + deadlineMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
