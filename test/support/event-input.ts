import type { EventInput } from '../../src-server/store/event-rows.ts'

/**
 * A plain SCIM read as the event store records it, the `i`-th of a test's series (its time and
 * path follow `i`); `over` changes what a test is about (status, source, ...).
 */
export function readEvent(
  tenantId: string | null,
  i: number,
  over: Partial<EventInput> = {},
): EventInput {
  return {
    tenantId,
    timeMs: 1_700_000_000_000 + i,
    method: 'GET',
    path: `/Users/${i}`,
    status: 200,
    durationMs: 1,
    resourceType: 'User',
    resourceId: null,
    userName: null,
    outcome: 'read',
    error: null,
    tokenHashPrefix: null,
    requestBody: null,
    responseBody: null,
    ...over,
  }
}
