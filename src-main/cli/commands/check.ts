import { AppError } from '../../../src-shared/errors.ts'
import { checkAreas, harnessProfiles } from '../../../src-shared/harness-constants.ts'
import type {
  HarnessProfile,
  HarnessProgressEvent,
  HarnessReport,
} from '../../../src-shared/harness.ts'
import { redactString } from '../../../src-shared/redact.ts'
import { allChecks } from '../../harness/checks/index.ts'
import { DEFAULT_IMPORT_SIZE, runHarness } from '../../harness/runner.ts'
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../command.ts'
import { parseOptions } from '../parse-options.ts'

const USAGE =
  'check --url URL [--token-env NAME | --token-stdin] [--profile okta|entra|rfc] [--read-only] [--report FILE.json] [--junit FILE] [--html FILE] [--har FILE] [--concurrency N] [--timeout SECONDS] [--only ID,ID] [--import-size N] [--fail-on fail|warn]'

function usageError(message: string): AppError {
  return new AppError('cli.usage', message, { hint: `Usage: scim-console ${USAGE}` })
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8').trim()
}

/** The token comes from the environment or stdin, never from argv (visible in `ps`). */
export async function readToken(
  values: { 'token-env'?: string; 'token-stdin'?: boolean },
  io: CliIo,
): Promise<string> {
  if (values['token-env'] && values['token-stdin']) {
    throw usageError('Use either --token-env or --token-stdin, not both.')
  }
  if (values['token-stdin']) {
    const token = await readStdin(io.stdin)
    if (!token) throw usageError('--token-stdin was given but stdin was empty.')
    return token
  }
  const name = values['token-env'] ?? 'SCIM_TOKEN'
  const token = io.env[name]?.trim()
  if (!token) {
    throw usageError(
      `No SCIM token: the environment variable ${name} is not set. Set it (SCIM_TOKEN=... scim-console check ...), name another variable with --token-env, or pipe it with --token-stdin.`,
    )
  }
  return token
}

export function rejectTokenInArgv(args: string[]): void {
  if (args.some((a) => a === '--token' || a.startsWith('--token='))) {
    throw usageError(
      'Refusing --token: a token on the command line is visible to every user in `ps` and lands in shell history. Use SCIM_TOKEN, --token-env NAME or --token-stdin.',
    )
  }
}

export function parseProfile(value: string | undefined): HarnessProfile {
  const p = value ?? 'okta'
  if (!(harnessProfiles as readonly string[]).includes(p)) {
    throw usageError(`Unknown profile "${p}": use one of ${harnessProfiles.join(', ')}.`)
  }
  return p as HarnessProfile
}

function intOption(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n < min || n > max)
    throw usageError(`${flag} must be a number from ${min} to ${max}, not "${value}".`)
  return n
}

const ICON: Record<string, string> = {
  pass: 'ok  ',
  fail: 'FAIL',
  error: 'ERR ',
  warn: 'warn',
  info: 'info',
  skip: 'skip',
}

