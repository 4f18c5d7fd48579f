import { z } from 'zod'
import { tenantTarget } from './connections.ts'

/**
 * Single sign-on as tested, not assumed: the sign-in test (the SP-initiated login opened in the
 * system browser), the tenant's SSO events, one user's story with its diagnosis, and the offline
 * SAML inspector. The SAML itself is read by src-domain/saml-response, the same code as the ACS.
 */

const evidence = z.record(z.string(), z.unknown())

export const samlFailureSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  evidence,
})

const attribute = z.object({
  name: z.string(),
  friendlyName: z.string().nullable().optional(),
  values: z.array(z.string()),
})

export const samlAssertionSchema = z.object({
  id: z.string().nullable(),
  issuer: z.string().nullable(),
  issueInstant: z.string().nullable(),
  nameId: z.string().nullable(),
  nameIdFormat: z.string().nullable(),
  subjectConfirmations: z.array(
    z.object({
      method: z.string().nullable(),
      recipient: z.string().nullable(),
      notBefore: z.string().nullable(),
      notOnOrAfter: z.string().nullable(),
      inResponseTo: z.string().nullable(),
    }),
  ),
  notBefore: z.string().nullable(),
  notOnOrAfter: z.string().nullable(),
  audiences: z.array(z.string()),
  authnInstant: z.string().nullable(),
  sessionIndex: z.string().nullable(),
  attributes: z.array(attribute),
})

const scimUser = z.object({ id: z.string(), userName: z.string(), active: z.boolean() })

/** One sign-in attempt as the ACS recorded it (the admin API's SsoEvent). */
export const ssoEventSchema = z.object({
  seq: z.number(),
  time: z.string(),
  outcome: z.enum(['success', 'failure']),
  reason: z.string().nullable(),
  message: z.string(),
  hint: z.string().nullable(),
  evidence,
  failures: z.array(z.object({ code: z.string(), message: z.string() })),
  flow: z.enum(['sp-initiated', 'idp-initiated', 'unknown']),
  userName: z.string().nullable(),
  scimUser: scimUser.nullable(),
  inResponseTo: z.string().nullable(),
  relayState: z.string().nullable(),
  signature: z.object({
    signed: z.enum(['none', 'response', 'assertion', 'both']),
    certificateSha256: z.string().nullable(),
  }),
  assertion: samlAssertionSchema.nullable(),
  verified: z.boolean(),
})
export type SsoEventView = z.infer<typeof ssoEventSchema>

const fix = z.object({ okta: z.string(), entra: z.string() })

/** Why an attempt was refused, in the IdP's own terms (src-main/sso-log/fixes.ts). */
export const ssoExplanationSchema = z.object({
  title: z.string(),
  explanation: z.string(),
  evidence: z.array(z.string()),
  fix,
})

export const signInStorySchema = z.object({
  query: z.string(),
  verdict: z.enum(['signs_in', 'cannot_sign_in', 'no_attempts']),
  summary: z.string(),
  attempts: z.array(
    ssoEventSchema.pick({
      seq: true,
      time: true,
      outcome: true,
      reason: true,
      flow: true,
      userName: true,
    }),
  ),
  findings: z.array(
    ssoExplanationSchema.extend({
      code: z.string(),
      resolved: z.boolean(),
      seqs: z.array(z.number()),
    }),
  ),
  crossCheck: z
    .object({
      kind: z.string(),
      explanation: z.string(),
      evidence: z.array(z.string()),
      fix,
    })
    .nullable(),
})
export type SignInStoryView = z.infer<typeof signInStorySchema>

const responseView = z.object({
  id: z.string().nullable(),
  issuer: z.string().nullable(),
  issueInstant: z.string().nullable(),
  destination: z.string().nullable(),
  inResponseTo: z.string().nullable(),
  statusCode: z.string().nullable(),
  subStatusCode: z.string().nullable(),
  statusMessage: z.string().nullable(),
  signed: z.boolean(),
})

