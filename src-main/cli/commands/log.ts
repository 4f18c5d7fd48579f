import type { ParseArgsOptionsConfig } from 'node:util'
import { AppError } from '../../../src-shared/errors.ts'
import type { Diagnosis } from '../../../src-shared/provisioning-diagnosis.ts'
import {
  eventFilterSchema,
  sourceOf,
  testTrafficSources,
  type ProvisioningEvent,
  type StreamState,
} from '../../../src-shared/provisioning-event.ts'
import { redact, redactString } from '../../../src-shared/redact.ts'
import {
  createConnectionService,
  resolveTarget,
  type ResolvedConnection,
} from '../../connections/connection-service.ts'
import { defaultDataDir } from '../../connections/data-dir.ts'
import { readSettings } from '../../connections/settings-file.ts'
import { exportFormats, type ExportFormat } from '../../provisioning-log/export.ts'
import { ProvisioningLog, type UserStoryResult } from '../../provisioning-log/log-service.ts'
import { flatUserKeys } from '../../provisioning-log/user-keys.ts'
import { openSecretStore } from '../../secrets/open-secret-store.ts'
import { EXIT_FAIL, EXIT_OK, type CliCommand, type CliIo } from '../command.ts'
import { parseOptions } from '../parse-options.ts'
import {
  keepsSource,
  parseSourceOption,
  sourceOptions,
  sourceTag,
  testTrafficNotice,
  type SourceValues,
} from './log-source.ts'

const targetOptions = {
  tenant: { type: 'string' },
  connection: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean', default: false },
  history: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig

/** What `targetOptions` parses to, plus the `--user` every log command takes. */
interface TargetValues {
  tenant?: string
  user?: string
  connection?: string
  backend?: string
  json: boolean
  history?: string
}

function parse<T>(args: string[], options: ParseArgsOptionsConfig, usage: string): T {
  return parseOptions<T>(args, options, usage).values
}

function positiveInt(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 10_000_000) {
    throw new AppError(
      'cli.usage',
      `${flag} "${raw}" is not a whole number between 0 and 10000000.`,
      { hint: `For example ${flag} 1000` },
    )
  }
  return n
}

async function target(
  io: CliIo,
  o: { connection?: string; backend?: string },
): Promise<ResolvedConnection> {
  const dataDir = defaultDataDir(io.env)
  // Only a saved connection needs the settings file and the keychain; --backend needs neither.
  const settings: Partial<Awaited<ReturnType<typeof readSettings>>> =
    o.connection !== undefined ? await readSettings(dataDir) : {}
  return resolveTarget({
    connection: o.connection,
    backend: o.backend,
    env: io.env,
    connections: () =>
      createConnectionService({
        dataDir,
        store: openSecretStore({
          env: io.env,
          ...(settings.secretStore ? { setting: settings.secretStore } : {}),
        }),
      }),
  })
}

function requireTenant(tenant: string | undefined, usage: string): string {
  if (!tenant || tenant.trim() === '') {
    throw new AppError('cli.usage', '--tenant ID is required.', {
      hint: `Usage: scim-console ${usage}. List tenant ids with the admin API (GET /admin/v1/tenants).`,
    })
  }
  return tenant.trim()
}

export function formatEventLine(e: ProvisioningEvent): string {
  const detail = e.error?.detail
    ? `  ${e.error.detail.length > 120 ? `${e.error.detail.slice(0, 119)}…` : e.error.detail}`
    : ''
  const user = e.userName ?? e.resourceId ?? '-'
  const ms = `${Math.round(e.durationMs)}ms`
  return redactString(
    `${e.time}  #${e.seq}  ${sourceTag(e).padEnd(9)} ${e.method.padEnd(6)} ${e.path}  ${e.status}  ${ms}  ${user}  ${e.outcome}${detail}`,
  )
}

function describeState(s: StreamState): string {
  switch (s.state) {
    case 'live':
      return 'live'
    case 'reconnecting':
      return `reconnecting (attempt ${s.attempt}, next at ${s.nextAttemptAt}): ${s.reason}`
    case 'stopped':
      return `stopped${s.reason ? `: ${s.reason}` : ''}`
    default:
      return s.state
  }
}

/**
 * The tenant's stored history (the last `--history` events) without the live stream: what
 * `explain` and `export` read. The caller stops it.
 */
async function openHistory(
  io: CliIo,
  o: { connection?: string; backend?: string; history?: string },
  tenantId: string,
): Promise<ProvisioningLog> {
  const history = positiveInt(o.history, 100_000, '--history')
  const conn = await target(io, o)
  const log = new ProvisioningLog({
    adminBaseUrl: conn.adminBaseUrl,
    adminKey: conn.adminKey,
    tenantId,
    capacity: Math.max(history, 1),
    history,
    stream: { live: false },
    onNotice: (n) => io.stderr.write(`${n.kind}: ${n.message}\n`),
  })
  await log.start()
  return log
}

