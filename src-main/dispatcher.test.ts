import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { channels, type ChannelOutput } from '../src-shared/contract.ts'
import { AppError } from '../src-shared/errors.ts'
import type { Clipboard, Dialogs } from './app-services.ts'
import { call, type Handlers } from './dispatcher.ts'
import { createHandlers } from './handlers/index.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../test/support/handler-test-context.ts'
import { IDP_METADATA_DIR } from '../test/fixtures/index.ts'

// The IDP_METADATA_DIR live beside the repository in the team's shared folder (see bench/).
const fixture = (name: string): string => readFileSync(`${IDP_METADATA_DIR}/${name}`, 'utf8')

const opened: HandlerTestContext[] = []
afterAll(() => Promise.all(opened.map((t) => t.close())))

/** The real services over a fresh data folder; no backend starts unless a channel needs it. */
async function setup(platform: { clipboard?: Partial<Clipboard>; dialogs?: Dialogs } = {}) {
  const t = await openHandlerTestContext({
    ...(platform.clipboard
      ? {
          clipboard: {
            writeText: async () => undefined,
            clearIfEquals: async () => false,
            ...platform.clipboard,
          },
        }
      : {}),
    ...(platform.dialogs ? { dialogs: platform.dialogs } : {}),
  })
  opened.push(t)
  return { dispatch: t.dispatch, lines: t.logLines, handlers: createHandlers(t.services) }
}

describe('createHandlers', () => {
  it('has exactly one handler per contract channel', async () => {
    expect(Object.keys((await setup()).handlers).sort()).toEqual([...channels].sort())
  })

  it('is typed so that a missing or extra handler does not compile', async () => {
    const { 'app.info': _dropped, ...withoutAppInfo } = (await setup()).handlers
    // @ts-expect-error -- 'app.info' is missing
    const missing: Handlers = withoutAppInfo
    const extra: Handlers = {
      ...(await setup()).handlers,
      // @ts-expect-error -- not a contract channel
      'app.unknown': async () => ({}),
    }
    expect(missing && extra).toBeTruthy()
  })
})

describe('dispatch', () => {
  it('inspects real metadata through the contract', async () => {
    const { dispatch } = await setup()
    const result = await call(dispatch, 'metadata.inspect', {
      source: { kind: 'text', text: fixture('okta-app-trial-org.xml'), name: 'okta.xml' },
    })
    expect(result.ok).toBe(true)
    const value = (result as { value: ChannelOutput<'metadata.inspect'> }).value
    expect(value.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')
    expect(value.signingCertificates).toHaveLength(1)
  })

  it('re-inspects an aggregate with the chosen entity ID', async () => {
    const { dispatch } = await setup()
    const result = await call(dispatch, 'metadata.inspect', {
      source: { kind: 'text', text: fixture('edge-x509-double-encoded-pem-aggregate.xml') },
      entityId: 'https://bar.example.com/access/saml/idp.xml',
    })
    expect(result.ok && result.value.entityId).toBe('https://bar.example.com/access/saml/idp.xml')
    expect(result.ok && result.value.idps.length).toBeGreaterThan(1)
  })

  it('answers bad input with ipc.bad_input naming the field, and never calls the service', async () => {
    let called = false
    const { dispatch } = await setup({
      clipboard: {
        writeText: async () => {
          called = true
        },
      },
    })
    const result = await dispatch('clipboard.writeText', { text: 42 })
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.bad_input' } })
    expect(!result.ok && result.error.message).toContain('text')
    expect(called).toBe(false)
  })

  it('refuses a file path from the renderer', async () => {
    const { dispatch } = await setup()
    const result = await dispatch('metadata.inspect', {
      source: { kind: 'file', path: '/etc/passwd' },
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.bad_input' } })
    expect(JSON.stringify(result)).not.toContain('root:')
  })

  it('answers an unknown channel with ipc.unknown_channel, including prototype names', async () => {
    const { dispatch } = await setup()
    for (const name of ['nope.nothing', 'constructor', '__proto__']) {
      expect(await dispatch(name, {})).toMatchObject({
        ok: false,
        error: { code: 'ipc.unknown_channel' },
      })
    }
  })

  it('passes an AppError through as its envelope', async () => {
    const { dispatch } = await setup({
      dialogs: {
        pickMetadataFile: async () => {
          throw new AppError('metadata.read_failed', 'Could not read x.xml.', {
            hint: 'Check the file.',
          })
        },
      },
    })
    expect(await dispatch('metadata.pickFile', {})).toEqual({
      ok: false,
      error: {
        code: 'metadata.read_failed',
        message: 'Could not read x.xml.',
        hint: 'Check the file.',
      },
    })
  })

  it('turns an unexpected throw into internal without a stack, and logs the stack redacted', async () => {
    const { dispatch, lines } = await setup({
      clipboard: {
        writeText: async () => {
          throw new Error('boom with Bearer abcdefghijkl')
        },
      },
    })
    const result = await dispatch('clipboard.writeText', { text: 'x' })
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(result)).not.toContain('boom')
    expect(JSON.stringify(result)).not.toContain('at ')
    const log = lines.join('')
    expect(log).toContain('boom')
    expect(log).not.toContain('abcdefghijkl')
  })

  it('logs channel, duration and result code but never the input', async () => {
    const { dispatch, lines } = await setup()
    await dispatch('clipboard.writeText', { text: 'scimc_supersecretvalue-xyz' })
    await dispatch('metadata.inspect', { source: { kind: 'text', text: '<not-metadata-marker/>' } })
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const ipc = records.filter((r) => r.msg === 'ipc')
    expect(ipc.map((r) => [r.channel, r.code])).toEqual([
      ['clipboard.writeText', 'ok'],
      ['metadata.inspect', 'ok'],
    ])
    expect(typeof ipc[0]!.ms).toBe('number')
    expect(lines.join('')).not.toContain('supersecret')
    expect(lines.join('')).not.toContain('not-metadata-marker')
  })

  it('reports app.info from package.json', async () => {
    const { dispatch } = await setup()
    const result = await call(dispatch, 'app.info', {})
    expect(result).toEqual({
      ok: true,
      value: { name: 'scim-console', version: expect.any(String), runtime: 'test' },
    })
  })
})