/** What the inspector found in the pasted text; nothing of it left the machine. */
export const samlInspectionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('response'),
    valid: z.boolean(),
    verified: z.boolean(),
    reason: samlFailureSchema.nullable(),
    failures: z.array(samlFailureSchema),
    skipped: z.array(z.string()),
    encoding: z.string().nullable(),
    relayState: z.string().nullable(),
    signature: z.object({
      signed: z.enum(['none', 'response', 'assertion', 'both']),
      certificate: z
        .object({ sha256Fingerprint: z.string(), subject: z.string().nullable() })
        .nullable(),
    }),
    response: responseView.nullable(),
    assertion: samlAssertionSchema.nullable(),
  }),
  z.object({
    kind: z.literal('authn-request'),
    encoding: z.string(),
    relayState: z.string().nullable(),
    request: z.object({
      id: z.string().nullable(),
      issuer: z.string().nullable(),
      issueInstant: z.string().nullable(),
      destination: z.string().nullable(),
      acsUrl: z.string().nullable(),
      protocolBinding: z.string().nullable(),
      nameIdPolicyFormat: z.string().nullable(),
      forceAuthn: z.boolean(),
    }),
  }),
  z.object({ kind: z.literal('unreadable'), failure: samlFailureSchema }),
])
export type SamlInspectionView = z.infer<typeof samlInspectionSchema>

/** A captured message is a few KB; base64 and URL encoding at most triple the 1 MB XML cap. */
export const MAX_PASTED_SAML_CHARS = 3 * 1024 * 1024

export const ssoSignInChannels = {
  /**
   * Starts a sign-in test: the tenant's SP-initiated login URL (the backend's
   * /sso/{tenant}/saml/login) and the newest SSO event number now, so later events are the test's.
   */
  'sso.testSignIn': {
    input: tenantTarget,
    output: z.strictObject({
      testId: z.string(),
      loginUrl: z.string(),
      startedAt: z.string(),
      afterSeq: z.number(),
    }),
  },
  /**
   * Opens the tenant's login URL in the system browser (Electron); the web host's page opens it
   * itself. Main opens only the login URL of this tenant's backend.
   */
  'sso.openLogin': {
    input: tenantTarget.extend({ url: z.string().min(1).max(4096) }).strict(),
    output: z.strictObject({ opened: z.boolean() }),
  },
  /** The tenant's SSO events, newest first; `afterSeq` keeps only later ones (a running test). */
  'sso.events': {
    input: tenantTarget
      .extend({
        user: z.string().trim().min(1).max(320).optional(),
        cursor: z.string().max(40).optional(),
        limit: z.number().int().min(1).max(500).default(100),
        afterSeq: z.number().int().min(0).optional(),
      })
      .strict(),
    output: z.strictObject({
      items: z.array(ssoEventSchema),
      nextCursor: z.string().nullable(),
    }),
  },
  /** One user's sign-in story and its diagnosis, cross-checked with provisioning. */
  'sso.explain': {
    input: tenantTarget.extend({ user: z.string().trim().min(1).max(320) }).strict(),
    output: signInStorySchema,
  },
  /** One failed attempt explained with the fix in Okta's and Entra's terms. */
  'sso.explainEvent': {
    input: tenantTarget.extend({ seq: z.number().int().min(1) }).strict(),
    output: z.strictObject({ event: ssoEventSchema, explanation: ssoExplanationSchema.nullable() }),
  },
  /**
   * The offline inspector: decodes pasted text locally and validates it with the ACS's code
   * against the tenant's pushed IdP metadata (read from the admin API) or pasted metadata XML.
   */
  'saml.inspect': {
    input: z.strictObject({
      text: z.string().min(1).max(MAX_PASTED_SAML_CHARS),
      against: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('none') }),
        tenantTarget.extend({ kind: z.literal('tenant') }).strict(),
        z.strictObject({ kind: z.literal('metadata'), xml: z.string().min(1).max(10_000_000) }),
      ]),
    }),
    output: z.strictObject({
      against: z.string().nullable(),
      inspection: samlInspectionSchema,
    }),
  },
} as const
