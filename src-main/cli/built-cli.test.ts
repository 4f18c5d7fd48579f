import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'
import {
  startMemoryScimServer,
  type MemoryScimServer,
} from '../../test/support/memory-scim-server.ts'

// The CLI bundle (vite.cli.config.ts) built into a directory of its own, two levels below the
// package root like out/cli, so this test neither needs `npm run build` nor touches out/cli.
const root = resolve(import.meta.dirname, '../..')
const outDir = join(root, 'out', `.cli-test-${process.pid}`)
const builtMain = pathToFileURL(join(outDir, 'main.mjs')).href
const sourceMain = pathToFileURL(join(root, 'src-main', 'cli', 'main.ts')).href

let server: MemoryScimServer
beforeAll(async () => {
  await build({
    configFile: join(root, 'vite.cli.config.ts'),
    logLevel: 'silent',
    build: { outDir },
  })
  server = await startMemoryScimServer()
}, 180_000)
afterAll(async () => {
  await server?.close()
  await rm(outDir, { recursive: true, force: true })
})

interface Run {
  code: number | null
  out: string
  err: string
}

/** A real process running `main(args)` from the given entry, as bin/scim-console.mjs does. */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const script = `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(${JSON.stringify(args)})`
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += String(d)))
    child.stderr.on('data', (d: Buffer) => (err += String(d)))
    child.on('error', fail)
    child.on('close', (code) => done({ code, out, err }))
  })
}

/** stderr without Node's own warnings (type stripping may print one for the sources). */
const ownStderr = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !/ExperimentalWarning|--trace-warnings/.test(l))
    .join('\n')