function progressPrinter(io: CliIo): (e: HarnessProgressEvent) => void {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true
  return (e) => {
    if (e.type === 'check.finished') {
      const line = `[${String(e.done).padStart(2)}/${e.total}] ${ICON[e.result.status]} ${e.result.id}`
      io.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`)
    } else if (e.type === 'cleanup.started' && e.resources > 0) {
      io.stderr.write(
        `${tty ? '\r\x1b[2K' : ''}Cleaning up ${e.resources} resources created by this run…${tty ? '' : '\n'}`,
      )
    } else if (e.type === 'run.finished' && tty) {
      io.stderr.write('\r\x1b[2K')
    }
  }
}

export function formatSummary(report: HarnessReport): string {
  const out: string[] = []
  out.push(
    `SCIM conformance: ${report.baseUrl}  profile ${report.profile}${report.readOnly ? ' (read-only)' : ''}  ${(report.durationMs / 1000).toFixed(1)} s`,
  )
  if (report.error) {
    out.push('', `Could not run: ${report.error.code}: ${report.error.message}`)
    if (report.error.hint) out.push(`hint: ${report.error.hint}`)
    return `${out.join('\n')}\n`
  }
  if (report.stoppedEarly) out.push('', `Stopped early: ${report.stoppedEarly.reason}`)
  out.push('', `${'area'.padEnd(12)} pass fail  err warn info skip`)
  for (const area of checkAreas) {
    const cs = report.checks.filter((c) => c.area === area)
    if (cs.length === 0) continue
    const n = (s: string): string => String(cs.filter((c) => c.status === s).length).padStart(4)
    out.push(
      `${area.padEnd(12)} ${n('pass')} ${n('fail')} ${n('error')} ${n('warn')} ${n('info')} ${n('skip')}`,
    )
  }
  const s = report.summary
  out.push(
    `${'total'.padEnd(12)} ${String(s.pass).padStart(4)} ${String(s.fail).padStart(4)} ${String(s.error).padStart(4)} ${String(s.warn).padStart(4)} ${String(s.info).padStart(4)} ${String(s.skip).padStart(4)}`,
  )
  const findings = report.checks.filter(
    (c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn',
  )
  for (const c of findings) {
    out.push('', `${ICON[c.status]} ${c.id}  ${c.title}`, `     ${c.message}`)
    if (c.expected) out.push(`     expected: ${c.expected}`)
    if (c.actual) out.push(`     actual:   ${c.actual}`)
    if (c.idpImpact) out.push(`     impact:   ${c.idpImpact}`)
    if (c.fix) out.push(`     fix:      ${c.fix}`)
  }
  if (report.cleanup.leftovers.length > 0) {
    out.push(
      '',
      `Could not remove ${report.cleanup.leftovers.length} resources created by this run; delete them by hand:`,
    )
    for (const l of report.cleanup.leftovers)
      out.push(`  ${l.type} ${l.id ?? '(id unknown)'} ${l.name}: ${l.reason}`)
  }
  const verdict = {
    passed: 'No check failed.',
    failed: `${s.fail + s.error} check(s) failed.`,
    cancelled: 'Cancelled; resources created so far were cleaned up.',
    could_not_run: 'Could not run.',
  }[report.outcome]
  out.push('', verdict)
  return `${out.join('\n')}\n`
}

/** Each report format loads only when its flag asks for it (a plain run writes none). */
async function writeOut(
  path: string | undefined,
  text: () => Promise<string>,
  what: string,
  io: CliIo,
): Promise<void> {
  if (!path) return
  const body = await text()
  try {
    await process.getBuiltinModule('node:fs/promises').writeFile(path, body, 'utf8')
    io.stderr.write(`Wrote ${what} to ${path}\n`)
  } catch (err) {
    throw new AppError(
      'harness.bad_input',
      `Could not write the ${what} to ${path}: ${(err as Error).message}`,
      {
        hint: 'Check that the folder exists and is writable.',
      },
    )
  }
}

export const checkCommand: CliCommand = {
  path: ['check'],
  usage: USAGE,
  summary:
    'Run the SCIM conformance harness against a base URL (exit 0 pass, 1 failures, 2 could not run).',
  async run(args, io) {
    rejectTokenInArgv(args)
    const { values } = parseOptions<Record<string, string | boolean | undefined>>(
      args,
      {
        url: { type: 'string' },
        'token-env': { type: 'string' },
        'token-stdin': { type: 'boolean' },
        profile: { type: 'string' },
        'read-only': { type: 'boolean' },
        report: { type: 'string' },
        junit: { type: 'string' },
        html: { type: 'string' },
        har: { type: 'string' },
        concurrency: { type: 'string' },
        timeout: { type: 'string' },
        only: { type: 'string' },
        'import-size': { type: 'string' },
        'fail-on': { type: 'string' },
      },
      USAGE,
    )
    const url = values.url as string | undefined
    if (!url)
      throw usageError(
        '--url is required (the SCIM base URL, e.g. https://app.example.com/scim/v2).',
      )
    const profile = parseProfile(values.profile as string | undefined)
    const concurrency = intOption(
      values.concurrency as string | undefined,
      '--concurrency',
      1,
      32,
      4,
    )
    const timeoutS = intOption(values.timeout as string | undefined, '--timeout', 1, 120, 30)
    const importSize = intOption(
      values['import-size'] as string | undefined,
      '--import-size',
      2,
      1000,
      DEFAULT_IMPORT_SIZE,
    )
    const failOn = (values['fail-on'] as string | undefined) ?? 'fail'
    if (failOn !== 'fail' && failOn !== 'warn')
      throw usageError(`--fail-on must be "fail" or "warn", not "${failOn}".`)
    const only = (values.only as string | undefined)
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean)
    const unknown = only?.filter((id) => !allChecks.some((c) => c.id === id)) ?? []
    if (unknown.length > 0) {
      throw usageError(
        `Unknown check id ${unknown.join(', ')}. Known ids: ${allChecks.map((c) => c.id).join(', ')}.`,
      )
    }
    const token = await readToken(values as { 'token-env'?: string; 'token-stdin'?: boolean }, io)
    let report: HarnessReport
    try {
      report = await runHarness({
        baseUrl: url,
        token,
        profile,
        readOnly: values['read-only'] === true,
        concurrency,
        timeoutMs: timeoutS * 1000,
        importSize,
        signal: io.signal,
        onProgress: progressPrinter(io),
        ...(only ? { only } : {}),
      })
    } catch (err) {
      if (err instanceof AppError && err.code === 'harness.bad_input') throw usageError(err.message)
      throw err
    }
    io.stdout.write(redactString(formatSummary(report)))
    await writeOut(
      values.report as string | undefined,
      async () => {
        const { toJsonReport } = await import('../../harness/reports/json.ts')
        return toJsonReport(report)
      },
      'JSON report',
      io,
    )
    await writeOut(
      values.junit as string | undefined,
      async () => {
        const { toJunitXml } = await import('../../harness/reports/junit.ts')
        return toJunitXml(report)
      },
      'JUnit report',
      io,
    )
    await writeOut(
      values.html as string | undefined,
      async () => {
        const { toHtmlReport } = await import('../../harness/reports/html.ts')
        return toHtmlReport(report)
      },
      'HTML report',
      io,
    )
    await writeOut(
      values.har as string | undefined,
      async () => {
        const { toHar } = await import('../../harness/reports/har.ts')
        return toHar(report)
      },
      'HAR file',
      io,
    )
    if (report.outcome === 'passed' && failOn === 'warn' && report.summary.warn > 0) {
      io.stdout.write(`--fail-on warn: ${report.summary.warn} check(s) warned.\n`)
      return EXIT_FAIL
    }
    if (report.outcome === 'passed') return EXIT_OK
    if (report.outcome === 'failed') return EXIT_FAIL
    return EXIT_USAGE
  },
}
