import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  passed,
  readAllowlist,
  runSecurityScan,
  type AllowlistEntry,
} from './security-scan-core.ts'

const repo = join(import.meta.dirname, '..')
const tmp = mkdtempSync(join(tmpdir(), 'security-scan-test-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A tiny app tree with one main-process file, scanned like the real one. */
function fixtureApp(name: string, mainSource: string): string {
  const root = join(tmp, name)
  mkdirSync(join(root, 'src-main'), { recursive: true })
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name, devDependencies: { electron: '^45.0.0' } }),
  )
  writeFileSync(join(root, 'src-main', 'index.ts'), mainSource)
  return root
}

const unsafeWindow = `
import { BrowserWindow } from 'electron'
export function open(): BrowserWindow {
  return new BrowserWindow({
    webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false },
  })
}
`

describe('security scan (electronegativity, offline)', () => {
  it('passes on this repository with its allowlist, every entry still needed', async () => {
    const allowlist = readAllowlist(join(repo, 'security-scan-allowlist.json'))
    const result = await runSecurityScan({ root: repo, allowlist })
    expect(result.parseErrors).toEqual([])
    expect(result.unexplained).toEqual([])
    expect(result.stale).toEqual([])
    expect(result.filesScanned).toBeGreaterThan(10)
    expect(result.checks).toBeGreaterThan(30)
    expect(passed(result)).toBe(true)
  })

  it('fails on an unisolated, unsandboxed window with no navigation limits, naming each', async () => {
    const root = fixtureApp('unsafe', unsafeWindow)
    const result = await runSecurityScan({ root, allowlist: [], dirs: ['src-main'] })
    const checks = result.unexplained.map((f) => `${f.check} ${f.file}`)
    expect(checks).toContain('CONTEXT_ISOLATION_JS_CHECK src-main/index.ts')
    expect(checks).toContain('SANDBOX_JS_CHECK src-main/index.ts')
    expect(checks).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK N/A')
    expect(checks).toContain('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK N/A')
    expect(passed(result)).toBe(false)
  })

  it('lets an allowlist entry explain a finding, and fails on an entry that matches nothing', async () => {
    const root = fixtureApp('allowed', unsafeWindow)
    const explain = (check: string, file = 'src-main/index.ts'): AllowlistEntry => ({
      check,
      file,
      reason: 'a fixture for the scanner test, not an app anybody runs',
    })
    const first = await runSecurityScan({ root, allowlist: [], dirs: ['src-main'] })
    const allowlist = first.unexplained.map((f) => explain(f.check, f.file))
    const second = await runSecurityScan({ root, allowlist, dirs: ['src-main'] })
    expect(second.unexplained).toEqual([])
    expect(second.explained.length).toBe(first.unexplained.length)
    expect(passed(second)).toBe(true)

    const stale = explain('WEB_SECURITY_JS_CHECK')
    const third = await runSecurityScan({
      root,
      allowlist: [...allowlist, stale],
      dirs: ['src-main'],
    })
    expect(third.stale).toEqual([stale])
    expect(passed(third)).toBe(false)
  })

  it('fails when a file cannot be parsed, since it was then not checked', async () => {
    const root = fixtureApp('broken', 'export const = (;\n')
    const result = await runSecurityScan({ root, allowlist: [], dirs: ['src-main'] })
    expect(result.parseErrors.map((e) => e.file)).toEqual(['src-main/index.ts'])
    expect(passed(result)).toBe(false)
  })
})

describe('readAllowlist', () => {
  it('refuses an entry without a real reason, and duplicates, saying which', () => {
    const path = join(tmp, 'allowlist.json')
    writeFileSync(
      path,
      JSON.stringify([
        { check: 'SANDBOX_JS_CHECK', file: 'a.ts', reason: 'ok' },
        { check: 'SANDBOX_JS_CHECK', file: 'b.ts', reason: 'x'.repeat(40) },
        { check: 'SANDBOX_JS_CHECK', file: 'b.ts', reason: 'y'.repeat(40) },
      ]),
    )
    expect(() => readAllowlist(path)).toThrow(/\[0\.reason\] say why/)
    expect(() => readAllowlist(path)).toThrow(/duplicate SANDBOX_JS_CHECK b\.ts/)
  })
})
