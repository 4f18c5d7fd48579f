import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { captureIo } from '../../test/support/cli-test-io.ts'
import { main } from '../cli/main.ts'
import { TOKEN_PREFIX } from '../secrets/generate-token.ts'
import { fileHaystacks, findLeaks, secretNeedles } from '../../test/support/secret-leak-search.ts'

/**
 * End to end through the browser front door: `scim-console web` with its embedded backend, a SCIM
 * token created through the API, a harness run with that keychain token, every report format and
 * every log export; then a search of the web host's log, the data folder, the live event stream
 * and every API payload for the token. The one `tokens.create` response is its only way out.
 */

const root = mkdtempSync(join(tmpdir(), 'web-host-leak-'))
const rendererDir = join(root, 'renderer')
const dataDir = join(root, 'data')
mkdirSync(rendererDir)
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ui</title>')
afterAll(() => rmSync(root, { recursive: true, force: true }))

it('a token created in the web host appears in no log, file, stream or export', async () => {
  const controller = new AbortController()
  const captured = captureIo({ SCIM_CONSOLE_SECRET_STORE: 'memory' })
  const exit = main(['web', '--renderer-dir', rendererDir, '--data', dataDir], {
    ...captured.io,
    signal: controller.signal,
  })
  while (!captured.out().includes('Open: ')) await new Promise((r) => setTimeout(r, 20))
  const pageUrl = new URL(/Open: (\S+)/.exec(captured.out())![1]!)
  const webToken = pageUrl.hash.slice('#token='.length)
  const origin = pageUrl.origin

  // Everything the renderer would receive: every API response body and the live event stream.
  const payloads: Array<{ channel: string; text: string }> = []
  async function api<T>(channel: string, input: unknown): Promise<T> {
    const res = await fetch(`${origin}/api/${channel}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${webToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    })
    const text = await res.text()
    payloads.push({ channel, text })
    const body = JSON.parse(text) as { ok: boolean; value: T; error?: unknown }
    if (!body.ok) throw new Error(`${channel} failed: ${JSON.stringify(body.error)}`)
    return body.value
  }
  const stream = await fetch(`${origin}/api/events?token=${webToken}`)
  const reader = stream.body!.getReader()
  let streamText = ''
  const streamDone = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }))
      if (done) return
      streamText += Buffer.from(value!).toString('utf8')
    }
  })()

  try {
    const { connections } = await api<{
      connections: Array<{ name: string; embedded: boolean; defaultTenantId: string | null }>
    }>('connections.list', {})
    const embedded = connections.find((c) => c.embedded)!
    const target = { connection: embedded.name, tenantId: embedded.defaultTenantId! }

    const created = await api<{ id: string; secret: string }>('tokens.create', {
      ...target,
      label: 'leak test',
    })
    const secret = created.secret
    expect(secret.startsWith(TOKEN_PREFIX)).toBe(true)

    await api('log.open', target)
    const { scimBaseUrl } = await api<{ scimBaseUrl: string }>('tokens.list', target)
    const { runId } = await api<{ runId: string }>('harness.start', {
      baseUrl: scimBaseUrl,
      profile: 'okta',
      token: { source: 'keychain', ...target, tokenId: created.id },
    })
    let report: { summary?: unknown } | null = null
    while (report === null) {
      await new Promise((r) => setTimeout(r, 200))
      report = (await api<{ report: { summary?: unknown } | null }>('harness.report', { runId }))
        .report
    }

    const exports: Array<{ what: string; text: string }> = []
    for (const format of ['json', 'junit', 'html', 'har']) {
      const out = await api<{ text: string }>('harness.export', { runId, format })
      exports.push({ what: `harness ${format}`, text: out.text })
    }
    // The harness's requests reach the log; wait until the stream has delivered some of them.
    let rows: Array<{ seq: number }> = []
    while (rows.length === 0) {
      rows = (await api<{ rows: Array<{ seq: number }> }>('log.query', target)).rows
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 100))
    }
    for (const format of ['jsonl', 'csv', 'har']) {
      const out = await api<{ text: string; count: number }>('log.export', { ...target, format })
      expect(out.count).toBeGreaterThan(0)
      exports.push({ what: `log ${format}`, text: out.text })
    }
    for (const row of rows.slice(0, 5)) {
      await api('log.getEvent', { ...target, seq: row.seq })
      const curl = await api<{ command: string }>('log.curl', { ...target, seq: row.seq })
      exports.push({ what: `curl ${row.seq}`, text: curl.command })
    }
    // The reports did capture authenticated requests, so the search below looks at something real.
    expect(exports.find((e) => e.what === 'harness har')!.text).toContain('[REDACTED]')

    controller.abort()
    expect(await exit).toBe(0)
    await streamDone

    const files = fileHaystacks(dataDir)
    const haystacks: Array<[string, Buffer]> = [
      ['web host stderr log', Buffer.from(captured.err())],
      ['web host stdout', Buffer.from(captured.out())],
      ['event stream', Buffer.from(streamText)],
      ...exports.map((e): [string, Buffer] => [e.what, Buffer.from(e.text)]),
      ...payloads
        .filter((p) => p.channel !== 'tokens.create')
        .map((p): [string, Buffer] => [`${p.channel} response`, Buffer.from(p.text)]),
      ...files,
    ]
    expect(files.length).toBeGreaterThan(0)
    expect(streamText).toContain('event: harness.progress')
    expect(streamText).toContain('event: log.event')
    expect(captured.err()).toContain('"channel":"harness.start"')
    expect(findLeaks(haystacks, secretNeedles('token', secret))).toEqual([])
    // The one sanctioned way out: the create response, which the person asked for.
    expect(payloads.filter((p) => p.text.includes(secret)).map((p) => p.channel)).toEqual([
      'tokens.create',
    ])
  } finally {
    controller.abort()
    await exit
  }
}, 120_000)
