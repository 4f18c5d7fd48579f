import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import {
  forgetSecret,
  redact,
  REDACTED,
  redactCapped,
  redactionSteps,
  redactString,
  redactsToItself,
  registerSecret,
} from './redact.ts'

// src-shared is typed without Node (it also builds for the renderer); the test runs in Node.
interface NodeProcess {
  env: Record<string, string | undefined>
  cpuUsage(previous?: { user: number; system: number }): { user: number; system: number }
}
const proc = (globalThis as unknown as { process: NodeProcess }).process

/** `FC_NUM_RUNS=20000 npm run fuzz` for a long run; bounded in `npm test`. */
const RUNS = Number(proc.env.FC_NUM_RUNS ?? 200)

// Text around the secrets: separated from them by a space so that it cannot extend a token.
const prose = fc.string({
  unit: fc.constantFrom(...'ab .:/-+?&="\'\\{}[]@#Bearer'.split(''), 'Bearer ', '://', 'x y'),
  maxLength: 60,
})
/** Token-shaped: from the token alphabet, at least 8 long, with a digit so it is not a word. */
const token = fc
  .stringMatching(/^[\w.~+/=-]{8,40}$/)
  .map((t) => `${t}7`)
  .filter((t) => !/^[A-Za-z][a-z]*$/.test(t))
const secretValue = fc.stringMatching(/^[A-Za-z0-9]{10,30}$/).map((s) => `S3cr${s}`)

