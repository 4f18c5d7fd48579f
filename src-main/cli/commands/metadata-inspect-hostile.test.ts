import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test/support/cli-test-io.ts'
import { inspectMetadata } from '../../metadata/inspect-metadata.ts'
import { parseIdpMetadata } from '../../../src-domain/saml-metadata/parse-idp-metadata.ts'
import { IDP_METADATA_DIR } from '../../../test/fixtures/index.ts'

const NOW = new Date('2026-11-22T00:00:00Z')
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'

function codes(text: string | Uint8Array): string[] {
  return parseIdpMetadata(text, { source: 'paste', now: NOW }).findings.map((f) => f.code)
}

describe('entity declarations are refused before any parser sees them', () => {
  const laughs = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    '<!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => {
      const prev = i === 0 ? 'lol' : `lol${i}`
      return `<!ENTITY lol${i + 1} "${`&${prev};`.repeat(10)}">`
    }),
    ']>',
    `<md:EntityDescriptor xmlns:md="${MD}" entityID="&lol9;"/>`,
  ].join('\n')

  it('refuses billion laughs with a DTD finding and expands nothing', () => {
    const m = parseIdpMetadata(laughs, { source: 'paste', now: NOW })
    expect(m.ok).toBe(false)
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.dtd_forbidden'])
    expect(m.entityId).toBeNull()
    expect(JSON.stringify(m)).not.toContain('lollol')
  })

  it.each([
    ['lower-case doctype', '<!doctype x [<!ENTITY a "b">]><x/>'],
    [
      'DOCTYPE after a comment',
      `<!-- hi -->\n<!DOCTYPE md:EntityDescriptor SYSTEM "http://attacker.test/x.dtd"><md:EntityDescriptor xmlns:md="${MD}"/>`,
    ],
    [
      'ENTITY without DOCTYPE',
      `<md:EntityDescriptor xmlns:md="${MD}"><!ENTITY x "y"></md:EntityDescriptor>`,
    ],
    ['whitespace inside the declaration', '<! DOCTYPE x><x/>'],
  ])('refuses %s', (_name, xml) => {
    expect(codes(xml)).toEqual(['metadata.dtd_forbidden'])
  })

  describe('external entity pointing at a real file', () => {
    let dir: string
    let secretPath: string
    let xxePath: string
    const secret = `TOP-SECRET-${randomBytes(12).toString('hex')}`

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'xxe-'))
      secretPath = join(dir, 'secret.txt')
      writeFileSync(secretPath, `${secret}\n`)
      const okta = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'), 'utf8')
      const withXxe = okta
        .replace(/^<\?xml[^>]*\?>/, '')
        .replace('entityID="http://www.okta.com/exkdoocxa1VmjpXmX697"', 'entityID="&xxe;"')
        .replace(/<md:NameIDFormat>/, '<md:NameIDFormat>&xxe;')
      xxePath = join(dir, 'xxe.xml')
      writeFileSync(
        xxePath,
        `<?xml version="1.0"?>\n<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file://${secretPath}">]>\n${withXxe}`,
      )
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('never puts the file contents in the model (parse, file import)', async () => {
      const xml = readFileSync(xxePath)
      const parsed = parseIdpMetadata(xml, { source: 'paste', now: NOW })
      const inspected = await inspectMetadata({ kind: 'file', path: xxePath }, { now: NOW })
      for (const m of [parsed, inspected]) {
        expect(m.ok).toBe(false)
        expect(m.findings[0]?.code).toBe('metadata.dtd_forbidden')
        expect(JSON.stringify(m)).not.toContain(secret)
      }
    })

    it('never puts the file contents in CLI output, human or JSON', async () => {
      for (const extra of [[], ['--json']]) {
        const r = await runCli(['metadata', 'inspect', xxePath, ...extra])
        expect(r.code).toBe(1)
        expect(r.err).toContain('metadata.dtd_forbidden')
        expect(r.out + r.err).not.toContain(secret)
      }
    })

    it('refuses a reference to an undeclared entity when there is no DTD', () => {
      const xml = readFileSync(xxePath, 'utf8').replace(/<!DOCTYPE[^\n]*\n/, '')
      const m = parseIdpMetadata(xml, { source: 'paste', now: NOW })
      expect(m.findings.map((f) => f.code)).toEqual(['metadata.malformed'])
      expect(m.findings[0]?.message).toMatch(/undeclared entity &xxe;/)
      expect(JSON.stringify(m)).not.toContain(secret)
    })

    it('does not follow XInclude', () => {
      const okta = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'), 'utf8')
      const xml = okta.replace(
        '<md:NameIDFormat>',
        `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${secretPath}" parse="text"/><md:NameIDFormat>`,
      )
      const m = parseIdpMetadata(xml, { source: 'paste', now: NOW })
      expect(m.ok).toBe(true)
      expect(JSON.stringify(m)).not.toContain(secret)
    })
  })
})

describe('huge and deep documents', () => {
  it('refuses tens of megabytes of nested elements by depth, without building them', () => {
    const open = `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.example.net">`
    const xml = open + '<a>'.repeat(16_000_000)
    expect(xml.length).toBeGreaterThan(45 * 1024 * 1024)
    const m = parseIdpMetadata(xml, { source: 'paste', now: NOW })
    expect(m.ok).toBe(false)
    expect(m.findings[0]?.code).toBe('metadata.malformed')
    expect(m.findings[0]?.message).toMatch(/nested more than \d+ levels/)
  })

  it('refuses a document over the 50 MB cap without parsing it', () => {
    const bytes = Buffer.alloc(50 * 1024 * 1024 + 1, 0x20)
    bytes.write(`<md:EntityDescriptor xmlns:md="${MD}">`)
    const m = parseIdpMetadata(bytes, { source: 'paste', now: NOW })
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.too_large'])
    expect(m.findings[0]?.message).toMatch(/50 MB/)
    expect(m.sizeBytes).toBe(bytes.length)
  })

  it('honours a smaller cap', () => {
    const okta = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'))
    const m = parseIdpMetadata(okta, { source: 'paste', now: NOW, maxBytes: 1024 })
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.too_large'])
  })
})

describe('truncated files', () => {
  const usable = readFileSync(join(IDP_METADATA_DIR, 'EXPECTED.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((cols) => cols[1] === 'yes')
    .map((cols) => cols[0]!)

  it.each(usable)('%s cut short is refused as malformed', (file) => {
    const xml = readFileSync(join(IDP_METADATA_DIR, file), 'utf8')
    for (const fraction of [0.1, 0.5, 0.97]) {
      const m = parseIdpMetadata(xml.slice(0, Math.floor(xml.length * fraction)), {
        source: 'paste',
        now: NOW,
      })
      expect(m.ok, `${file} at ${fraction}`).toBe(false)
      expect(m.findings[0]?.code, `${file} at ${fraction}`).toBe('metadata.malformed')
    }
  })

  it('says a truncated file looks cut off', () => {
    const xml = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'), 'utf8')
    const m = parseIdpMetadata(xml.slice(0, xml.lastIndexOf('</md:EntityDescriptor>')), {
      source: 'paste',
    })
    expect(m.findings[0]?.message).toMatch(/ends before all its elements are closed/)
    expect(m.findings[0]?.hint).toMatch(/cut off/)
  })
})
