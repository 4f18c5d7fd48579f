import {
  idpTrafficSources,
  type EventSource,
  type ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'
import type { AdminClient } from '../backend/admin-client.ts'

/**
 * What the IdP itself did lately, for the Connection screen: its last request and, per SCIM
 * token, when the IdP last used it. Only the IdP's traffic counts (`idp`, and `unknown` from a
 * backend that records no source): a pre-go-live test or a replay with the same token would
 * otherwise read as "Okta is using the new token" and mislead a rotation.
 */
export interface IdpActivity {
  lastRequest: ProvisioningEvent | null
  /** Newest IdP request per token hash prefix, among the IdP requests read. */
  tokenLastUse: Map<string, string>
  /** How many of the IdP's newest requests were read. */
  window: number
  /** True when those were all the IdP's requests the backend keeps (no older ones unread). */
  complete: boolean
}

export const IDP_ACTIVITY_WINDOW = 100

/**
 * Token summaries as the renderer gets them: `last4` dropped (it is still part of the secret; the
 * hash prefix names the token instead) and the IdP's last use of each added.
 */
export function tokensWithIdpUse<T extends { hashPrefix: string; last4?: string }>(
  tokens: T[],
  idp: IdpActivity,
): Array<Omit<T, 'last4'> & { lastIdpRequestAt: string | null }> {
  return tokens.map(({ last4: _last4, ...t }) => ({
    ...t,
    lastIdpRequestAt: idp.tokenLastUse.get(t.hashPrefix) ?? null,
  }))
}

export async function getIdpActivity(
  client: AdminClient,
  tenantId: string,
  window = IDP_ACTIVITY_WINDOW,
): Promise<IdpActivity> {
  const page = await client.listEvents(tenantId, {
    limit: window,
    source: [...idpTrafficSources] as EventSource[],
  })
  const tokenLastUse = new Map<string, string>()
  // Newest first: the first event seen per token is its last use.
  for (const e of page.items) {
    if (e.tokenHashPrefix && !tokenLastUse.has(e.tokenHashPrefix))
      tokenLastUse.set(e.tokenHashPrefix, e.time)
  }
  return {
    lastRequest: page.items[0] ?? null,
    tokenLastUse,
    window,
    complete: page.nextCursor === null,
  }
}