/** Each shape embeds the secret (adapted to its alphabet) and says what must not survive. */
type Shape = (secret: string) => { text: string; secret: string }
const keep = (s: string, bad: RegExp): string => s.replace(bad, 'x')
const shapes: [string, Shape][] = [
  ['Authorization: Bearer', (s) => ({ text: `Authorization: Bearer ${s}`, secret: s })],
  ['lower-case bearer', (s) => ({ text: `bearer ${s}0123456789`, secret: `${s}0123456789` })],
  ['Basic', (s) => ({ text: `Basic ${s}`, secret: s })],
  [
    'scimc_ token',
    (s) => ({ text: `scimc_${keep(s, /[^\w-]/g)}0`, secret: `${keep(s, /[^\w-]/g)}0` }),
  ],
  [
    'URL password',
    (s) => ({
      text: `https://admin:${keep(s, /[/?#@:]/g)}@host.example/x`,
      secret: keep(s, /[/?#@:]/g),
    }),
  ],
  [
    'query secret',
    (s) => ({ text: `/cb?access_token=${keep(s, /[&#]/g)}&x=1`, secret: keep(s, /[&#]/g) }),
  ],
  [
    'JSON password',
    (s) => ({ text: `{"password" : "${keep(s, /["\\]/g)}", "x": 1}`, secret: keep(s, /["\\]/g) }),
  ],
  [
    'JSON cut off in the password',
    (s) => ({ text: `{"password":"${keep(s, /["\\]/g)}`, secret: keep(s, /["\\]/g) }),
  ],
]

afterAll(() => forgetSecret('registered-S3cret-value'))

describe('redactString (properties)', () => {
  for (const [name, shape] of shapes) {
    it(`never lets a credential through: ${name}, anywhere in arbitrary text`, () => {
      fc.assert(
        fc.property(prose, token, prose, (before, raw, after) => {
          const { text, secret } = shape(`Q9${raw}`)
          const out = redactString(`${before} ${text} ${after}`)
          expect(out).toContain(REDACTED)
          expect(out).not.toContain(secret)
        }),
        { numRuns: RUNS },
      )
    })
  }

  it('never lets a registered secret through, and forgets it on request', () => {
    registerSecret('registered-S3cret-value')
    fc.assert(
      fc.property(prose, prose, (a, b) => {
        expect(redactString(`${a}registered-S3cret-value${b}`)).not.toContain(
          'registered-S3cret-value',
        )
      }),
      { numRuns: RUNS },
    )
  })

  it('a password value in JSON text never survives, whatever the value holds', () => {
    fc.assert(
      fc.property(secretValue, prose, (secret, noise) => {
        const body = JSON.stringify({ userName: noise, password: `${secret}${noise}` })
        expect(redactString(body)).not.toContain(secret)
        expect(redactCapped(body, body.indexOf(secret) + 6)).not.toContain(secret.slice(0, 6))
      }),
      { numRuns: RUNS },
    )
  })

  it('is idempotent and leaves text without credentials unchanged in length order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), prose, (a, b) => {
        const once = redactString(a + b)
        expect(redactString(once)).toBe(once)
      }),
      { numRuns: RUNS },
    )
  })

  it('runs a pattern only where its literal occurs, with the same result as running all of them', () => {
    // Text made of the patterns' literals and the characters around them, in any case, so that
    // every pattern matches somewhere in many of the texts and near-misses are common.
    const piece = fc.constantFrom(
      ...['Bearer ', 'bAsIc ', 'scimc_', 'SCIMC_', '://', '@', ':', '?', '&', '=', '"', ' ', 'x'],
      ...['Token', 'password', 'PASSWORD', 'api_key', 'abcdefgh1234', 'Q9-._~+/', '\\', '\n'],
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('')
        const everyPattern = redactionSteps.reduce((out, step) => step.apply(out), text)
        expect(redactString(text)).toBe(everyPattern)
      }),
      { numRuns: RUNS * 5 },
    )
  })

  it('redactsToItself never says so of a value that redact() changes', () => {
    // JSON values made of the patterns' literals, header names and ordinary text, as keys and
    // values, so that both answers are common (the second property keeps this from passing
    // vacuously).
    registerSecret('registered-S3cret-value')
    const piece = fc.constantFrom(
      ...['Bearer ', 'basic ', 'scimc_abcdefghij', '://', 'u:p@', '?', '&', '=', 'x', ' ', '.'],
      ...['token', 'Password', 'authorization', 'Cookie', 'name', 'value', 'abcdefgh1234'],
      ...['"', '\\', '\n', 'é', 'registered-S3cret-value', 'seed.1@bench.example', 'http://h:1/'],
      // Whole keys and values that only the structure or an escape gives away.
      ...[
        'token',
        'Password',
        'Authorization',
        'name',
        'value',
        'token=1',
        'Basic\tabcdefgh12',
        '\tscimc_abcdefghij',
        'quoted"S3cret-value',
        'tab\tS3cret-value',
        'Basic abcdefgh12',
        'https://u:pw@h/',
      ],
    )
    const text = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''))
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.boolean(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(
          text.map((t) => t.trim()),
          tie('node'),
          { maxKeys: 3 },
        ),
      ),
    })).node
    // Twice: with no registered secret that JSON would escape, then with two.
    for (const escaped of [false, true]) {
      if (escaped) {
        registerSecret('quoted"S3cret-value')
        registerSecret('tab\tS3cret-value')
      }
      let unchanged = 0
      fc.assert(
        fc.property(value, (v) => {
          if (!redactsToItself(JSON.stringify(v))) return
          unchanged++
          expect(redact(v)).toEqual(v)
        }),
        { numRuns: RUNS * 20 },
      )
      expect(unchanged).toBeGreaterThan(RUNS)
    }
    forgetSecret('quoted"S3cret-value')
    forgetSecret('tab\tS3cret-value')
    // What a listed user looks like: an e-mail, a location URL, a quoted ETag.
    const user = { userName: 'a@b.example', meta: { location: 'http://h:1/x', version: 'W/"1"' } }
    expect(redactsToItself(JSON.stringify(user))).toBe(true)
  })

  it('keeps ordinary words after Bearer (app names, prose)', () => {
    const word = fc.oneof(
      fc.stringMatching(/^[A-Z][a-z]{1,20}$/),
      fc.stringMatching(/^[a-z]{1,7}$/),
    )
    fc.assert(
      fc.property(word, (w) => {
        const text = `SCIM Test App (OAuth Bearer ${w})`
        expect(redactString(text)).toBe(text)
      }),
      { numRuns: RUNS },
    )
  })
})

/**
 * Linear time, measured as a ratio of CPU time (the regexes run inside V8, so there is no step
 * count to read): 16 times the input must cost well under 64 times the CPU, where the quadratic
 * pattern of issue #12 cost 256 times. Each size takes the fastest of five runs. Not a time limit:
 * on a slow machine both sides slow down together.
 */
describe('redactString grows linearly on adversarial input', () => {
  const cpu = (text: string): number => {
    let best = Infinity
    for (let run = 0; run < 5; run++) {
      const t = proc.cpuUsage()
      redactString(text)
      const d = proc.cpuUsage(t)
      best = Math.min(best, d.user + d.system)
    }
    return Math.max(best, 50)
  }
  const units = ['a.', 'a-', 'A+', 'a:', '://a:', '"password":"', 'Bearer ', 'scimc_', '?token=']
  for (const unit of units) {
    it(`${JSON.stringify(unit)} repeated`, () => {
      const small = unit.repeat(Math.ceil(32_000 / unit.length))
      const large = unit.repeat(Math.ceil(512_000 / unit.length))
      cpu(small) // warm up the regex compilation
      expect(cpu(large) / cpu(small)).toBeLessThan(64)
    })
  }
})
