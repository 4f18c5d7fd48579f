import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  classifyAddress,
  forbiddenAddressClass,
  isPrivateNetworkClass,
  urlNamesLoopback,
  type AddressClass,
} from './address-policy.ts'

describe('classifyAddress', () => {
  it.each<[string, AddressClass]>([
    // IPv4
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.255', 'carrier-grade-nat'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    // IPv6
    ['2606:4700:4700::1111', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['[fd00::1]', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['fec0::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'reserved'],
    // IPv6 forms that carry an IPv4 address reach that address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:0a00:0005::1', 'private'],
    ['2002:0808:0808::1', 'public'],
    // ipaddr.js reads ::a.b.c.d as IPv4-mapped; either way it is not public
    ['::10.0.0.5', 'private'],
    ['::a00:5', 'reserved'],
    // not addresses
    ['localhost', 'not-an-address'],
    ['idp.example.com', 'not-an-address'],
    ['127.1', 'not-an-address'],
    ['0x7f.0.0.1', 'not-an-address'],
    ['', 'not-an-address'],
    ['1.2.3.4.5', 'not-an-address'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected)
  })

  it('classifies an IPv4 address and its IPv4-mapped IPv6 form alike (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number]
        const hex = `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
        expect(classifyAddress(`::ffff:${v4}`)).toBe(classifyAddress(v4))
        expect(classifyAddress(hex)).toBe(classifyAddress(v4))
      }),
      { numRuns: 2000 },
    )
  })

  it('never calls an RFC 1918, loopback, link-local or CGNAT IPv4 address public (property)', () => {
    const internal = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
    )
    fc.assert(
      fc.property(internal, (octets) => {
        const address = octets.join('.')
        expect(classifyAddress(address)).not.toBe('public')
        expect(classifyAddress(`::ffff:${address}`)).not.toBe('public')
        expect(forbiddenAddressClass(address, false)).toBeDefined()
      }),
      { numRuns: 2000 },
    )
  })

  it('never calls an fc00::/7, fe80::/10 or ff00::/8 address public (property)', () => {
    const group = fc.integer({ min: 0, max: 0xffff })
    const internal = fc.tuple(
      fc.oneof(
        fc.integer({ min: 0xfc00, max: 0xfdff }),
        fc.integer({ min: 0xfe80, max: 0xfebf }),
        fc.integer({ min: 0xff00, max: 0xffff }),
      ),
      fc.array(group, { minLength: 7, maxLength: 7 }),
    )
    fc.assert(
      fc.property(internal, ([first, rest]) => {
        const address = [first, ...rest].map((g) => g.toString(16)).join(':')
        expect(classifyAddress(address)).not.toBe('public')
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws, whatever the string (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(typeof classifyAddress(text)).toBe('string')
      }),
      { numRuns: 3000 },
    )
  })
})

describe('forbiddenAddressClass', () => {
  it('lets a URL naming another host reach public addresses only', () => {
    expect(forbiddenAddressClass('8.8.8.8', false)).toBeUndefined()
    expect(forbiddenAddressClass('127.0.0.1', false)).toBe('loopback')
    expect(forbiddenAddressClass('10.0.0.5', false)).toBe('private')
  })

  it('lets a URL naming this machine reach loopback only', () => {
    expect(forbiddenAddressClass('127.0.0.1', true)).toBeUndefined()
    expect(forbiddenAddressClass('::1', true)).toBeUndefined()
    expect(forbiddenAddressClass('8.8.8.8', true)).toBe('public')
    expect(forbiddenAddressClass('192.168.1.1', true)).toBe('private')
  })
})

describe('urlNamesLoopback', () => {
  it.each([
    ['http://localhost:3000/x', true],
    ['http://127.0.0.1/x', true],
    ['http://127.1/x', true],
    ['http://[::1]/x', true],
    ['http://[::ffff:127.0.0.1]/x', true],
    ['http://localhost.attacker.test/x', false],
    ['http://10.0.0.1/x', false],
    ['https://idp.example.com/x', false],
  ])('%s -> %s', (url, expected) => {
    expect(urlNamesLoopback(new URL(url))).toBe(expected)
  })
})

describe('isPrivateNetworkClass', () => {
  it('takes RFC 1918, unique-local, CGNAT and loopback; never public, link-local or multicast', () => {
    expect(isPrivateNetworkClass(classifyAddress('10.1.2.3'))).toBe(true)
    expect(isPrivateNetworkClass(classifyAddress('fd12::1'))).toBe(true)
    expect(isPrivateNetworkClass(classifyAddress('100.64.1.1'))).toBe(true)
    expect(isPrivateNetworkClass(classifyAddress('127.0.0.1'))).toBe(true)
    expect(isPrivateNetworkClass(classifyAddress('8.8.8.8'))).toBe(false)
    expect(isPrivateNetworkClass(classifyAddress('169.254.169.254'))).toBe(false)
    expect(isPrivateNetworkClass(classifyAddress('224.0.0.1'))).toBe(false)
  })
})
