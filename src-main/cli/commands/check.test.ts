import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withFaultProxy } from '../../../test/support/fault-proxy.ts'
import {
  startMemoryScimServer,
  type MemoryScimServer,
} from '../../../test/support/memory-scim-server.ts'
import { main } from '../main.ts'
import { captureIo } from '../../../test/support/cli-test-io.ts'

let server: MemoryScimServer
let dir: string
beforeAll(async () => {
  server = await startMemoryScimServer()
  dir = await mkdtemp(join(tmpdir(), 'scimc-check-'))
})
afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('scim-console check', () => {
  it('exits 0 against a conforming server, prints the summary and writes all four reports without the token', async () => {
    const files = {
      report: join(dir, 'r.json'),
      junit: join(dir, 'r.xml'),
      html: join(dir, 'r.html'),
      har: join(dir, 'r.har'),
    }
    const c = captureIo({ SCIM_TOKEN: server.token })
    const code = await main(
      [
        'check',
        '--url',
        server.baseUrl,
        '--report',
        files.report,
        '--junit',
        files.junit,
        '--html',
        files.html,
        '--har',
        files.har,
      ],
      c.io,
    )
    expect(code, c.err()).toBe(0)
    expect(c.out()).toMatch(/area\s+pass fail/)
    expect(c.out()).toContain('No check failed.')
    expect(c.err()).toMatch(/\[\s*\d+\/\d+\] ok {3}auth\.no_token/)
    for (const f of Object.values(files)) {
      const text = await readFile(f, 'utf8')
      expect(text.length).toBeGreaterThan(500)
      expect(text.includes(server.token)).toBe(false)
    }
    expect(JSON.parse(await readFile(files.report, 'utf8')).schemaVersion).toBe(1)
    expect(server.users.size).toBe(0)
  })

  it('exits 1 when a check fails and explains it', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'no-match-404',
      },
      async (proxy) => {
        const c = captureIo({ MY_TOKEN: server.token })
        const code = await main(
          ['check', '--url', proxy.baseUrl, '--token-env', 'MY_TOKEN', '--profile', 'entra'],
          c.io,
        )
        expect(code).toBe(1)
        expect(c.out()).toMatch(/FAIL filters\.no_match/)
        expect(c.out()).toMatch(/impact: +Entra calls this a SCIM compliance issue/)
      },
    )
  })

  it('--fail-on warn exits 1 for a run whose only findings are warnings; the default exits 0', async () => {
    await withFaultProxy(
      { target: server.baseUrl, token: server.token, fault: 'www-authenticate-missing' },
      async (proxy) => {
        const args = ['check', '--url', proxy.baseUrl, '--only', 'auth.www_authenticate']
        const plain = captureIo({ SCIM_TOKEN: server.token })
        expect(await main(args, plain.io)).toBe(0)
        expect(plain.out()).toMatch(/warn auth\.www_authenticate/)
        const strict = captureIo({ SCIM_TOKEN: server.token })
        expect(await main([...args, '--fail-on', 'warn'], strict.io)).toBe(1)
        expect(strict.out()).toMatch(/--fail-on warn: 1 check\(s\) warned/)
        const bad = captureIo({ SCIM_TOKEN: server.token })
        expect(await main([...args, '--fail-on', 'info'], bad.io)).toBe(2)
        expect(bad.err()).toMatch(/--fail-on must be "fail" or "warn"/)
      },
    )
  })

  it('says plainly that a rejected token stopped the run early and how many checks did not run', async () => {
    const c = captureIo({ SCIM_TOKEN: 'not-the-token' })
    const code = await main(['check', '--url', server.baseUrl], c.io)
    expect(code).toBe(1)
    expect(c.out()).toMatch(
      /Stopped early: The token was rejected \(HTTP 401\): the run stopped after the authentication checks; \d+ of \d+ checks could not run\./,
    )
    expect(server.users.size).toBe(0)
  })

  it('reads the token from stdin with --token-stdin', async () => {
    const c = captureIo({}, `${server.token}\n`)
    const code = await main(
      ['check', '--url', server.baseUrl, '--token-stdin', '--read-only'],
      c.io,
    )
    expect(code, c.err()).toBe(0)
  })

  it('exits 2 when the URL is not a SCIM endpoint or unreachable', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'html-site',
      },
      async (site) => {
        const c = captureIo({ SCIM_TOKEN: server.token })
        expect(await main(['check', '--url', site.baseUrl], c.io)).toBe(2)
        expect(c.out()).toMatch(/scim\.not_scim/)
      },
    )
    const c2 = captureIo({ SCIM_TOKEN: server.token })
    expect(await main(['check', '--url', 'http://127.0.0.1:9/scim/v2'], c2.io)).toBe(2)
    expect(c2.out()).toMatch(/network\.unreachable/)
  })

  it('refuses bad usage with exit 2: token in argv, no token, bad profile, bad numbers', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [
        ['check', '--url', server.baseUrl, '--token', 'abc'],
        { SCIM_TOKEN: 'x' },
        /visible to every user in `ps`/,
      ],
      [['check', '--url', server.baseUrl], {}, /SCIM_TOKEN is not set/],
      [
        ['check', '--url', server.baseUrl, '--profile', 'google'],
        { SCIM_TOKEN: 'x' },
        /Unknown profile "google"/,
      ],
      [
        ['check', '--url', server.baseUrl, '--concurrency', '0'],
        { SCIM_TOKEN: 'x' },
        /--concurrency must be a number from 1 to 32/,
      ],
      [['check'], { SCIM_TOKEN: 'x' }, /--url is required/],
      [
        ['check', '--url', server.baseUrl, '--only', 'users.nope'],
        { SCIM_TOKEN: 'x' },
        /Unknown check id users\.nope/,
      ],
      [['check', '--url', 'ftp://example.com/scim'], { SCIM_TOKEN: 'x' }, /must be http\(s\)/],
    ]
    for (const [argv, env, message] of cases) {
      const c = captureIo(env)
      expect(await main(argv, c.io)).toBe(2)
      expect(c.err()).toMatch(message)
    }
  })

  it('Ctrl-C (SIGINT) stops a real CLI process, cleans up and exits 2', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        latencyMs: 30,
      },
      async (slow) => {
        const bin = join(import.meta.dirname, '../../../bin/scim-console.mjs')
        const child = spawn(process.execPath, [bin, 'check', '--url', slow.baseUrl], {
          env: { ...process.env, SCIM_TOKEN: server.token },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let out = ''
        let err = ''
        child.stdout.on('data', (d: Buffer) => (out += String(d)))
        child.stderr.on('data', (d: Buffer) => {
          err += String(d)
          // Interrupt once writes are under way (the pagination users exist by then).
          if (/users\.list\.shape|pagination\.pages/.test(err) && !child.killed)
            child.kill('SIGINT')
        })
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
        expect(code, err).toBe(2)
        expect(out).toMatch(/Cancelled; resources created so far were cleaned up/)
        expect(slow.requests.some((r) => r.method === 'POST')).toBe(true)
        expect(server.users.size + server.groups.size).toBe(0)
      },
    )
  })
})
