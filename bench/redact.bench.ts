// The redactor on what it sees most: a SCIM user (a POST body, a GET answer), a response's header
// map, a user as JSON text, and a page of 100 users (a list answer's event before its cap).
//   node bench/redact.bench.ts                  (or: npm run bench -- redact)
//   SCIM_BENCH_REDACT=/path/to/redact.ts node bench/redact.bench.ts   (another version, for A/B)
// Microseconds per call, best of 5 rounds after a warm-up; the harness redacts every exchange
// and the backend every event, so this is per request on both sides.
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import type * as RedactModule from '../src-shared/redact.ts'

const modulePath = resolve(
  process.env.SCIM_BENCH_REDACT ?? resolve(import.meta.dirname, '../src-shared/redact.ts'),
)
const { redact, redactString, registerSecret } = (await import(
  pathToFileURL(modulePath).href
)) as typeof RedactModule

registerSecret('bench-redact-token-0123456789abcdef')
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const user = (i: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: `0193a8c2-7f1e-7cc3-9c1b-4a2f0b1e${String(i).padStart(4, '0')}`,
  externalId: `00u${i}abcdEFGH`,
  userName: `user${i}@example.com`,
  name: { givenName: 'Ada', familyName: `Lovelace${i}`, formatted: 'Ada Lovelace' },
  displayName: 'Ada Lovelace',
  title: 'Engineer',
  active: true,
  emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }],
  phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
  groups: [
    { value: 'g1', display: 'Engineering', $ref: 'http://127.0.0.1:4000/scim/v2/Groups/g1' },
  ],
  [ENTERPRISE]: { department: 'R&D', employeeNumber: String(i) },
  meta: {
    resourceType: 'User',
    created: '2026-12-07T10:00:00.000Z',
    lastModified: '2026-12-07T10:00:00.000Z',
    version: 'W/"1"',
    location: `http://127.0.0.1:4000/scim/v2/Users/${i}`,
  },
})
const page = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: 100,
  startIndex: 1,
  itemsPerPage: 100,
  Resources: Array.from({ length: 100 }, (_, i) => user(i)),
}
const headers = {
  'content-type': 'application/scim+json',
  authorization: 'Bearer bench-redact-token-0123456789abcdef',
  etag: 'W/"1"',
  location: 'http://127.0.0.1:4000/scim/v2/Users/1',
  date: 'Mon, 07 Dec 2026 10:00:00 GMT',
  'keep-alive': 'timeout=5',
  connection: 'keep-alive',
}
const one = user(1)
const text = JSON.stringify(one)

let sink = 0
function microseconds(calls: number, fn: () => unknown): number {
  for (let i = 0; i < calls / 10; i++) fn()
  let best = Infinity
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now()
    for (let i = 0; i < calls; i++) sink += fn() === undefined ? 0 : 1
    best = Math.min(best, ((performance.now() - t0) * 1000) / calls)
  }
  return best
}

console.log(`redactor: ${modulePath}`)
const rows: Array<[string, number]> = [
  ['redact(SCIM user)', microseconds(20_000, () => redact(one))],
  ['redact(response headers)', microseconds(20_000, () => redact(headers))],
  [
    `redactString(user as JSON, ${text.length} chars)`,
    microseconds(20_000, () => redactString(text)),
  ],
  ['redact(page of 100 users)', microseconds(300, () => redact(page))],
]
for (const [name, us] of rows) console.log(`${name.padEnd(44)} ${us.toFixed(2).padStart(9)} µs`)
if (sink === 0) console.log('(nothing ran)')