const tailUsage =
  'log tail --tenant ID [--user NAME] [--source idp,harness,replay,other,unknown | --include-test-traffic] [--json] [--lines N] [--once] [--connection NAME | --backend URL]'
export const logTail: CliCommand = {
  path: ['log', 'tail'],
  usage: tailUsage,
  summary:
    'Print the tenant’s latest provisioning events and follow the live stream (admin key: SCIM_CONSOLE_ADMIN_KEY)',
  async run(args, io) {
    const o = parse<TargetValues & SourceValues & { lines?: string; once: boolean }>(
      args,
      {
        ...targetOptions,
        ...sourceOptions,
        user: { type: 'string' },
        lines: { type: 'string' },
        once: { type: 'boolean', default: false },
      },
      tailUsage,
    )
    const tenantId = requireTenant(o.tenant, tailUsage)
    const sources = parseSourceOption(o, tailUsage)
    const lines = positiveInt(o.lines, 20, '--lines')
    const history = positiveInt(o.history, 10_000, '--history')
    const conn = await target(io, o)
    // The user's identity grows as events name it (a create's answer gives the SCIM id).
    const userKeys = o.user ? new Set([o.user.trim().toLowerCase()]) : undefined
    const matches = (e: ProvisioningEvent): boolean => {
      if (!userKeys) return true
      const keys = flatUserKeys(e)
      if (!keys.some((k) => userKeys.has(k))) return false
      if (e.status < 300 && (e.resourceType === 'User' || e.resourceType === 'Unknown'))
        for (const k of keys) userKeys.add(k)
      return true
    }
    const print = (e: ProvisioningEvent): void => {
      io.stdout.write(
        o.json
          ? `${JSON.stringify(redact({ ...e, source: sourceOf(e) }))}\n`
          : `${formatEventLine(e)}\n`,
      )
    }
    let historyDone = false
    let hiddenInHistory = 0
    const backlog: ProvisioningEvent[] = []
    const log = new ProvisioningLog({
      adminBaseUrl: conn.adminBaseUrl,
      adminKey: conn.adminKey,
      tenantId,
      capacity: Math.max(history, 1),
      history,
      stream: { live: !o.once },
      onEvents: (events) => {
        for (const e of events) {
          // The user's identity is learnt from every event, whoever sent it.
          if (!matches(e)) continue
          if (!keepsSource(sources, e)) {
            if (!historyDone) hiddenInHistory++
            continue
          }
          if (historyDone) print(e)
          else backlog.push(e)
        }
      },
      onState: (s) => {
        if (historyDone) io.stderr.write(`stream: ${describeState(s)}\n`)
      },
      onNotice: (n) => io.stderr.write(`${n.kind}: ${n.message}\n`),
    })
    await log.start()
    for (const e of backlog.slice(-lines)) print(e)
    backlog.length = 0
    historyDone = true
    if (sources.hidesTestTraffic && hiddenInHistory > 0)
      io.stderr.write(testTrafficNotice(hiddenInHistory))
    if (o.once) return EXIT_OK
    io.stderr.write(`stream: ${describeState(log.state)} — Ctrl-C to stop\n`)
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve()
      else io.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await log.stop()
    return EXIT_OK
  },
}

export function formatDiagnosis(d: Diagnosis): string {
  const out: string[] = []
  const label =
    d.verdict === 'healthy' ? 'HEALTHY' : d.verdict === 'problem' ? 'PROBLEM' : 'INCONCLUSIVE'
  out.push(`${label}: ${d.summary}`)
  for (const f of d.findings) {
    out.push('')
    out.push(`${f.resolved ? '(resolved) ' : ''}[${f.cause}] ${f.title}`)
    out.push(`  why: ${f.explanation}`)
    out.push(`  fix: ${f.fix}`)
    for (const e of f.evidence) out.push(`  evidence #${e.seq} ${e.time}  ${e.summary}`)
  }
  if (d.nextChecks.length > 0) {
    out.push('')
    out.push('Check next:')
    for (const c of d.nextChecks) out.push(`  - ${c}`)
  }
  return redactString(out.join('\n'))
}

