import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseFilterSyntax, type CompareOperator, type FilterNode } from './filter-parser.ts'
import { ScimError } from './scim-error.ts'

/**
 * Property tests for the SCIM filter parser. Its time is bounded by construction (no regular
 * expressions, one token of lookahead, filters over 4,096 characters refused before parsing,
 * nesting capped), so these check the contract on arbitrary and adversarial input rather than
 * count work. `FC_NUM_RUNS=20000 npm run fuzz` for a long run; bounded in `npm test`.
 */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 200)

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'pr',
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'true',
  'false',
  'null',
])
const path = fc
  .stringMatching(/^[a-z][a-zA-Z0-9]{0,8}(\.[a-z][a-zA-Z0-9]{0,5})?$/)
  .filter((p) => !KEYWORDS.has(p.toLowerCase()))
const op = fc.constantFrom<CompareOperator>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le')
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 20,
})
const value = fc.oneof(
  printable,
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.boolean(),
  fc.constant(null),
)

const tree = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('compare' as const), path, op, value }),
    fc.record({ type: fc.constant('present' as const), path }),
    fc.record({ type: fc.constant('and' as const), left: tie('node'), right: tie('node') }),
    fc.record({ type: fc.constant('or' as const), left: tie('node'), right: tie('node') }),
    fc.record({ type: fc.constant('not' as const), filter: tie('node') }),
  ),
})).node

function write(node: FilterNode): string {
  switch (node.type) {
    case 'compare':
      return `${node.path} ${node.op} ${typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value)}`
    case 'present':
      return `${node.path} pr`
    case 'and':
    case 'or':
      return `(${write(node.left)}) ${node.type} (${write(node.right)})`
    case 'not':
      return `not (${write(node.filter)})`
    case 'valuePath':
      return `${node.path}[${write(node.filter)}]`
  }
}

/** The parser keeps an unquoted value's text as `raw`; the tree written here does not have it. */
function withoutRaw(node: FilterNode): unknown {
  return JSON.parse(JSON.stringify(node, (k, v: unknown) => (k === 'raw' ? undefined : v)))
}

function outcome(text: string): FilterNode | ScimError {
  try {
    return parseFilterSyntax(text)
  } catch (err) {
    if (err instanceof ScimError) return err
    throw err
  }
}

describe('parseFilterSyntax (properties)', () => {
  it('reads back every filter tree it is given, written out', () => {
    fc.assert(
      fc.property(tree, (node) => {
        const text = write(node)
        fc.pre(text.length <= 4096)
        expect(withoutRaw(parseFilterSyntax(text))).toEqual(withoutRaw(node))
      }),
      { numRuns: RUNS },
    )
  })

  it('answers any text with a tree or a 400 invalidFilter naming the problem, never another error', () => {
    const filterish = fc.string({
      unit: fc.constantFrom(
        'a',
        'b',
        ' ',
        '(',
        ')',
        '[',
        ']',
        '"',
        '\\',
        '.',
        ':',
        'eq',
        'and',
        'or',
        'not',
        'pr',
        '1',
        'true',
      ),
      maxLength: 80,
    })
    fc.assert(
      fc.property(fc.oneof(filterish, fc.string({ unit: 'binary', maxLength: 80 })), (text) => {
        const r = outcome(text)
        if (r instanceof ScimError) {
          expect(r.status).toBe(400)
          expect(r.scimType).toBe('invalidFilter')
          expect(r.message).toMatch(/^Invalid filter/)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('refuses adversarial shapes before they cost anything: over-long, deeply nested, unclosed', () => {
    const adversarial = fc.oneof(
      fc.integer({ min: 4097, max: 200_000 }).map((n) => `userName eq "${'a'.repeat(n)}"`),
      fc.integer({ min: 51, max: 1000 }).map((n) => `${'('.repeat(n)}a pr${')'.repeat(n)}`),
      fc.integer({ min: 1, max: 4000 }).map((n) => `a eq "${'\\"'.repeat(n >> 1)}`),
      fc.integer({ min: 1, max: 1000 }).map((n) => 'a pr and '.repeat(n)),
      fc.integer({ min: 1, max: 2000 }).map((n) => '['.repeat(n)),
    )
    fc.assert(
      fc.property(adversarial, (text) => {
        const r = outcome(text)
        expect(r).toBeInstanceOf(ScimError)
        expect((r as ScimError).scimType).toBe('invalidFilter')
        // The echo of the filter in the message is cut, so a huge filter gives a short answer.
        expect((r as ScimError).message.length).toBeLessThan(600)
      }),
      { numRuns: RUNS },
    )
  })
})
