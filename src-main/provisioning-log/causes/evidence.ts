import type { Evidence } from '../../../src-shared/provisioning-diagnosis.ts'
import type { ProvisioningEvent } from '../../../src-shared/provisioning-event.ts'
import { redactString } from '../../../src-shared/redact.ts'

/** What every cause rule uses: how an event is cited, and whether its failure stuck. */

/** Okta and Entra give up on a response after 60 s; from here on it is "near the limit". */
export const SLOW_MS = 45_000
export const TIMEOUT_MS = 60_000

export function evidenceOf(e: ProvisioningEvent): Evidence {
  const detail = e.error?.detail ? `: ${e.error.detail}` : ''
  const slow = e.durationMs >= SLOW_MS ? ` after ${(e.durationMs / 1000).toFixed(1)} s` : ''
  let summary = `${e.method} ${e.path} → ${e.status}${slow}${detail}`
  if (summary.length > 240) summary = `${summary.slice(0, 239)}…`
  return { seq: e.seq, time: e.time, summary: redactString(summary) }
}

export function isUserResource(e: ProvisioningEvent): boolean {
  return e.resourceType === 'User' || e.resourceType === 'Unknown'
}

function isWriteSuccess(e: ProvisioningEvent): boolean {
  return e.status >= 200 && e.status < 300 && e.method !== 'GET'
}

/** Whether a write for the user succeeded after this event (the failure did not stick). */
export function resolvedAfter(events: ProvisioningEvent[], failure: ProvisioningEvent): boolean {
  return events.some((e) => e.seq > failure.seq && isUserResource(e) && isWriteSuccess(e))
}

/**
 * The attribute a 400's detail names, only to word the finding ("because of the attribute
 * "title""); which finding it is never depends on it.
 */
export function attributeNamed(detail: string): string | undefined {
  const quoted = /[Aa]ttribute "([^"]+)"/.exec(detail) ?? /"([A-Za-z][\w.:]*)"/.exec(detail)
  if (quoted) return quoted[1]
  const leading = /^([A-Za-z][\w.:]*) (?:is|must)\b/.exec(detail)
  return leading?.[1]
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
