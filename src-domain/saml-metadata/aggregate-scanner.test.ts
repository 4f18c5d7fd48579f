import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { entityDocument, scanAggregate } from './aggregate-scanner.ts'
import { parseIdpMetadata } from './parse-idp-metadata.ts'
import { MD_NS, parseXmlTree } from './xml-tree.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

const NOW = new Date('2026-11-22T00:00:00Z')
const SWITCH = readFileSync(
  join(IDP_METADATA_DIR, 'shibboleth-switch-aaitest-signed-aggregate.xml'),
  'utf8',
)
/** A comment before the root pushes the document past the fast-path threshold without touching what is signed. */
const PADDED = SWITCH.replace(
  /(<\?xml[^>]*\?>)?/,
  (decl) => `${decl}\n<!-- ${'pad '.repeat(300_000)} -->\n`,
)

function comparable(m: IdpMetadata): Omit<IdpMetadata, 'sizeBytes' | 'signature'> {
  const { sizeBytes: _s, signature: _sig, ...rest } = m
  return rest
}

describe('the fast path for large aggregates gives the same model as the tree', () => {
  it('is really exercised (the padded copy is over 2 MB)', () => {
    expect(PADDED.length).toBeGreaterThan(2 * 1024 * 1024)
    expect(SWITCH.length).toBeLessThan(2 * 1024 * 1024)
  })

  it('lists the same IdPs and asks for a choice', () => {
    const slow = parseIdpMetadata(SWITCH, { source: 'paste', now: NOW })
    const fast = parseIdpMetadata(PADDED, { source: 'paste', now: NOW })
    expect(fast.idps).toHaveLength(35)
    expect(comparable(fast)).toEqual(comparable(slow))
  })

  it.each([0, 34])('builds the same model for IdP #%i', (index) => {
    const entityId = parseIdpMetadata(SWITCH, { source: 'paste', now: NOW }).idps[index]!
    const slow = parseIdpMetadata(SWITCH, { source: 'paste', now: NOW, entityId })
    const fast = parseIdpMetadata(PADDED, { source: 'paste', now: NOW, entityId })
    expect(fast.ok).toBe(true)
    expect(fast.entityId).toBe(entityId)
    expect(comparable(fast)).toEqual(comparable(slow))
    expect(fast.signature.signed).toBe(true)
  })

  it('refuses an unknown entity ID and an SP the same way', () => {
    for (const entityId of [
      'https://nope.example/idp',
      'https://aai-viewer.switch.ch/shibboleth',
    ]) {
      const slow = parseIdpMetadata(SWITCH, { source: 'paste', now: NOW, entityId })
      const fast = parseIdpMetadata(PADDED, { source: 'paste', now: NOW, entityId })
      expect(comparable(fast)).toEqual(comparable(slow))
    }
  })

  it('refuses a large aggregate cut short, and one with a mismatched tag', () => {
    const cut = parseIdpMetadata(PADDED.slice(0, Math.floor(PADDED.length * 0.8)), {
      source: 'paste',
    })
    expect(cut.findings.map((f) => f.code)).toEqual(['metadata.malformed'])
    expect(cut.findings[0]?.hint).toMatch(/cut off/)
    const broken = parseIdpMetadata(
      PADDED.replace(/<\/(\w+:)?IDPSSODescriptor>/, '</$1IDPSSODescriptorX>'),
      {
        source: 'paste',
      },
    )
    expect(broken.findings.map((f) => f.code)).toEqual(['metadata.malformed'])
    expect(broken.findings[0]?.message).toMatch(/line \d+, column \d.*IDPSSODescriptorX/)
  })
})

describe('scanAggregate and entityDocument', () => {
  const DS = 'http://www.w3.org/2000/09/xmldsig#'
  const doc = `<?xml version="1.0"?>
<!-- a comment with <EntityDescriptor> inside -->
<EntitiesDescriptor xmlns="${MD_NS}" xmlns:ds="${DS}" validUntil="2030-01-01T00:00:00Z">
  <ds:Signature><ds:SignedInfo/></ds:Signature>
  <EntitiesDescriptor cacheDuration="PT1H">
    <EntityDescriptor entityID="https://a.example.net/idp" attr='with > inside'>
      <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><![CDATA[ <not-a-tag> ]]></IDPSSODescriptor>
    </EntityDescriptor>
  </EntitiesDescriptor>
  <md:EntityDescriptor xmlns:md="${MD_NS}" xmlns="urn:other" entityID="https://b.example.net/sp">
    <md:SPSSODescriptor/>
    <IDPSSODescriptor/>
  </md:EntityDescriptor>
  <EntityDescriptor entityID="https://c.example.net/empty"/>
</EntitiesDescriptor>`

  it('lists entities with their IdP role, offsets and enclosing attributes', () => {
    const scan = scanAggregate(doc)
    expect(scan).toMatchObject({ rootLocal: 'EntitiesDescriptor', rootNs: MD_NS, rootSigned: true })
    expect(scan.entities.map((e) => [e.entityId, e.isIdp])).toEqual([
      ['https://a.example.net/idp', true],
      // IDPSSODescriptor here is in urn:other (the default namespace was redeclared).
      ['https://b.example.net/sp', false],
      ['https://c.example.net/empty', false],
    ])
    expect(scan.entities[0]?.ancestors).toEqual([
      { validUntil: '2030-01-01T00:00:00Z', cacheDuration: undefined },
      { validUntil: undefined, cacheDuration: 'PT1H' },
    ])
    const a = scan.entities[0]!
    expect(doc.slice(a.start, a.end)).toMatch(/^<EntityDescriptor[\s\S]*<\/EntityDescriptor>$/)
    const c = scan.entities[2]!
    expect(doc.slice(c.start, c.end)).toBe(
      '<EntityDescriptor entityID="https://c.example.net/empty"/>',
    )
  })

  it('carries inherited namespaces into the entity slice, letting its own declarations win', () => {
    const scan = scanAggregate(doc)
    const a = parseXmlTree(entityDocument(doc, scan.entities[0]!))
    expect([a.ns, a.local]).toEqual([MD_NS, 'EntityDescriptor'])
    expect(a.first(MD_NS, 'IDPSSODescriptor')).toBeDefined()
    const b = parseXmlTree(entityDocument(doc, scan.entities[1]!))
    expect(b.ns).toBe(MD_NS)
    expect(b.first(MD_NS, 'IDPSSODescriptor')).toBeUndefined()
    expect(b.children().find((c) => c.local === 'IDPSSODescriptor')?.ns).toBe('urn:other')
  })

  it.each([
    ['<a><b></a>', /unexpected closing tag a/],
    ['<a><b>', /ends before/],
    ['<a/><b/>', /more than one root/],
    ['<a><!-- open', /ends before/],
    [`<a>${'<x>'.repeat(100)}`, /nested more than 64 levels/],
  ])('refuses %j', (xml, message) => {
    expect(() => scanAggregate(xml)).toThrow(message)
  })
})
