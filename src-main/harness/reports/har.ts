import type { Exchange, HarnessReport } from '../../../src-shared/harness.ts'
import { redact } from '../../../src-shared/redact.ts'

interface HarHeader {
  name: string
  value: string
}

const headerList = (h: Record<string, string>): HarHeader[] =>
  Object.entries(h).map(([name, value]) => ({ name, value }))

function entry(x: Exchange): Record<string, unknown> {
  const url = new URL(x.request.url)
  const reqType =
    x.request.headers['Content-Type'] ??
    x.request.headers['content-type'] ??
    'application/scim+json'
  const res = x.response
  return {
    startedDateTime: x.startedAt,
    time: x.durationMs,
    request: {
      method: x.request.method,
      url: x.request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(x.request.headers),
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      ...(x.request.body !== undefined
        ? { postData: { mimeType: reqType, text: x.request.body } }
        : {}),
      headersSize: -1,
      bodySize: x.request.body !== undefined ? Buffer.byteLength(x.request.body) : 0,
    },
    response: {
      status: res?.status ?? 0,
      statusText: res?.statusText ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(res?.headers ?? {}),
      content: {
        size: res ? Buffer.byteLength(res.body) : 0,
        mimeType: res?.headers['content-type'] ?? 'x-unknown',
        text: res?.body ?? '',
      },
      redirectURL: res?.headers['location'] ?? '',
      headersSize: -1,
      bodySize: res ? Buffer.byteLength(res.body) : -1,
      ...(x.error ? { _error: `${x.error.code}: ${x.error.message}` } : {}),
    },
    cache: {},
    timings: { send: 0, wait: x.durationMs, receive: 0 },
    comment: [x.checkId, x.attempt > 1 ? `attempt ${x.attempt}` : ''].filter(Boolean).join(' '),
  }
}

/** HAR 1.2 of every request the run sent (already redacted at capture; redacted again here). */
export function toHar(report: HarnessReport): string {
  const har = {
    log: {
      version: '1.2',
      creator: { name: report.tool.name, version: report.tool.version },
      pages: [],
      entries: report.exchanges.map(entry),
      comment: `scim-console check ${report.baseUrl} profile ${report.profile} run ${report.runId}`,
    },
  }
  return `${JSON.stringify(redact(har), null, 2)}\n`
}
