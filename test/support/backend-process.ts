import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** Test support: the reference backend as a real process, and a plain HTTP client for it. */

export const SERVE_ENTRY = fileURLToPath(new URL('./backend-serve-process.ts', import.meta.url))
export const CLI_ENTRY = fileURLToPath(new URL('../../bin/scim-console.mjs', import.meta.url))

export interface BackendProcess {
  child: ChildProcess
  pid: number
  port: number
  scimBaseUrl: string
  adminBaseUrl: string
  demoTenantId: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stderr(): string
}

export interface StartBackendOptions {
  dataDir: string
  port?: number
  adminKey: string
  demoToken?: string
  /** Use bin/scim-console.mjs (the real CLI) instead of the lighter serve entry. */
  cli?: boolean
  /** Another build of the serve entry (bench/crash.mjs bundles it: a 4x faster start). */
  entry?: string
  env?: NodeJS.ProcessEnv
}

/** Starts `backend serve` and resolves once it printed its address line. */
export function startBackendProcess(opts: StartBackendOptions): Promise<BackendProcess> {
  const args = [
    ...(opts.cli ? [CLI_ENTRY, 'backend', 'serve'] : [opts.entry ?? SERVE_ENTRY]),
    '--port',
    String(opts.port ?? 0),
    '--data',
    opts.dataDir,
  ]
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    SCIM_CONSOLE_ADMIN_KEY: opts.adminKey,
    // A test that dies must not leave its backend behind (src-server/launcher/parent-watch.ts).
    SCIM_CONSOLE_EXIT_WITH_PARENT: '1',
    ...(opts.demoToken ? { SCIM_CONSOLE_DEMO_TOKEN: opts.demoToken } : {}),
  }
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin!.on('error', () => {})
  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (c: string) => {
    stderr = (stderr + c).slice(-16_384)
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    void exited.then(({ code, signal }) =>
      reject(new Error(`backend exited (${code ?? signal}) before it was ready: ${stderr}`)),
    )
    // --port 0 prints a JSON address line first; a fixed port prints the human banner.
    lines.once('line', (line) => {
      const banner = /listening on (\S+)$/.exec(line)
      const info = banner
        ? {
            scimBaseUrl: `${banner[1]}/scim/v2`,
            adminBaseUrl: `${banner[1]}/admin/v1`,
            tenantId: '',
          }
        : (JSON.parse(line) as { scimBaseUrl: string; adminBaseUrl: string; tenantId: string })
      child.stdout!.resume()
      resolve({
        child,
        pid: child.pid!,
        port: Number(new URL(info.scimBaseUrl).port),
        scimBaseUrl: info.scimBaseUrl,
        adminBaseUrl: info.adminBaseUrl,
        demoTenantId: info.tenantId,
        exited,
        stderr: () => stderr,
      })
    })
  })
}

export interface HttpReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json(): unknown
}

/**
 * One request on a fresh connection (no keep-alive pool), so a request after a restart never
 * lands on a socket of the killed process. Rejects when the connection fails: the caller then
 * does not know whether the server acted on it.
 */
export function httpRequest(
  url: string,
  opts: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const payload =
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body)
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: false,
        headers: {
          ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
          ...(payload === undefined
            ? {}
            : {
                'Content-Type': 'application/scim+json',
                'Content-Length': String(Buffer.byteLength(payload)),
              }),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          })
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}
