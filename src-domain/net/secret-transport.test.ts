import { describe, expect, it } from 'vitest'
import type { HostLookup } from './checked-destination.ts'
import { plainHttpRefusal, plainHttpRefusalAfterDns } from './secret-transport.ts'

const opts = (allowInsecureHttp: boolean) => ({
  allowInsecureHttp,
  what: 'the admin key',
  optIn: 'pass --allow-insecure-http',
})

describe('plainHttpRefusal', () => {
  it.each([
    ['https://scim.example.com/admin/v1', false],
    ['http://127.0.0.1:8787/admin/v1', false],
    ['http://localhost:8787/admin/v1', false],
    ['http://[::1]:8787/admin/v1', false],
    ['http://10.0.0.5/admin/v1', true],
    ['http://scim.example.com/admin/v1', true],
  ])('%s without the opt-in: refused = %s', (url, refused) => {
    const r = plainHttpRefusal(new URL(url), opts(false))
    expect(r !== undefined).toBe(refused)
    if (r) {
      expect(r.details.reason).toBe('plain_http')
      expect(r.hint).toContain('pass --allow-insecure-http')
      expect(r.hint).toContain(url.replace('http:', 'https:'))
    }
  })

  it.each([
    ['http://10.0.0.5/admin/v1', undefined],
    ['http://192.168.1.20:8787/admin/v1', undefined],
    ['http://[fd12::5]/admin/v1', undefined],
    ['http://100.64.3.4/admin/v1', undefined],
    ['http://8.8.8.8/admin/v1', 'public_network'],
    ['http://169.254.169.254/admin/v1', 'public_network'],
    ['http://224.0.0.1/admin/v1', 'public_network'],
    // a name is decided after DNS
    ['http://scim.lan/admin/v1', undefined],
  ])('%s with the opt-in: %s', (url, reason) => {
    expect(plainHttpRefusal(new URL(url), opts(true))?.details.reason).toBe(reason)
  })
})

describe('plainHttpRefusalAfterDns (fake DNS only)', () => {
  const dns =
    (...addresses: string[]): HostLookup =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))

  it('takes a name that resolves to private addresses only', async () => {
    const url = new URL('http://scim.lan/admin/v1')
    expect(
      await plainHttpRefusalAfterDns(url, { ...opts(true), lookup: dns('10.1.2.3', 'fd00::7') }),
    ).toBeUndefined()
  })

  it('refuses a name with any public address, naming it', async () => {
    const r = await plainHttpRefusalAfterDns(new URL('http://scim.lan/admin/v1'), {
      ...opts(true),
      lookup: dns('10.1.2.3', '93.184.216.34'),
    })
    expect(r?.message).toMatch(/93\.184\.216\.34 \(scim\.lan resolves to it\)/)
  })

  it('does not ask DNS for https or without the opt-in', async () => {
    let asked = false
    const lookup: HostLookup = async () => {
      asked = true
      return []
    }
    await plainHttpRefusalAfterDns(new URL('https://scim.example.com'), { ...opts(true), lookup })
    await plainHttpRefusalAfterDns(new URL('http://scim.example.com'), { ...opts(false), lookup })
    expect(asked).toBe(false)
  })
})