describe('the built CLI answers like the sources', () => {
  it('--help', async () => {
    const [source, built] = await Promise.all([
      run(sourceMain, ['--help']),
      run(builtMain, ['--help']),
    ])
    expect(built.code, built.err).toBe(0)
    expect(built.out).toContain('metadata inspect <file-or-url|->')
    expect(built).toEqual({ ...source, err: ownStderr(source.err) })
  })

  it('metadata inspect --json of the Okta file, and its error for a missing file', async () => {
    const okta = join(IDP_METADATA_DIR, 'okta-app-trial-org.xml')
    const missing = join(IDP_METADATA_DIR, 'no-such-file.xml')
    for (const args of [
      ['metadata', 'inspect', okta, '--json'],
      ['metadata', 'inspect', missing],
    ]) {
      const [source, built] = await Promise.all([run(sourceMain, args), run(builtMain, args)])
      expect({ ...built, err: ownStderr(built.err) }).toEqual({
        ...source,
        err: ownStderr(source.err),
      })
      if (args.includes('--json')) {
        expect(built.code).toBe(0)
        expect(JSON.parse(built.out)).toMatchObject({
          ok: true,
          entityId: expect.stringContaining('okta.com'),
        })
      } else {
        expect(built.code).toBe(2)
        expect(built.err).toContain('no-such-file.xml')
      }
    }
  })

  it('metadata inspect: a small unsigned file loads no worker, xml-crypto or undici; a signed one runs the bundled worker', async () => {
    // Preloaded in every thread (a worker inherits the flags): each module URL loaded, on stderr.
    const hook = [
      "import { registerHooks } from 'node:module'",
      "import { isMainThread } from 'node:worker_threads'",
      "const who = isMainThread ? 'main' : 'worker'",
      'registerHooks({ load(url, context, next) { process._rawDebug(`@@load ${who} ${url}`); return next(url, context) } })',
    ].join('\n')
    const preload = `data:text/javascript,${encodeURIComponent(hook)}`
    const inspect = (
      file: string,
    ): Promise<{ code: number | null; out: string; loads: string[] }> =>
      new Promise((done, fail) => {
        const script = `const { main } = await import(${JSON.stringify(builtMain)}); process.exitCode = await main(${JSON.stringify(['metadata', 'inspect', join(IDP_METADATA_DIR, file), '--json'])})`
        const child = spawn(
          process.execPath,
          ['--import', preload, '--input-type=module', '-e', script],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        )
        let out = ''
        let err = ''
        child.stdout.on('data', (d: Buffer) => (out += String(d)))
        child.stderr.on('data', (d: Buffer) => (err += String(d)))
        child.on('error', fail)
        child.on('close', (code) => {
          const loads = err.split('\n').filter((l) => l.startsWith('@@load '))
          done({ code, out, loads: loads.map((l) => l.slice('@@load '.length)) })
        })
      })
    const outUrl = pathToFileURL(outDir).href

    const okta = await inspect('okta-app-trial-org.xml')
    expect(okta.code).toBe(0)
    expect(JSON.parse(okta.out)).toMatchObject({ ok: true })
    expect(okta.loads.filter((l) => l.startsWith('worker '))).toEqual([])
    const oktaChunks = okta.loads.map((l) => l.split(' ')[1]!).filter((u) => u.startsWith(outUrl))
    for (const chunk of oktaChunks) {
      const text = await readFile(new URL(chunk), 'utf8')
      expect(text, chunk).not.toContain('SignedXml')
      expect(text, chunk).not.toContain('node_modules/undici')
    }

    const entra = await inspect('entra-app-federationmetadata-bom-signed.xml')
    expect(JSON.parse(entra.out)).toMatchObject({ signature: { signed: true } })
    const workerLoads = entra.loads.filter((l) => l.startsWith('worker ')).map((l) => l.slice(7))
    expect(workerLoads).toContain(`${outUrl}/metadata-worker.mjs`)
    expect(workerLoads.filter((u) => u.endsWith('.ts'))).toEqual([])
  })

  it('check --profile okta against a SCIM server: same exit code and the same check outcomes', async () => {
    const outcomes = async (entry: string, name: string) => {
      const report = join(outDir, `${name}.json`)
      const r = await run(
        entry,
        ['check', '--url', server.baseUrl, '--profile', 'okta', '--report', report],
        { SCIM_TOKEN: server.token },
      )
      const parsed = JSON.parse(await readFile(report, 'utf8')) as {
        outcome: string
        checks: { id: string; status: string }[]
      }
      return {
        code: r.code,
        outcome: parsed.outcome,
        checks: parsed.checks.map((c) => `${c.id}: ${c.status}`),
      }
    }
    // One after the other: both write to the same server.
    const source = await outcomes(sourceMain, 'source')
    const built = await outcomes(builtMain, 'built')
    expect(built.code).toBe(0)
    expect(built.checks.length).toBeGreaterThan(10)
    expect(built).toEqual(source)
  })

  it('check loads neither zod nor undici: no schema is built and node:http is not imported as ESM', async () => {
    const report = join(outDir, 'lean.json')
    const args = ['check', '--url', server.baseUrl, '--profile', 'okta', '--report', report]
    const script = [
      "import { registerHooks } from 'node:module'",
      'const loaded = []',
      'registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })',
      `const { main } = await import(${JSON.stringify(builtMain)})`,
      `const code = await main(${JSON.stringify(args)})`,
      "const undici = process.moduleLoadList.some((m) => m.includes('undici'))",
      // After main's own output (the summary goes to stdout), on a line of its own.
      "process.stdout.write('\\n@@result ' + JSON.stringify({ code, loaded, undici }))",
    ].join('\n')
    const result = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, SCIM_TOKEN: server.token },
        stdio: ['ignore', 'pipe', 'ignore'],
      })
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += String(d)))
      child.on('error', fail)
      child.on('close', () => done(out))
    })
    const { code, loaded, undici } = JSON.parse(result.split('\n@@result ')[1] ?? 'null') as {
      code: number
      loaded: string[]
      undici: boolean
    }
    expect(code).toBe(0)
    expect(undici).toBe(false)
    const chunks = loaded.filter((u) => u.startsWith(pathToFileURL(outDir).href))
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) {
      // zod's core defines its error class under this name; no chunk of check's may hold it.
      expect(await readFile(new URL(chunk), 'utf8'), chunk).not.toContain('$ZodError')
    }
  })
})