function formatStory(story: UserStoryResult): string {
  const out: string[] = []
  const c = story.current
  out.push(
    c.kind === 'found'
      ? `Current state: ${c.user.userName} (id ${c.user.id}) ${c.user.active ? 'active' : 'INACTIVE'}${c.user.groups.length ? `, groups: ${c.user.groups.join(', ')}` : ''}`
      : c.kind === 'not_found'
        ? `Current state: no user matching "${story.query}" in the tenant`
        : `Current state: unknown (${c.reason})`,
  )
  out.push(
    `Timeline: ${story.events.length} event${story.events.length === 1 ? '' : 's'} touching this user (of ${story.indexed} loaded)`,
  )
  for (const e of story.events.slice(-30)) out.push(`  ${formatEventLine(e)}`)
  out.push('')
  out.push(formatDiagnosis(story.diagnosis))
  return redactString(out.join('\n'))
}

const explainUsage =
  'log explain --tenant ID --user NAME [--json] [--history N] [--connection NAME | --backend URL]'
export const logExplain: CliCommand = {
  path: ['log', 'explain'],
  usage: explainUsage,
  summary:
    'Explain why a user is (not) showing up: timeline, current state and diagnosis; exit 1 unless healthy',
  async run(args, io) {
    const o = parse<TargetValues>(
      args,
      { ...targetOptions, user: { type: 'string' } },
      explainUsage,
    )
    const tenantId = requireTenant(o.tenant, explainUsage)
    if (!o.user || o.user.trim() === '') {
      throw new AppError(
        'cli.usage',
        '--user NAME is required (a userName, email, external id or SCIM id).',
        { hint: `Usage: scim-console ${explainUsage}` },
      )
    }
    const log = await openHistory(io, o, tenantId)
    try {
      const story = await log.userStory(o.user)
      io.stdout.write(
        o.json ? `${JSON.stringify(redact(story), null, 2)}\n` : `${formatStory(story)}\n`,
      )
      return story.diagnosis.verdict === 'healthy' ? EXIT_OK : EXIT_FAIL
    } finally {
      await log.stop()
    }
  },
}

const exportUsage =
  'log export --tenant ID --format jsonl|csv|har [--user NAME] [--source idp,harness,replay,other,unknown | --include-test-traffic] [--status-class 4xx[,5xx]] [--method M] [--text T] [--history N] [--connection NAME | --backend URL]'
export const logExport: CliCommand = {
  path: ['log', 'export'],
  usage: exportUsage,
  summary:
    'Write the tenant’s (filtered) provisioning events to stdout as JSON lines, CSV or HAR, redacted',
  async run(args, io) {
    const o = parse<
      TargetValues &
        SourceValues & { format?: string; 'status-class'?: string; method?: string; text?: string }
    >(
      args,
      {
        ...targetOptions,
        ...sourceOptions,
        user: { type: 'string' },
        format: { type: 'string' },
        'status-class': { type: 'string' },
        method: { type: 'string' },
        text: { type: 'string' },
      },
      exportUsage,
    )
    const tenantId = requireTenant(o.tenant, exportUsage)
    const format = o.format as ExportFormat | undefined
    if (!format || !exportFormats.includes(format)) {
      throw new AppError(
        'cli.usage',
        `--format must be one of ${exportFormats.join(', ')}${o.format ? `, not "${o.format}"` : ''}.`,
        {
          hint: `Usage: scim-console ${exportUsage}`,
        },
      )
    }
    const sources = parseSourceOption(o, exportUsage)
    const filter = eventFilterSchema.safeParse({
      ...(o.user ? { user: o.user } : {}),
      ...(o['status-class']
        ? { statusClass: o['status-class'].split(',').map((c) => c.trim()) }
        : {}),
      ...(o.method ? { method: o.method.split(',').map((m) => m.trim().toUpperCase()) } : {}),
      ...(o.text ? { text: o.text } : {}),
      ...(sources.sources ? { source: sources.sources } : {}),
    })
    if (!filter.success) {
      throw new AppError(
        'cli.usage',
        `Bad filter: ${filter.error.issues[0]?.path.join('.')}: ${filter.error.issues[0]?.message}`,
        {
          hint: '--status-class takes 2xx, 3xx, 4xx or 5xx (comma-separated).',
        },
      )
    }
    const log = await openHistory(io, o, tenantId)
    try {
      for await (const chunk of log.export(filter.data, format)) {
        if (!io.stdout.write(chunk)) await new Promise((r) => io.stdout.once('drain', r))
      }
      if (sources.hidesTestTraffic) {
        const hidden = log.query({
          filter: { ...filter.data, source: [...testTrafficSources] },
          limit: 1,
        }).total
        if (hidden > 0) io.stderr.write(testTrafficNotice(hidden))
      }
      return EXIT_OK
    } finally {
      await log.stop()
    }
  },
}

export const logCommands: CliCommand[] = [logTail, logExplain, logExport]
