import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { z } from 'zod'

/**
 * Electronegativity over the app's source, failing on any high or medium finding that the
 * allowlist does not explain. scripts/security-scan.mjs is the command; this module is what the
 * test drives.
 */

/** What is scanned: everything that runs in the app, not tests. */
export const SCANNED_DIRS = ['src-main', 'src-preload', 'src-renderer'] as const

/**
 * Needs the network (Electron's release list) and reports outdated Electron, which is a dependency
 * update question for `npm outdated`, not a property of our code.
 */
// Named by class, as electronegativity's -x option expects.
export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'] as const

export const allowlistSchema = z
  .array(
    z
      .object({
        check: z
          .string()
          .regex(/^[A-Z_]+$/, 'an electronegativity check id such as SANDBOX_JS_CHECK'),
        /** Path relative to the repository root, or "N/A" for a global (whole-app) finding. */
        file: z.string().min(1),
        reason: z.string().min(40, 'say why the finding does not apply, in a sentence or more'),
      })
      .strict(),
  )
  .superRefine((entries, ctx) => {
    const seen = new Set<string>()
    for (const [i, e] of entries.entries()) {
      const key = `${e.check} ${e.file}`
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate ${key}` })
      seen.add(key)
    }
  })

export type AllowlistEntry = z.infer<typeof allowlistSchema>[number]

export interface Finding {
  check: string
  file: string
  line: number
  severity: string
  confidence: string
  description: string
  url: string
}

export interface ScanResult {
  /** High and medium findings with no allowlist entry: each fails the scan. */
  unexplained: Finding[]
  /** High and medium findings the allowlist explains. */
  explained: { finding: Finding; reason: string }[]
  /** Allowlist entries that match nothing any more: remove them so the list stays honest. */
  stale: AllowlistEntry[]
  /** Files the scanner could not parse, and so did not check: each fails the scan. */
  parseErrors: { file: string; message: string }[]
  /** Low and informational findings, shown but not failing. */
  minor: Finding[]
  filesScanned: number
  checks: number
}

export function readAllowlist(path: string): AllowlistEntry[] {
  const parsed = allowlistSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  [${i.path.join('.')}] ${i.message}`)
    throw new Error(`${path} is not a valid allowlist:\n${issues.join('\n')}`)
  }
  return parsed.data
}

/** Copies the scanned sources (without tests) into a temporary tree rooted like the repository. */
function stage(root: string, dirs: readonly string[]): { dir: string; files: number } {
  const dir = mkdtempSync(join(tmpdir(), 'security-scan-'))
  let files = 0
  cpSync(join(root, 'package.json'), join(dir, 'package.json'))
  for (const d of dirs) {
    for (const entry of readdirSync(join(root, d), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|tsx|js|mjs|cjs|html)$/.test(entry.name)) continue
      if (/\.(test|spec)\.[a-z]+$/.test(entry.name) || entry.parentPath.includes('node_modules'))
        continue
      const from = join(entry.parentPath, entry.name)
      cpSync(from, join(dir, relative(root, from)))
      files++
    }
  }
  return { dir, files }
}

interface RawIssue {
  id: string
  file: string
  location?: { line?: number }
  severity: { name: string }
  confidence: { name: string }
  description: string
  shortenedURL?: string
}

