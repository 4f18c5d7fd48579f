import { AppError } from '../../src-shared/errors.ts'
import { sourceOf, type ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { redact, redactString } from '../../src-shared/redact.ts'

/**
 * Evidence for a ticket: a filtered event list as JSON lines, CSV or HAR, and one event as a
 * curl command. Everything passes through redact() on the way out, even though the backend
 * already redacts bodies, because an export outlives the process and may be attached anywhere.
 */

export const exportFormats = ['jsonl', 'csv', 'har'] as const
export type ExportFormat = (typeof exportFormats)[number]

export interface ExportOptions {
  /** The tenant's SCIM base URL (…/scim/v2), so HAR and curl carry absolute URLs. */
  scimBaseUrl?: string
}

const CSV_COLUMNS = [
  'seq',
  'time',
  'method',
  'path',
  'status',
  'durationMs',
  'resourceType',
  'resourceId',
  'userName',
  'outcome',
  'error',
  'source',
  'sourceIdp',
  'runId',
] as const

function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value)
  // A cell starting with = + - @ is a formula to Excel: a path or a detail must stay text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

function absoluteUrl(path: string, opts: ExportOptions): string {
  const base = (opts.scimBaseUrl ?? 'https://scim.invalid/scim/v2').replace(/(?<!\/)\/+$/, '')
  return `${base}${path.startsWith('/') ? '' : '/'}${path}`
}

function bodyText(body: unknown): string | undefined {
  if (body === null || body === undefined) return undefined
  return typeof body === 'string' ? body : JSON.stringify(body)
}

/** One export format as a head, one piece per event, and a tail, so a source may be async. */
interface ExportWriter {
  head: string
  entry(e: ProvisioningEvent, first: boolean): string
  tail: string
}

function exportWriter(format: ExportFormat, opts: ExportOptions): ExportWriter {
  if (format === 'jsonl')
    return { head: '', entry: (e) => `${JSON.stringify(redact(e))}\n`, tail: '' }
  if (format === 'csv') {
    return {
      head: `${CSV_COLUMNS.join(',')}\r\n`,
      entry: (raw) => {
        const e = redact(raw)
        const error = e.error
          ? `${e.error.scimType ? `${e.error.scimType}: ` : ''}${e.error.detail}`
          : ''
        const row = { ...e, error, source: sourceOf(e) }
        return `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`
      },
      tail: '',
    }
  }
  return {
    head: '{"log":{"version":"1.2","creator":{"name":"scim-console","version":"0.1.0"},"comment":"Provisioning events as received by the backend; headers are not recorded, bodies are redacted.","entries":[',
    entry: (e, first) => `${first ? '' : ','}${JSON.stringify(harEntry(e, opts))}`,
    tail: ']}}\n',
  }
}

/** The export, a line (JSON lines, CSV) or a piece (HAR) at a time, for large lists. */
export function* exportChunks(
  events: Iterable<ProvisioningEvent>,
  format: ExportFormat,
  opts: ExportOptions = {},
): Generator<string> {
  const w = exportWriter(format, opts)
  if (w.head) yield w.head
  let first = true
  for (const e of events) {
    yield w.entry(e, first)
    first = false
  }
  if (w.tail) yield w.tail
}

/** The same from an async source (events whose bodies are read back from the backend). */
export async function* exportChunksAsync(
  events: AsyncIterable<ProvisioningEvent>,
  format: ExportFormat,
  opts: ExportOptions = {},
): AsyncGenerator<string> {
  const w = exportWriter(format, opts)
  if (w.head) yield w.head
  let first = true
  for await (const e of events) {
    yield w.entry(e, first)
    first = false
  }
  if (w.tail) yield w.tail
}

export function exportEvents(
  events: Iterable<ProvisioningEvent>,
  format: ExportFormat,
  opts: ExportOptions = {},
): string {
  let out = ''
  for (const chunk of exportChunks(events, format, opts)) out += chunk
  return out
}

function harEntry(raw: ProvisioningEvent, opts: ExportOptions): unknown {
  const e = redact(raw)
  const url = absoluteUrl(e.path, opts)
  const query = [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
  const reqText = bodyText(e.requestBody)
  const resText = bodyText(e.responseBody)
  return {
    startedDateTime: e.time,
    time: e.durationMs,
    request: {
      method: e.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [{ name: 'Authorization', value: 'Bearer [REDACTED]' }],
      queryString: query,
      ...(reqText !== undefined
        ? { postData: { mimeType: 'application/scim+json', text: reqText } }
        : {}),
      headersSize: -1,
      bodySize: reqText === undefined ? 0 : reqText.length,
    },
    response: {
      status: e.status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: {
        size: resText?.length ?? 0,
        mimeType: 'application/scim+json',
        ...(resText !== undefined ? { text: resText } : {}),
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: resText?.length ?? 0,
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    comment: `seq ${e.seq}, outcome ${e.outcome}${e.userName ? `, user ${e.userName}` : ''}`,
  }
}

/** POSIX single quotes: nothing inside is expanded; a quote is closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

/** RFC 9110 §9.1: a method is a `token` (tchar+); anything else is not an HTTP method. */
const HTTP_METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * One event as a runnable curl command. The token is never in it: the header reads the
 * SCIM_TOKEN environment variable, so the command can be shared and still be replayed.
 *
 * Inert whatever the event holds: the method must be an HTTP method, and every field from the
 * event is redacted and then single-quoted (redacting after quoting could drop a `'\''` and
 * unbalance the quotes). The only unquoted `$` is the constant `$SCIM_TOKEN`.
 */
export function curlCommand(raw: ProvisioningEvent, opts: ExportOptions = {}): string {
  const e = redact(raw)
  if (typeof e.method !== 'string' || !HTTP_METHOD.test(e.method)) {
    throw new AppError(
      'log.bad_input',
      `Event ${e.seq} has the method ${JSON.stringify(String(e.method).slice(0, 40))}, which is not an HTTP method, so it cannot be copied as curl.`,
      {
        hint: 'The stored event is damaged or was not written by a SCIM client; copy its request from the detail view instead.',
      },
    )
  }
  const field = (text: string): string => shellQuote(redactString(text))
  // A plain method (`POST`) reads better bare; a token with shell characters (`GET|x`) is quoted.
  const method = /^[A-Z0-9a-z-]+$/.test(e.method) ? e.method : shellQuote(e.method)
  const parts = [
    `curl -X ${method} ${field(absoluteUrl(e.path, opts))}`,
    `-H "Authorization: Bearer $SCIM_TOKEN"`,
    `-H 'Accept: application/scim+json'`,
  ]
  const body = bodyText(e.requestBody)
  if (body !== undefined && e.method !== 'GET' && e.method !== 'DELETE') {
    parts.push(`-H 'Content-Type: application/scim+json'`)
    parts.push(`--data-raw ${field(body)}`)
  }
  return parts.join(' \\\n  ')
}
