import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

// bin/scim-console.mjs chooses between the built CLI (out/cli) and the TypeScript sources. Here it
// runs from a scratch package laid out like the real one, whose two entries say which one ran.
const realBin = resolve(import.meta.dirname, '../../bin/scim-console.mjs')
const entry = (name: string): string =>
  `export async function main(argv) { process.stdout.write('${name} ' + argv.join(' ')); return 0 }\n`

let pkg: string
const at = (path: string, seconds: number): void => utimesSync(path, seconds, seconds)
const BUILD_TIME = 2_000_000_000 // seconds; sources older than this are "built from"

beforeEach(() => {
  pkg = mkdtempSync(join(tmpdir(), 'scimc-cli-entry-'))
  mkdirSync(join(pkg, 'bin'))
  copyFileSync(realBin, join(pkg, 'bin', 'scim-console.mjs'))
  mkdirSync(join(pkg, 'src-main', 'cli'), { recursive: true })
  mkdirSync(join(pkg, 'src-shared'))
  writeFileSync(join(pkg, 'src-main', 'cli', 'main.ts'), entry('source'))
  writeFileSync(join(pkg, 'src-shared', 'errors.ts'), 'export {}\n')
  writeFileSync(join(pkg, 'src-main', 'cli', 'main.test.ts'), 'export {}\n')
  mkdirSync(join(pkg, 'out', 'cli'), { recursive: true })
  writeFileSync(join(pkg, 'out', 'cli', 'main.mjs'), entry('built'))
  writeFileSync(
    join(pkg, 'out', 'cli', 'build-stamp.json'),
    JSON.stringify({ startedAt: BUILD_TIME * 1000 }),
  )
  for (const p of [
    'src-main/cli/main.ts',
    'src-main/cli/main.test.ts',
    'src-shared/errors.ts',
    'src-main/cli',
    'src-main',
    'src-shared',
  ]) {
    at(join(pkg, p), BUILD_TIME - 60)
  }
})
afterEach(() => rmSync(pkg, { recursive: true, force: true }))

function runBin(env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const clean: NodeJS.ProcessEnv = { ...process.env, ...env }
  if (!('SCIM_CONSOLE_CLI' in env)) delete clean.SCIM_CONSOLE_CLI
  const r = spawnSync(process.execPath, [join(pkg, 'bin', 'scim-console.mjs'), 'x', 'y'], {
    env: clean,
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('bin/scim-console.mjs picks the built CLI only when it is current', () => {
  it('runs the build when it started after every source was last changed', () => {
    expect(runBin()).toMatchObject({ code: 0, out: 'built x y' })
  })

  it('runs the sources once a source file is newer than the build', () => {
    at(join(pkg, 'src-shared', 'errors.ts'), BUILD_TIME + 1)
    expect(runBin()).toMatchObject({ code: 0, out: 'source x y' })
  })

  it('runs the sources once a source file was added or deleted after the build', () => {
    rmSync(join(pkg, 'src-shared', 'errors.ts'))
    at(join(pkg, 'src-shared'), BUILD_TIME + 1)
    expect(runBin()).toMatchObject({ code: 0, out: 'source x y' })
  })

  it('ignores test files, which the build does not contain', () => {
    at(join(pkg, 'src-main', 'cli', 'main.test.ts'), BUILD_TIME + 1)
    expect(runBin()).toMatchObject({ code: 0, out: 'built x y' })
  })

  it('runs the sources without a build stamp, and when SCIM_CONSOLE_CLI=source', () => {
    expect(runBin({ SCIM_CONSOLE_CLI: 'source' })).toMatchObject({ out: 'source x y' })
    rmSync(join(pkg, 'out', 'cli', 'build-stamp.json'))
    expect(runBin()).toMatchObject({ code: 0, out: 'source x y' })
  })

  it('runs the build in a package shipped without sources, and when SCIM_CONSOLE_CLI=built', () => {
    at(join(pkg, 'src-shared', 'errors.ts'), BUILD_TIME + 1)
    expect(runBin({ SCIM_CONSOLE_CLI: 'built' })).toMatchObject({ out: 'built x y' })
    rmSync(join(pkg, 'src-main'), { recursive: true })
    expect(runBin()).toMatchObject({ code: 0, out: 'built x y' })
  })

  it('says how to build when the built CLI is asked for but missing, and runs nothing', () => {
    rmSync(join(pkg, 'out'), { recursive: true })
    const r = runBin({ SCIM_CONSOLE_CLI: 'built' })
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/no built CLI at .*main\.mjs/)
    expect(r.err).toContain('npm run build')
  })

  it('refuses an unknown SCIM_CONSOLE_CLI with the values it takes, and runs nothing', () => {
    const r = runBin({ SCIM_CONSOLE_CLI: 'bundle' })
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toContain('SCIM_CONSOLE_CLI is "bundle"')
    expect(r.err).toContain('"source"')
  })
})
