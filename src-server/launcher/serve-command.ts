import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ParseArgsOptionsConfig } from 'node:util'
import { redactString } from '../../src-shared/redact.ts'
import {
  DEFAULT_TENANT_RATE,
  DEFAULT_UNAUTH_RATE,
  describeRate,
  parseRateLimit,
  resolveRate,
  type RateOption,
} from '../rate-limit.ts'
import { parsePublicUrl, startServer } from '../server.ts'
import { EXIT_WITH_PARENT_ENV, watchParent } from './parent-watch.ts'

export interface ServeIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  signal: AbortSignal
}

export const SERVE_USAGE =
  'backend serve [--port 8787] [--host 127.0.0.1] [--data DIR] [--admin-key KEY] [--demo-token TOKEN] [--rate-limit N/s|off] [--unauth-rate-limit N/s|off] [--retention N] [--public-url URL]'

/**
 * The options of `backend serve`. The console's CLI parses them with its one option parser
 * (src-main/cli/parse-options.ts) and passes the values in; this side checks what they mean.
 */
export const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  'admin-key': { type: 'string' },
  'demo-token': { type: 'string' },
  'rate-limit': { type: 'string' },
  'unauth-rate-limit': { type: 'string' },
  retention: { type: 'string' },
  'public-url': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig

export type ServeFlags = { [K in keyof typeof SERVE_OPTIONS]?: string }

export class UsageError extends Error {}

function intOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} "${value}" must be a whole number from ${min} to ${max}.`)
  }
  return n
}

/**
 * `scim-console backend serve`: runs the reference backend until Ctrl-C / SIGTERM.
 * Returns the exit code. With --port 0 the first stdout line is a JSON object with the URLs, so a
 * parent process (tests, the console's launcher) can read where it listens.
 */
export async function runBackendServe(values: ServeFlags, io: ServeIo): Promise<number> {
  const port = intOption(values.port, 'port', 0, 65535) ?? 8787
  const retention = intOption(values.retention, 'retention', 1, 100_000_000)
  const rateOption = (name: 'rate-limit' | 'unauth-rate-limit'): RateOption => {
    const text = values[name]
    if (text === undefined) return undefined
    try {
      return parseRateLimit(text, `--${name}`) ?? 'off'
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
  }
  const rateLimit = rateOption('rate-limit')
  const unauthRateLimit = rateOption('unauth-rate-limit')
  let publicUrl: string | undefined
  if (values['public-url'] !== undefined) {
    try {
      publicUrl = parsePublicUrl(values['public-url'])
    } catch (err) {
      throw new UsageError(`--public-url: ${(err as Error).message}`)
    }
  }
  const adminKey = values['admin-key'] ?? (io.env.SCIM_CONSOLE_ADMIN_KEY || undefined)
  const demoToken = values['demo-token'] ?? (io.env.SCIM_CONSOLE_DEMO_TOKEN || undefined)
  for (const [name, v] of [
    ['admin-key', adminKey],
    ['demo-token', demoToken],
  ] as const) {
    if (v !== undefined && !/^[\x21-\x7e]{16,}$/.test(v)) {
      throw new UsageError(`--${name} must be at least 16 printable characters without spaces.`)
    }
  }
  const temporary = values.data === undefined
  const dataDir = temporary
    ? mkdtempSync(join(tmpdir(), 'scim-console-backend-'))
    : resolve(values.data!)

  const server = await startServer({
    port,
    host: values.host ?? '127.0.0.1',
    dataDir,
    adminKey,
    demoToken,
    rateLimit,
    unauthRateLimit,
    retention,
    publicUrl,
    log: (entry) =>
      io.stderr.write(
        redactString(JSON.stringify({ time: new Date().toISOString(), ...entry })) + '\n',
      ),
  })

  const out = (line: string) => io.stdout.write(`${line}\n`)
  if (port === 0) {
    out(
      JSON.stringify({
        scimBaseUrl: server.scimBaseUrl,
        adminBaseUrl: server.adminBaseUrl,
        tenantId: server.demoTenantId,
      }),
    )
  }
  out(`scim-console reference backend listening on ${server.url}`)
  if (publicUrl) out(`  Public URL:      ${server.publicUrl}  (behind a proxy: URLs below use it)`)
  out(`  SCIM base URL:   ${server.scimBaseUrl}`)
  out(`  Admin API URL:   ${server.adminBaseUrl}`)
  out(`  Demo tenant id:  ${server.demoTenantId}`)
  out(
    `  Data folder:     ${dataDir}${temporary ? '  (temporary: no --data given, deleted on exit)' : ''}`,
  )
  out(`  Rate limit:      ${describeRate(resolveRate(rateLimit, DEFAULT_TENANT_RATE), 'tenant')}`)
  out(
    `  Without a token: ${describeRate(resolveRate(unauthRateLimit, DEFAULT_UNAUTH_RATE), 'client address')}`,
  )
  if (server.generated.adminKey || server.generated.demoToken) {
    out('')
    out('New store: these secrets are shown ONCE and stored only as SHA-256 hashes. Keep them now.')
    if (server.generated.adminKey) out(`  Admin API key:    ${server.generated.adminKey}`)
    if (server.generated.demoToken) out(`  Demo SCIM token:  ${server.generated.demoToken}`)
  }
  out('Press Ctrl-C to stop.')

  await new Promise<void>((resolveStop) => {
    if (io.signal.aborted) return resolveStop()
    const stop = (): void => {
      process.off('SIGTERM', stop)
      io.signal.removeEventListener('abort', stop)
      unwatch()
      resolveStop()
    }
    // Started by the console (launchBackendProcess): stop with it, even when it was killed.
    const unwatch =
      io.env[EXIT_WITH_PARENT_ENV] === '1'
        ? watchParent(stop, { stdin: process.stdin, pollPpid: true })
        : () => {}
    io.signal.addEventListener('abort', stop)
    process.on('SIGTERM', stop)
  })
  await server.close()
  if (temporary) rmSync(dataDir, { recursive: true, force: true })
  return 0
}
