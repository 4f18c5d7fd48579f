import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { metadataFindingCodes } from '../../src-shared/metadata.ts'
import { parseAttrs, scanAggregate } from './aggregate-scanner.ts'
import { guardDocument } from './document-guard.ts'
import { measureMarkup } from './markup-shape.ts'
import { parseIdpMetadata } from './parse-idp-metadata.ts'
import { parseXmlTree, XmlSyntaxError } from './xml-tree.ts'

/** `FC_NUM_RUNS=20000 npm run fuzz` for a long run; bounded in `npm test`. */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 100)
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'
const KNOWN_CODES = new Set<string>([
  ...metadataFindingCodes.error,
  ...metadataFindingCodes.warning,
  ...metadataFindingCodes.info,
])

/** Text made of the characters markup is built from, so that it often looks almost like XML. */
const markupish = fc.string({
  unit: fc.constantFrom(
    '<',
    '>',
    '/',
    '!',
    '?',
    '-',
    '[',
    ']',
    '"',
    "'",
    '=',
    ' ',
    'a',
    ':',
    'md',
    'A',
  ),
  maxLength: 300,
})

/** Families of hostile text: a unit repeated, inside a start tag or at top level. */
const hostileUnits = [
  'A',
  'a b',
  'a="',
  "'",
  '<',
  '<a',
  '<!--',
  '<![CDATA[',
  '<?',
  ' x="1"',
  '</a>',
  '<a>',
  'xmlns:p="u" ',
]
function hostile(unit: string, n: number): string {
  return `<md:EntitiesDescriptor xmlns:md="${MD}" ${unit.repeat(n)}>`
}

describe('metadata guard and aggregate scanner (properties)', () => {
  it('parseIdpMetadata never throws: any text gives a model whose findings all have known codes', () => {
    fc.assert(
      fc.property(fc.oneof(markupish, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const model = parseIdpMetadata(`<md:EntityDescriptor xmlns:md="${MD}">${text}`, {
          source: 'paste',
        })
        for (const f of model.findings) expect(KNOWN_CODES.has(f.code), f.code).toBe(true)
        expect(model.ok).toBe(model.findings.every((f) => f.severity !== 'error'))
      }),
      { numRuns: RUNS },
    )
  })

  it('scanAggregate either lists entities or throws XmlSyntaxError with a reason code', () => {
    fc.assert(
      fc.property(markupish, (text) => {
        try {
          scanAggregate(text)
        } catch (err) {
          expect(err).toBeInstanceOf(XmlSyntaxError)
          expect(['too_deep', 'truncated', 'syntax']).toContain((err as XmlSyntaxError).reason)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('over-deep nesting is refused with the reason code too_deep, by the scanner and the tree parser', () => {
    const deep = `<md:EntitiesDescriptor xmlns:md="${MD}">${'<a>'.repeat(100)}`
    for (const read of [() => scanAggregate(deep), () => parseXmlTree(deep)]) {
      let err: unknown
      try {
        read()
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(XmlSyntaxError)
      expect((err as XmlSyntaxError).reason).toBe('too_deep')
    }
    const cut = `<md:EntitiesDescriptor xmlns:md="${MD}"><a>`
    expect(() => scanAggregate(cut)).toThrow(expect.objectContaining({ reason: 'truncated' }))
  })

  it('parseAttrs reads the same pairs as the regex it replaced, on well-formed attribute lists', () => {
    // The old, quadratic pattern, as the oracle on short inputs only.
    // eslint-disable-next-line regexp/no-super-linear-move
    const OLD = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g
    const name = fc.stringMatching(/^[A-Za-z_][\w.:-]{0,8}$/)
    const value = fc.string({
      unit: fc.constantFrom('a', ' ', '&amp;', "'", '/', '='),
      maxLength: 8,
    })
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value, fc.constantFrom(' ', '\n', '  ')), { maxLength: 6 }),
        (pairs) => {
          const text = pairs
            .map(([n, v, gap]) => `${gap}${n}=${v.includes("'") ? `"${v}"` : `'${v}'`}`)
            .join('')
          const expected: Record<string, string> = {}
          for (const m of text.matchAll(OLD))
            expected[m[1]!] = (m[2] ?? m[3] ?? '').replace(/&amp;/g, '&')
          expect({ ...parseAttrs(text) }).toEqual(expected)
        },
      ),
      { numRuns: RUNS },
    )
  })

  for (const unit of hostileUnits) {
    it(`linear work on ${JSON.stringify(unit)} repeated: the guard's shape pass and the scanner`, () => {
      const work = (n: number): { shape: number; scan: number } => {
        const text = hostile(unit, n)
        const shape = { steps: 0 }
        measureMarkup(text, { maxElements: Infinity, maxAttributesPerElement: Infinity }, shape)
        const scan = { steps: 0 }
        try {
          scanAggregate(text, scan)
        } catch {
          // Refusing is fine; the work it took to refuse is what is measured.
        }
        return { shape: shape.steps, scan: scan.steps }
      }
      for (const n of [5_000, 20_000]) {
        const one = work(n)
        const two = work(2 * n)
        const len = hostile(unit, 2 * n).length
        expect(two.shape).toBeLessThanOrEqual(2.2 * one.shape + 10)
        expect(two.scan).toBeLessThanOrEqual(2.2 * one.scan + 10)
        expect(two.shape).toBeLessThanOrEqual(2 * len + 10)
        expect(two.scan).toBeLessThanOrEqual(4 * len + 10)
      }
    })
  }

  it('the guard refuses documents over the element or attribute caps with metadata.too_complex', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        (cap, extra) => {
          const attrs = Array.from({ length: cap + extra }, (_, i) => ` a${i}="v"`).join('')
          const tooWide = guardDocument(`<md:EntityDescriptor xmlns:md="${MD}"${attrs}/>`, {
            limits: { maxAttributesPerElement: cap + 1 },
          })
          expect(tooWide.ok).toBe(false)
          if (!tooWide.ok) expect(tooWide.finding.code).toBe('metadata.too_complex')
          const kids = '<a/>'.repeat(cap + extra)
          const tooMany = guardDocument(
            `<md:EntityDescriptor xmlns:md="${MD}">${kids}</md:EntityDescriptor>`,
            {
              limits: { maxElements: cap },
            },
          )
          expect(tooMany.ok).toBe(false)
          const fine = guardDocument(
            `<md:EntityDescriptor xmlns:md="${MD}">${kids}</md:EntityDescriptor>`,
            {
              limits: { maxElements: cap + extra + 1 },
            },
          )
          expect(fine.ok).toBe(true)
        },
      ),
      { numRuns: RUNS },
    )
  })
})
