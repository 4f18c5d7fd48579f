import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../../src-server/server.ts'
import type { RunningServer, ServerOptions } from '../../src-server/server.ts'

/** Test support: a real server on 127.0.0.1 port 0 with a fresh temporary data folder. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef'
export const TEST_TOKEN = 'test-scim-token-0123456789abcdef'

export interface TestServer {
  server: RunningServer
  dataDir: string
  scim(path: string, init?: ScimInit): Promise<ScimReply>
  admin(path: string, init?: ScimInit): Promise<ScimReply>
  stop(keepData?: boolean): Promise<void>
}

export interface ScimInit {
  method?: string
  body?: unknown
  token?: string | null
  headers?: Record<string, string>
  /** Send `body` as is (a string) instead of JSON-encoding it. */
  raw?: boolean
}

export interface ScimReply {
  status: number
  headers: Headers
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON
  text: string
}

async function call(
  base: string,
  path: string,
  init: ScimInit,
  defaultToken: string,
): Promise<ScimReply> {
  const headers: Record<string, string> = { ...init.headers }
  const token = init.token === undefined ? defaultToken : init.token
  if (token !== null && headers.Authorization === undefined)
    headers.Authorization = `Bearer ${token}`
  let body: string | undefined
  if (init.body !== undefined) {
    body = init.raw ? String(init.body) : JSON.stringify(init.body)
    if (!('Content-Type' in headers)) headers['Content-Type'] = 'application/scim+json'
  }
  const res = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, body })
  const text = await res.text()
  let parsed: unknown = undefined
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, body: parsed, text }
}

export async function startTestServer(
  opts: Partial<ServerOptions> & { dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'scim-backend-test-'))
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    adminKey: TEST_ADMIN_KEY,
    demoToken: TEST_TOKEN,
    ...opts,
    dataDir,
  })
  return {
    server,
    dataDir,
    scim: (path, init = {}) => call(server.scimBaseUrl, path, init, TEST_TOKEN),
    admin: (path, init = {}) =>
      call(
        server.adminBaseUrl,
        path,
        { ...init, headers: { 'Content-Type': 'application/json', ...init.headers } },
        TEST_ADMIN_KEY,
      ),
    async stop(keepData = false) {
      await server.close()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
