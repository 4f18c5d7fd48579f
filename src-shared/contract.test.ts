import { describe, expect, it } from 'vitest'
import { errorCodes } from './errors.ts'
import {
  channels,
  contract,
  contractJsonSchema,
  eventNames,
  events,
  isChannel,
} from './contract.ts'

describe('contract', () => {
  it('names every channel and event domain.verb', () => {
    for (const name of [...channels, ...eventNames])
      expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/)
  })

  it('keeps channels and events apart, since both travel on the same IPC namespace', () => {
    expect(channels.filter((c) => (eventNames as string[]).includes(c))).toEqual([])
  })

  it('does not treat prototype keys as channels', () => {
    expect(isChannel('toString')).toBe(false)
    expect(isChannel('__proto__')).toBe(false)
    expect(isChannel('metadata.inspect')).toBe(true)
  })

  it('refuses a file path from the renderer: files arrive as text or through the dialog', () => {
    const input = contract['metadata.inspect'].input
    expect(input.safeParse({ source: { kind: 'file', path: '/etc/passwd' } }).success).toBe(false)
    expect(input.safeParse({ source: { kind: 'text', text: '<x/>', name: 'a.xml' } }).success).toBe(
      true,
    )
    expect(
      input.safeParse({ source: { kind: 'url', url: 'https://idp.example/metadata' } }).success,
    ).toBe(true)
  })

  it('rejects unknown keys on empty inputs so callers notice typos', () => {
    expect(contract['app.info'].input.safeParse({ extra: 1 }).success).toBe(false)
    expect(contract['app.info'].input.safeParse({}).success).toBe(true)
  })

  it('validates event payloads', () => {
    expect(events['app.log'].safeParse({ time: 't', level: 'loud', msg: 'x' }).success).toBe(false)
  })

  it('has error codes for every failure the transports produce', () => {
    for (const code of [
      'ipc.bad_input',
      'ipc.unknown_channel',
      'ipc.forbidden',
      'ipc.unsupported',
      'web.unauthorized',
    ]) {
      expect(errorCodes).toContain(code)
    }
  })

  // A change to any channel's input or output shows up as a diff of this snapshot in review.
  it('matches the JSON Schema snapshot', () => {
    expect(JSON.stringify(contractJsonSchema(), null, 2)).toMatchSnapshot()
  })
})
