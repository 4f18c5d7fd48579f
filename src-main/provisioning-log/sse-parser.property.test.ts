import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SseParser, type SseMessage, type WorkCounter } from './sse-parser.ts'

/** `FC_NUM_RUNS=20000 npm run fuzz` for a long run; bounded in `npm test`. */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 200)

const lineText = fc.string({
  unit: fc.constantFrom('a', ' ', ':', 'é', '{', '"', '\0'),
  maxLength: 20,
})
const message = fc.record({
  event: fc.option(fc.stringMatching(/^[a-z]{1,10}$/), { nil: undefined }),
  id: fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: undefined }),
  data: fc.array(lineText, { minLength: 1, maxLength: 4 }),
})
const eol = fc.constantFrom('\n', '\r\n', '\r')

function feedAll(
  chunks: string[],
  limits?: { maxLineChars?: number; maxEventChars?: number },
  work?: WorkCounter,
): { messages: SseMessage[]; oversize: string[] } {
  const messages: SseMessage[] = []
  const oversize: string[] = []
  const p = new SseParser(
    { message: (m) => messages.push(m), oversize: (what) => oversize.push(what) },
    limits,
    work,
  )
  for (const c of chunks) p.feed(c)
  return { messages, oversize }
}

/** Cuts `text` at the given fractions into chunks (any cut, including inside CRLF). */
function cut(text: string, fractions: number[]): string[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * text.length)))].sort(
    (a, b) => a - b,
  )
  const out: string[] = []
  let from = 0
  for (const p of points) {
    out.push(text.slice(from, p))
    from = p
  }
  out.push(text.slice(from))
  return out
}

describe('SseParser (properties)', () => {
  it('yields the messages that were written, however the stream is cut and whatever line endings it uses', () => {
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 6 }),
        eol,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (messages, nl, fractions) => {
          let text = ''
          for (const m of messages) {
            if (m.event !== undefined) text += `event: ${m.event}${nl}`
            if (m.id !== undefined) text += `id: ${m.id}${nl}`
            for (const d of m.data) text += `data: ${d}${nl}`
            text += nl
          }
          const { messages: got } = feedAll(cut(text, fractions))
          expect(got).toEqual(
            messages.map((m) => ({
              event: m.event ?? 'message',
              id: m.id,
              data: m.data.join('\n'),
            })),
          )
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('never throws on arbitrary text in arbitrary chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 10 }),
        (chunks) => {
          feedAll(chunks)
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('drops an over-long line and an over-large event, says so, and goes on with the next message', () => {
    const long = `data: ${'x'.repeat(500)}`
    const chunks = [...cut(long, [0.1, 0.3, 0.6]), '\n\ndata: ok\n\n']
    const line = feedAll(chunks, { maxLineChars: 100 })
    expect(line.oversize).toEqual(['line'])
    expect(line.messages.map((m) => m.data)).toEqual(['ok'])
    const big = feedAll([`${'data: 0123456789\n'.repeat(20)}\ndata: ok\n\n`], {
      maxEventChars: 100,
    })
    expect(big.oversize).toEqual(['event'])
    expect(big.messages.map((m) => m.data)).toEqual(['ok'])
  })

  it('examines each character about once: one long line in tiny chunks costs linear work', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 2_000, max: 20_000 }),
        (chunk, n) => {
          const steps = (size: number): number => {
            const text = `data: ${'y'.repeat(size)}\n\n`
            const chunks: string[] = []
            for (let i = 0; i < text.length; i += chunk) chunks.push(text.slice(i, i + chunk))
            const work = { steps: 0 }
            feedAll(chunks, {}, work)
            return work.steps
          }
          const one = steps(n)
          const two = steps(2 * n)
          // A rescan of the buffer on every chunk (the old parser) is n²/chunk: far above these.
          expect(two).toBeLessThanOrEqual(2.2 * one)
          expect(one).toBeLessThanOrEqual(2 * (n + 10))
        },
      ),
      { numRuns: Math.min(RUNS, 50) },
    )
  })
})
