import { z } from 'zod'

/** The parsed, display-ready model of SAML IdP metadata. Produced in main, shown by the renderer and the CLI. */

export const severitySchema = z.enum(['error', 'warning', 'info'])
export type Severity = z.infer<typeof severitySchema>

/**
 * Every finding code the metadata service emits, for the UI to branch on (never on message text).
 * Errors make `ok` false; warnings and notes never do.
 */
export const metadataFindingCodes = {
  error: [
    'metadata.too_large',
    /** Over the element or attribute caps, or the parse worker's time or memory budget. */
    'metadata.too_complex',
    'metadata.not_xml',
    'metadata.html',
    'metadata.json',
    'metadata.dtd_forbidden',
    'metadata.malformed',
    'metadata.not_saml',
    'metadata.wrong_namespace',
    'metadata.not_idp',
    /** Aggregate with several IdPs and no entity ID chosen: `idps` lists them. */
    'metadata.choose_idp',
    'metadata.entity_not_found',
    'metadata.no_entity_id',
    'metadata.no_sso_service',
    'metadata.no_browser_sso_binding',
    'metadata.invalid_sso_url',
    'metadata.placeholder_url',
    'metadata.no_signing_certificate',
  ],
  warning: [
    'metadata.cert_expired',
    'metadata.cert_expiring',
    'metadata.cert_not_yet_valid',
    'metadata.cert_sha1_signature',
    'metadata.cert_weak_key',
    'metadata.invalid_certificate',
    'metadata.keyinfo_wrong_namespace',
    'metadata.valid_until_passed',
    'metadata.invalid_valid_until',
    'metadata.invalid_cache_duration',
    'metadata.redirect_only',
    'metadata.insecure_sso_url',
    'metadata.placeholder_entity_id',
    'metadata.entity_id_not_uri',
    'metadata.entity_id_is_metadata_url',
    'metadata.entity_id_looks_like_sp',
    'metadata.signature_invalid',
  ],
  info: ['metadata.aggregate_single_idp', 'metadata.no_nameid_format'],
} as const

export const findingSchema = z.object({
  /** Stable code, e.g. `metadata.cert_expired`. */
  code: z.string(),
  severity: severitySchema,
  /** What is wrong, in one sentence. */
  message: z.string(),
  /** What it means for Okta SSO and what to do. */
  hint: z.string(),
  /** Optional pointer: certificate fingerprint, endpoint URL, date. */
  subject: z.string().optional(),
})
export type Finding = z.infer<typeof findingSchema>

export const endpointSchema = z.object({
  /** Full binding URN. */
  binding: z.string(),
  /** Short name: 'HTTP-POST', 'HTTP-Redirect', 'SOAP', 'HTTP-Artifact', or the URN when unknown. */
  bindingName: z.string(),
  location: z.string(),
})
export type Endpoint = z.infer<typeof endpointSchema>

export const certificateSchema = z.object({
  /** Base64 DER, no PEM armour, no whitespace. */
  der: z.string(),
  subject: z.string(),
  issuer: z.string(),
  /** ISO 8601. */
  notBefore: z.string(),
  notAfter: z.string(),
  /** Whole days from `now` to notAfter; negative once expired. */
  daysLeft: z.number(),
  expired: z.boolean(),
  selfSigned: z.boolean(),
  /** Upper-case, colon-separated hex. */
  sha256Fingerprint: z.string(),
  sha1Fingerprint: z.string(),
  keyType: z.string(),
  keySize: z.number().nullable(),
  signatureAlgorithm: z.string(),
  /** Which KeyDescriptor uses it: 'signing' or 'unspecified' (no `use`, which counts as signing). */
  use: z.enum(['signing', 'unspecified']),
})
export type CertificateInfo = z.infer<typeof certificateSchema>

export const signatureStatusSchema = z.object({
  signed: z.boolean(),
  /** true: verifies against the certificate it carries (integrity, not trust); false: does not; null: not signed or could not be checked. */
  valid: z.boolean().nullable(),
  detail: z.string().optional(),
})

export const idpVendorSchema = z.enum([
  'okta',
  'entra',
  'google',
  'adfs',
  'ping',
  'onelogin',
  'jumpcloud',
  'keycloak',
  'shibboleth',
  'auth0',
  'generic',
])
export type IdpVendor = z.infer<typeof idpVendorSchema>

/** The IdP that issued the document, recognised from its entity ID and sign-on URLs. */
export const idpIdentitySchema = z.object({ vendor: idpVendorSchema, label: z.string() })
export type IdpIdentity = z.infer<typeof idpIdentitySchema>

/**
 * Whether SSO will work NOW with this document, decided by its worst finding: 'error' when SSO
 * cannot work (an error finding, or every signing certificate expired), 'warn' when it works
 * with a problem someone must act on, 'ok' otherwise. `ok` above stays "the document is usable".
 */
export const verdictSchema = z.object({
  level: z.enum(['ok', 'warn', 'error']),
  /** One line for the status banner, naming the worst finding. */
  summary: z.string(),
  worstFinding: findingSchema.nullable(),
})
export type MetadataVerdict = z.infer<typeof verdictSchema>

export const idpMetadataSchema = z.object({
  /** true when the document is usable for SSO configuration: no error-severity finding. */
  ok: z.boolean(),
  verdict: verdictSchema,
  idp: idpIdentitySchema,
  entityId: z.string().nullable(),
  ssoServices: z.array(endpointSchema),
  sloServices: z.array(endpointSchema),
  nameIdFormats: z.array(z.string()),
  signingCertificates: z.array(certificateSchema),
  validUntil: z.string().nullable(),
  cacheDuration: z.string().nullable(),
  signature: signatureStatusSchema,
  findings: z.array(findingSchema),
  /**
   * Entity IDs of every IdP in an aggregate (EntitiesDescriptor), in document order, also when one
   * is selected; empty for a single EntityDescriptor. With several IdPs and no `entityId` chosen the
   * result is `ok: false` with `metadata.choose_idp` and the rest of the model empty.
   */
  idps: z.array(z.string()),
  /** Where it came from: 'file:<base name>', 'paste' (or 'paste:<name>' when the text source has a name), or the URL. */
  source: z.string(),
  /** Size in bytes of the document as read. */
  sizeBytes: z.number(),
})
export type IdpMetadata = z.infer<typeof idpMetadataSchema>

export const metadataSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string(), name: z.string().optional() }),
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('file'), path: z.string() }),
])
export type MetadataSource = z.infer<typeof metadataSourceSchema>

/**
 * The warning a wizard for one IdP shows when the file came from another (the onboarding is for
 * Okta; an Entra file there is a mix-up, not a usable answer). null when it matches or is unknown.
 */
export function otherIdpWarning(
  m: Pick<IdpMetadata, 'idp'>,
  expected: IdpVendor,
  expectedLabel: string,
): string | null {
  if (m.idp.vendor === expected || m.idp.vendor === 'generic') return null
  return `This is ${m.idp.label} metadata; the wizard is for ${expectedLabel}. Import the metadata of the ${expectedLabel} app you are setting up, or use the Metadata screen for ${m.idp.label}.`
}
