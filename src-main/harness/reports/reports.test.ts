import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  harnessReportSchema,
  type HarnessReport,
  type HarnessProgressEvent,
} from '../../../src-shared/harness.ts'
import { runHarness } from '../runner.ts'
import { startFaultProxy, type FaultProxy } from '../../../test/support/fault-proxy.ts'
import {
  startMemoryScimServer,
  type MemoryScimServer,
} from '../../../test/support/memory-scim-server.ts'
import { toHar } from './har.ts'
import { toHtmlReport } from './html.ts'
import { toJsonReport } from './json.ts'
import { parseJsonReport } from './parse-json-report.ts'
import { toJunitXml } from './junit.ts'

// A token that matches none of redact()'s generic patterns: only the run's registerSecret()
// and the header redaction can keep it out of the outputs.
const TOKEN = 'tok3nThatMustNeverLeak9f8e7d6c5b4a'

let server: MemoryScimServer
let proxy: FaultProxy
let report: HarnessReport
const events: HarnessProgressEvent[] = []

beforeAll(async () => {
  server = await startMemoryScimServer({ token: TOKEN })
  // A broken server, so failures (with request/response detail) are in every report.
  proxy = await startFaultProxy({
    target: server.baseUrl,
    token: TOKEN,
    fault: 'filter-case-sensitive',
  })
  report = await runHarness({
    baseUrl: proxy.baseUrl,
    token: TOKEN,
    profile: 'okta',
    onProgress: (e) => events.push(e),
  })
})
afterAll(async () => {
  await proxy.close()
  await server.close()
})

describe('reports', () => {
  it('the token never appears in any report, the HAR or the progress events', () => {
    const outputs = {
      json: toJsonReport(report),
      junit: toJunitXml(report),
      html: toHtmlReport(report),
      har: toHar(report),
      events: JSON.stringify(events),
    }
    // The run did send it: the raw-token probe and every Authorization header carried it.
    expect(report.exchanges.some((x) => x.request.headers['Authorization'] === '[REDACTED]')).toBe(
      true,
    )
    for (const [name, text] of Object.entries(outputs)) {
      expect(Buffer.from(text).includes(Buffer.from(TOKEN)), `${name} contains the token`).toBe(
        false,
      )
      expect(text.includes(TOKEN.slice(0, 20)), `${name} contains part of the token`).toBe(false)
    }
    // The placeholder password Okta sends is redacted too.
    const post = report.exchanges.find(
      (x) => x.request.method === 'POST' && x.request.body?.includes('password'),
    )!
    expect(post.request.body).toContain('"password":"[REDACTED]"')
  })

  it('JSON is versioned and reads back through the schema', () => {
    const back = parseJsonReport(toJsonReport(report))
    expect(back.schemaVersion).toBe(1)
    expect(back.checks).toHaveLength(report.checks.length)
    expect(() => parseJsonReport(JSON.stringify({ ...report, schemaVersion: 2 }))).toThrow()
    expect(harnessReportSchema.safeParse(report).success).toBe(true)
  })

  it('JUnit XML has one testcase per check and a failure for the failed one', () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      toJunitXml(report),
    )
    const suites = [xml.testsuites.testsuite].flat() as Array<{ testcase: unknown }>
    const cases = suites.flatMap((s) => [s.testcase].flat()) as Array<{
      name: string
      failure?: { message: string }
    }>
    expect(cases).toHaveLength(report.checks.length)
    const failed = cases.filter((c) => c.failure)
    expect(failed.map((c) => c.name.split(':')[0])).toEqual(['filters.user_name_case_insensitive'])
    expect(Number(xml.testsuites.failures)).toBe(1)
  })

  it('HTML is self-contained and shows the failure with its request and response', () => {
    const html = toHtmlReport(report)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i)
    expect(html).toContain('filters.user_name_case_insensitive')
    expect(html).toContain('What the IdP does')
    expect(html).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\?filter=userName%20eq%20%22SCIMC-/,
    )
  })

  it('HAR 1.2 has an entry per exchange with headers, query and bodies', () => {
    interface HarEntry {
      request: { method: string; postData?: { text: string }; queryString: Array<{ name: string }> }
      response: { status: number; content: { mimeType: string } }
    }
    const har = JSON.parse(toHar(report)) as { log: { version: string; entries: HarEntry[] } }
    expect(har.log.version).toBe('1.2')
    expect(har.log.entries).toHaveLength(report.exchanges.length)
    const post = har.log.entries.find((e) => e.request.method === 'POST')!
    expect(post.request.postData!.text).toContain('userName')
    expect(post.response.status).toBe(201)
    const filtered = har.log.entries.find((e) =>
      e.request.queryString.some((q) => q.name === 'filter'),
    )!
    expect(filtered.response.content.mimeType).toMatch(/scim\+json/)
  })
})
