import ipaddr from 'ipaddr.js'
import { isLoopbackHost } from './loopback.ts'

/**
 * What kind of network an IP address belongs to, as far as "may this app connect there on a
 * URL someone else chose" is concerned. Everything that is not plainly a global unicast address
 * is some kind of internal or special-purpose address.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'not-an-address'

/** How each class reads in an error message. */
export const ADDRESS_CLASS_LABEL: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'a loopback address (this machine)',
  private: 'a private-network address (RFC 1918)',
  'link-local': 'a link-local address (such as the cloud metadata service 169.254.169.254)',
  'unique-local': 'an IPv6 unique-local (private-network) address',
  'carrier-grade-nat': 'a carrier-grade NAT address (100.64.0.0/10)',
  multicast: 'a multicast or broadcast address',
  unspecified: 'the unspecified address (0.0.0.0 or ::)',
  reserved: 'a reserved or special-purpose address',
  'not-an-address': 'not an IP address',
}

const IPV4_CLASS: Record<string, AddressClass> = {
  unicast: 'public',
  unspecified: 'unspecified',
  broadcast: 'multicast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade-nat',
  private: 'private',
}

const IPV6_CLASS: Record<string, AddressClass> = {
  unicast: 'public',
  unspecified: 'unspecified',
  linkLocal: 'link-local',
  multicast: 'multicast',
  loopback: 'loopback',
  uniqueLocal: 'unique-local',
  // fec0::/10 was the private range before unique-local addresses replaced it.
  deprecatedSiteLocal: 'unique-local',
}

function classifyV4(addr: ipaddr.IPv4): AddressClass {
  // 0.0.0.0/8 reaches this machine on Linux, like loopback; "unspecified" names it.
  return IPV4_CLASS[addr.range()] ?? 'reserved'
}

/** The last 32 bits of an IPv6 address, for ranges that carry an IPv4 address there. */
function embeddedV4(addr: ipaddr.IPv6): ipaddr.IPv4 {
  const p = addr.parts
  return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff])
}

function classifyV6(addr: ipaddr.IPv6): AddressClass {
  const range = addr.range()
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-translated and NAT64 addresses reach the embedded IPv4
  // address: ::ffff:10.0.0.5 is 10.0.0.5 to the socket layer.
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') {
    return classifyV4(embeddedV4(addr))
  }
  if (range === '6to4') {
    const p = addr.parts
    return classifyV4(new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]))
  }
  // ::a.b.c.d (deprecated IPv4-compatible): never a real destination.
  if (range === 'unicast' && addr.parts.slice(0, 6).every((part) => part === 0)) return 'reserved'
  return IPV6_CLASS[range] ?? 'reserved'
}

/**
 * Classifies an IP address as written by DNS or in a URL (brackets and an IPv6 zone allowed).
 * Only canonical dotted-quad IPv4 is taken: the WHATWG URL parser already turns `127.1` or
 * `0x7f.1` into `127.0.0.1`, and anything else is not an address we would connect to.
 */
export function classifyAddress(raw: string): AddressClass {
  const text = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return classifyV4(ipaddr.IPv4.parse(text))
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) return classifyV6(ipaddr.IPv6.parse(text))
  return 'not-an-address'
}

/** True when the host part of a URL is an IP address rather than a name DNS must resolve. */
export function isIpLiteral(host: string): boolean {
  return classifyAddress(host) !== 'not-an-address'
}

/**
 * A URL "names this machine" when its host is localhost, a 127/8 address or ::1 (also written as
 * an IPv4-mapped address). Such a URL may reach loopback, and only loopback.
 */
export function urlNamesLoopback(url: URL): boolean {
  return isLoopbackHost(url.hostname) || classifyAddress(url.hostname) === 'loopback'
}

/**
 * The outbound-fetch rule: a URL that names this machine may connect only to loopback addresses;
 * any other URL only to public ones. Returns the class that makes `address` forbidden, or
 * undefined when the connection may go ahead.
 */
export function forbiddenAddressClass(
  address: string,
  urlIsLoopback: boolean,
): AddressClass | undefined {
  const cls = classifyAddress(address)
  const allowed: AddressClass = urlIsLoopback ? 'loopback' : 'public'
  return cls === allowed ? undefined : cls
}

/**
 * Private networks, where plain http may be allowed by an explicit opt-in (never the internet).
 * Link-local is left out: nothing an admin configures lives there, the cloud metadata service does.
 */
export function isPrivateNetworkClass(cls: AddressClass): boolean {
  return (
    cls === 'loopback' || cls === 'private' || cls === 'unique-local' || cls === 'carrier-grade-nat'
  )
}
