import { createAdminClient } from '../backend/admin-client.ts'
import { recentSsoEvents } from '../backend/sso-events-client.ts'
import type { SsoContext } from './fixes.ts'
import { explainSignIn, type ProvisioningSide, type SignInStory } from './sign-in-story.ts'

export interface StoryTarget {
  adminBaseUrl: string
  adminKey: string
  fetch?: (input: Request) => Promise<Response>
}

/** SSO events read for one user; a story needs the recent attempts, not years of them. */
const MAX_SSO_EVENTS = 500

/**
 * Gathers one user's sign-in story from the admin API: their SSO events, the tenant's SSO
 * configuration (for certificate names), the SCIM user and their provisioning events.
 */
export async function loadSignInStory(
  target: StoryTarget,
  tenantId: string,
  user: string,
): Promise<SignInStory> {
  const options = {
    baseUrl: target.adminBaseUrl,
    adminKey: target.adminKey,
    ...(target.fetch ? { fetch: target.fetch } : {}),
  }
  const admin = createAdminClient(options)
  const [sso, events, users, provisioning] = await Promise.all([
    admin.getSso(tenantId),
    recentSsoEvents(options, tenantId, { user, max: MAX_SSO_EVENTS }),
    admin.listUsers(tenantId, { q: user, limit: 50 }),
    admin.listEvents(tenantId, { user, limit: 200 }),
  ])
  const wanted = user.toLowerCase()
  const summary = users.items.find((u) => u.userName.toLowerCase() === wanted)
  // The backend maps a sign-in to its SCIM user by userName or e-mail; trust the newest mapping
  // when the name typed is an e-mail that is not the userName.
  const mapped = events.find((e) => e.scimUser)?.scimUser ?? null
  const scimUser: ProvisioningSide['user'] = summary
    ? { id: summary.id, userName: summary.userName, active: summary.active }
    : mapped
  const ctx: SsoContext = {
    sp: { entityId: sso.sp.entityId, acsUrl: sso.sp.acsUrl },
    idp: sso.idp
      ? { entityId: sso.idp.entityId, signingCertificates: sso.idp.signingCertificates }
      : null,
  }
  return explainSignIn(
    user,
    events,
    {
      user: scimUser,
      events: provisioning.items.map((e) => ({
        seq: e.seq,
        time: e.time,
        method: e.method,
        path: e.path,
        status: e.status,
        detail: e.error?.detail ?? null,
      })),
    },
    ctx,
  )
}