type Runner = (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{
  atomicChecks: number
  globalChecks: number
  issues: RawIssue[]
  errors: { file: string; message: string; tolerable: boolean }[]
}>

/**
 * Loads electronegativity with its HTTP client replaced by one that fails at once. Its only uses
 * of the network are a translation download and Electron's release list, both optional; offline,
 * the real client's retry crashes the process ("onCancel handler was attached after the promise
 * settled"), so the scan could not run on machines without internet.
 */
function loadRunner(): Runner {
  const require = createRequire(import.meta.url)
  const scannerRequire = createRequire(require.resolve('@doyensec/electronegativity/package.json'))
  const gotPath = scannerRequire.resolve('got')
  const offline = Object.assign(() => Promise.reject(new Error('offline by design')), {
    head: () => Promise.reject(new Error('offline by design')),
  })
  const stub = Object.assign(offline, { default: offline })
  scannerRequire.cache[gotPath] = {
    id: gotPath,
    filename: gotPath,
    loaded: true,
    exports: stub,
  } as unknown as NodeJS.Module
  // Its messages come from the locale in LANG; a locale it has no file for prints raw keys.
  process.env.LANG = 'en-US'
  return scannerRequire('./dist/runner.js') as Runner
}

export async function runSecurityScan(opts: {
  root: string
  allowlist: AllowlistEntry[]
  dirs?: readonly string[]
}): Promise<ScanResult> {
  const { dir, files } = stage(opts.root, opts.dirs ?? SCANNED_DIRS)
  const electronVersion = (
    JSON.parse(
      readFileSync(
        join(
          dirname(createRequire(import.meta.url).resolve('electron/package.json')),
          'package.json',
        ),
        'utf8',
      ),
    ) as { version: string }
  ).version
  const run = loadRunner()
  const log = console.log
  // The scanner narrates on stdout even when used as a library.
  console.log = () => {}
  let raw: Awaited<ReturnType<Runner>>
  try {
    raw = await run(
      {
        input: dir,
        customScan: [],
        excludeFromScan: [...EXCLUDED_CHECKS],
        electronVersionOverride: electronVersion,
        parserPlugins: [],
        isRelative: false,
      },
      false,
    )
  } finally {
    console.log = log
    rmSync(dir, { recursive: true, force: true })
  }
  const toRepoPath = (file: string): string =>
    file === 'N/A' || !file.startsWith(dir) ? 'N/A' : relative(dir, file).split(sep).join('/')
  const findings: Finding[] = raw.issues.map((i) => ({
    check: i.id,
    file: toRepoPath(i.file),
    line: i.location?.line ?? 0,
    severity: i.severity.name,
    confidence: i.confidence.name,
    description: i.description,
    url: i.shortenedURL ?? '',
  }))
  const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM')
  const used = new Set<AllowlistEntry>()
  const result: ScanResult = {
    unexplained: [],
    explained: [],
    stale: [],
    parseErrors: raw.errors
      .filter((e) => !e.tolerable)
      .map((e) => ({ file: toRepoPath(e.file), message: e.message })),
    minor: findings.filter((f) => !serious.includes(f)),
    filesScanned: files,
    checks: raw.atomicChecks + raw.globalChecks,
  }
  for (const finding of serious) {
    const entry = opts.allowlist.find((e) => e.check === finding.check && e.file === finding.file)
    if (entry) {
      used.add(entry)
      result.explained.push({ finding, reason: entry.reason })
    } else {
      result.unexplained.push(finding)
    }
  }
  result.stale = opts.allowlist.filter((e) => !used.has(e))
  return result
}

export function passed(result: ScanResult): boolean {
  return (
    result.unexplained.length === 0 && result.stale.length === 0 && result.parseErrors.length === 0
  )
}

export function formatScan(result: ScanResult): string {
  const lines: string[] = [
    `electronegativity: ${result.checks} checks over ${result.filesScanned} files`,
  ]
  const where = (f: Finding): string => (f.file === 'N/A' ? 'whole app' : `${f.file}:${f.line}`)
  for (const f of result.unexplained) {
    lines.push(`  FAIL ${f.severity} ${f.check} at ${where(f)}: ${f.description} (${f.url})`)
  }
  for (const e of result.parseErrors) lines.push(`  FAIL could not parse ${e.file}: ${e.message}`)
  for (const e of result.stale) {
    lines.push(`  FAIL allowlist entry ${e.check} ${e.file} matches no finding: remove it`)
  }
  for (const { finding } of result.explained) {
    lines.push(`  allowed ${finding.severity} ${finding.check} at ${where(finding)}`)
  }
  for (const f of result.minor) lines.push(`  note ${f.severity} ${f.check} at ${where(f)}`)
  if (result.unexplained.length > 0) {
    lines.push(
      'Fix each FAIL finding, or, if it does not apply, add { check, file, reason } to ' +
        'security-scan-allowlist.json saying why.',
    )
  }
  lines.push(passed(result) ? 'security scan passed' : 'security scan FAILED')
  return lines.join('\n')
}
