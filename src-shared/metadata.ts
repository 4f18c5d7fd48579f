import { z } from 'zod'

/** The parsed, display-ready model of SAML IdP metadata. Produced in main, shown by the renderer and the CLI. */

export const severitySchema = z.enum(['error', 'warning', 'info'])
export type Severity = z.infer<typeof severitySchema>

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

export const idpMetadataSchema = z.object({
  /** true when SSO can work with this document: no error-severity finding. */
  ok: z.boolean(),
  entityId: z.string().nullable(),
  ssoServices: z.array(endpointSchema),
  sloServices: z.array(endpointSchema),
  nameIdFormats: z.array(z.string()),
  signingCertificates: z.array(certificateSchema),
  validUntil: z.string().nullable(),
  cacheDuration: z.string().nullable(),
  signature: signatureStatusSchema,
  findings: z.array(findingSchema),
  /** Entity IDs of every IdP in an aggregate (EntitiesDescriptor); empty for a single EntityDescriptor. */
  idps: z.array(z.string()),
  /** Where it came from: 'file:<name>', 'paste', or the URL. */
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
