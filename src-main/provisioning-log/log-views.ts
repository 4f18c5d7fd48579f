import type { LogRow } from '../../src-shared/channels/log.ts'
import { AppError } from '../../src-shared/errors.ts'
import {
  sourceOf,
  type EventFilter,
  type ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'
import { exportChunksAsync, type ExportFormat } from './export.ts'
import type { ProvisioningLog } from './log-service.ts'

/**
 * What the log screen shows of a ProvisioningLog: a table row, the request headers of the detail
 * view, and an export built in memory for the renderer to save.
 */

/** An export is built in memory to hand to the renderer; beyond this the CLI is the tool. */
export const EXPORT_MAX_CHARS = 64 * 1024 * 1024

export function toRow(e: ProvisioningEvent): LogRow {
  return {
    seq: e.seq,
    time: e.time,
    method: e.method,
    path: e.path,
    status: e.status,
    durationMs: e.durationMs,
    resourceType: e.resourceType,
    userName: e.userName,
    outcome: e.outcome,
    errorDetail: e.error ? e.error.detail : null,
    source: sourceOf(e),
    sourceIdp: e.sourceIdp ?? null,
    runId: e.runId ?? null,
  }
}

export function requestHeaders(e: ProvisioningEvent): Array<{ name: string; value: string }> {
  // The backend records no headers; these are the ones every SCIM request carries, and the
  // token shows only as the prefix of its hash (which token, never the token).
  const headers = [
    {
      name: 'Authorization',
      value: `Bearer [REDACTED]${e.tokenHashPrefix ? ` (sha256 ${e.tokenHashPrefix}…)` : ''}`,
    },
    { name: 'Accept', value: 'application/scim+json' },
  ]
  if (e.requestBody !== null && e.requestBody !== undefined)
    headers.push({ name: 'Content-Type', value: 'application/scim+json' })
  return headers
}

const FORMAT_FILE: Record<ExportFormat, { ext: string; mimeType: string }> = {
  jsonl: { ext: 'jsonl', mimeType: 'application/x-ndjson' },
  csv: { ext: 'csv', mimeType: 'text/csv' },
  har: { ext: 'har', mimeType: 'application/json' },
}

export interface ExportFile {
  fileName: string
  mimeType: string
  text: string
  count: number
}

/** The filtered events as one file's text, refused past EXPORT_MAX_CHARS with the way out. */
export async function exportFile(
  log: ProvisioningLog,
  filter: EventFilter,
  format: ExportFormat,
): Promise<ExportFile> {
  const scimBaseUrl = await log.scimBaseUrl()
  let count = 0
  const counted = async function* (): AsyncGenerator<ProvisioningEvent> {
    for await (const e of log.events(filter)) {
      count++
      yield e
    }
  }
  const parts: string[] = []
  let size = 0
  for await (const chunk of exportChunksAsync(
    counted(),
    format,
    scimBaseUrl ? { scimBaseUrl } : {},
  )) {
    size += chunk.length
    if (size > EXPORT_MAX_CHARS) {
      throw new AppError(
        'log.bad_input',
        `The export is larger than ${EXPORT_MAX_CHARS / 1024 / 1024} MB.`,
        {
          hint: 'Narrow the filter (a user, a status class, a time range), or use `scim-console log export`, which streams to a file.',
        },
      )
    }
    parts.push(chunk)
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  return {
    fileName: `provisioning-log-${log.tenantId}-${stamp}.${FORMAT_FILE[format].ext}`,
    mimeType: FORMAT_FILE[format].mimeType,
    text: parts.join(''),
    count,
  }
}
