import { describe, expect, it } from 'vitest'
import { channels, eventNames, type Channel, type EventName } from '../src-shared/contract.ts'
import { buildApi } from './build-api.ts'

// Electron cannot run here, so the preload's builder is tested with a fake invoke/subscribe in
// place of ipcRenderer; src-preload/index.ts only wires the real ones in.
describe('buildApi with a fake ipcRenderer', () => {
  it('exposes exactly the contract channels plus `on`, and nothing else', () => {
    const api = buildApi(
      async () => ({ ok: true, value: null }),
      () => () => {},
    )
    expect(Object.keys(api).sort()).toEqual([...channels, 'on'].sort())
    expect(api).not.toHaveProperty('invoke')
    expect(api).not.toHaveProperty('send')
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('invokes the channel of the same name and returns the envelope unchanged', async () => {
    const calls: [Channel, unknown][] = []
    const api = buildApi(
      async (channel, input) => {
        calls.push([channel, input])
        return { ok: true, value: { name: 'scim-console', version: '1', runtime: 'x' } }
      },
      () => () => {},
    )
    expect(await api['app.info']({})).toEqual({
      ok: true,
      value: { name: 'scim-console', version: '1', runtime: 'x' },
    })
    await api['metadata.inspect']({ source: { kind: 'url', url: 'https://idp.example/md' } })
    expect(calls).toEqual([
      ['app.info', {}],
      ['metadata.inspect', { source: { kind: 'url', url: 'https://idp.example/md' } }],
    ])
  })

  it('turns a rejected invoke into an internal envelope instead of throwing', async () => {
    const api = buildApi(
      () => Promise.reject(new Error('No handler registered')),
      () => () => {},
    )
    expect(await api['app.info']({})).toMatchObject({ ok: false, error: { code: 'internal' } })
  })

  it('subscribes only to contract events and hands back an unsubscribe', () => {
    const subscribed: EventName[] = []
    let unsubscribed = 0
    const api = buildApi(
      async () => null,
      (event) => {
        subscribed.push(event)
        return () => unsubscribed++
      },
    )
    const off = api.on('app.log', () => {})
    off()
    expect(subscribed).toEqual(['app.log'])
    expect(unsubscribed).toBe(1)
    expect(() => (api.on as (e: string, l: () => void) => void)('anything.else', () => {})).toThrow(
      /Unknown event/,
    )
    expect(eventNames).toContain('app.log')
  })
})
