import type { Finding, IdpMetadata } from '../../src-shared/metadata.ts'
import { guardDocument } from './document-guard.ts'
import {
  FAST_PATH_BYTES,
  pickEntity,
  scannedView,
  treeView,
  type DocumentView,
} from './document-view.ts'
import { endpoints, readValidity, signingCertificates } from './extract-idp.ts'
import {
  certificateFindings,
  checkRoot,
  entityIdFindings,
  notIdp,
  serviceFindings,
  signatureFindings,
} from './finding-rules.ts'
import { finding, refusal, sortFindings } from './findings.ts'
import type { ShapeLimits } from './markup-shape.ts'
import { idpSteps, recognizeIdp } from './idp-recognition.ts'
import type { SignatureCheck } from './signature.ts'
import { verdictOf } from './verdict.ts'
import { DS_NS, MD_NS, XmlSyntaxError, type XmlElement } from './xml-tree.ts'

export interface ParseOptions {
  /** Which entity of an aggregate to use; also checked against a single EntityDescriptor. */
  entityId?: string
  /** The clock for expiry findings; tests pass a fixed date. */
  now?: Date
  /** 'file:<name>', 'paste', or the URL; shown to the user and used by the entity-ID checks. */
  source: string
  maxBytes?: number
  /** Content-Type of the HTTP answer when the document came from a URL. */
  contentType?: string
  /** Element and attribute caps of the guard (defaults in markup-shape.ts). */
  limits?: ShapeLimits
}

const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol'

function emptyModel(source: string, sizeBytes: number): IdpMetadata {
  return {
    ok: false,
    verdict: { level: 'error', summary: '', worstFinding: null },
    idp: recognizeIdp(null, []),
    entityId: null,
    ssoServices: [],
    sloServices: [],
    nameIdFormats: [],
    signingCertificates: [],
    validUntil: null,
    cacheDuration: null,
    signature: { signed: false, valid: null },
    findings: [],
    idps: [],
    source,
    sizeBytes,
  }
}

/** The model of a document refused before it could be read (too large, HTML, DTD...). */
export function refusedMetadata(
  source: string,
  sizeBytes: number,
  refusalFinding: Finding,
): IdpMetadata {
  return finish(emptyModel(source, sizeBytes), [refusalFinding])
}

function finish(model: IdpMetadata, findings: Finding[]): IdpMetadata {
  model.findings = sortFindings(findings)
  model.ok = !findings.some((f) => f.severity === 'error')
  model.verdict = verdictOf(model)
  return model
}

/** What checks a signature: signature.ts's `checkMetadataSignature` (xmldom and xml-crypto). */
export type SignatureVerifier = (
  xml: string,
  signedBy: { kind: 'root' } | { kind: 'entity'; entityId: string },
) => SignatureCheck

/**
 * Builds the display model of IdP metadata. Pure and synchronous: never throws for anything in
 * the document; every problem becomes a finding, and `ok` is false when any is an error.
 *
 * The signature check is passed in so that this module does not load xmldom and xml-crypto
 * (parse-idp-metadata.ts passes it). Without one (`null`), a document that carries a signature to
 * check gives `null` instead of a model: the caller then parses it where the verifier lives
 * (src-main/metadata/parse-untrusted.ts sends it to the worker thread).
 */
export function buildIdpMetadata(
  xml: string | Uint8Array,
  opts: ParseOptions,
  verifySignature: SignatureVerifier,
): IdpMetadata
export function buildIdpMetadata(
  xml: string | Uint8Array,
  opts: ParseOptions,
  verifySignature: SignatureVerifier | null,
): IdpMetadata | null
export function buildIdpMetadata(
  xml: string | Uint8Array,
  opts: ParseOptions,
  verifySignature: SignatureVerifier | null,
): IdpMetadata | null {
  const now = opts.now ?? new Date()
  const guarded = guardDocument(xml, {
    maxBytes: opts.maxBytes,
    contentType: opts.contentType,
    fromUrl: /^https?:/i.test(opts.source),
    limits: opts.limits,
  })
  const model = emptyModel(opts.source, guarded.sizeBytes)
  if (!guarded.ok) return finish(model, [guarded.finding])
  const text = guarded.text

  let doc: DocumentView
  try {
    doc = text.length > FAST_PATH_BYTES ? scannedView(text) : treeView(text)
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err
    const where = err.line === undefined ? '' : ` (line ${err.line}, column ${err.col ?? 0})`
    return finish(model, [refusal.malformed(err.message, where, err.truncated)])
  }

  const rootProblem = checkRoot(doc.root)
  if (rootProblem) return finish(model, [rootProblem])

  const entities = doc.entities
  const isAggregate = doc.root.local === 'EntitiesDescriptor'
  const idpEntities = entities.filter((e) => e.isIdp)
  if (isAggregate) model.idps = idpEntities.map((e) => e.entityId).filter((id) => id !== '')

  const findings: Finding[] = []
  const picked = pickEntity(entities, idpEntities, isAggregate, opts.entityId)
  if ('error' in picked) return finish(model, [picked.error])
  if (picked.note) findings.push(picked.note)
  let entity: XmlElement
  try {
    entity = picked.entity.load()
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err
    return finish(model, [refusal.malformed(err.message, '', err.truncated)])
  }
  const { ancestors } = picked.entity

  const entityId = entity.attr('entityID')?.trim() ?? ''
  model.entityId = entityId === '' ? null : entityId
  const idpRoles = entity.all(MD_NS, 'IDPSSODescriptor')
  if (idpRoles.length === 0) return finish(model, [notIdp(entity)])
  const idp =
    idpRoles.find((r) => (r.attr('protocolSupportEnumeration') ?? '').includes(SAML2_PROTOCOL)) ??
    idpRoles[0]!

  if (entityId === '') {
    findings.push(
      finding(
        'error',
        'metadata.no_entity_id',
        'The EntityDescriptor has no entityID.',
        'SSO needs the IdP entity ID to check the Issuer of every assertion. Export the metadata again from the IdP; a hand-written file must carry entityID="...".',
      ),
    )
  }

  model.ssoServices = endpoints(idp, 'SingleSignOnService')
  model.sloServices = endpoints(idp, 'SingleLogoutService')
  model.nameIdFormats = [
    ...new Set(
      idp
        .all(MD_NS, 'NameIDFormat')
        .map((n) => n.text().trim())
        .filter(Boolean),
    ),
  ]

  model.idp = recognizeIdp(model.entityId, model.ssoServices)
  const steps = idpSteps(model.idp.vendor)

  const certs = signingCertificates(idp, now, findings)
  model.signingCertificates = certs

  readValidity(entity, ancestors, now, model, findings)

  const signedBy: Parameters<SignatureVerifier>[1] | undefined = doc.rootSigned
    ? { kind: 'root' }
    : isAggregate && entityId !== '' && entity.first(DS_NS, 'Signature')
      ? { kind: 'entity', entityId }
      : undefined
  if (signedBy) {
    if (!verifySignature) return null
    model.signature = verifySignature(text, signedBy)
  }

  findings.push(...serviceFindings(model.ssoServices, steps))
  if (certs.length === 0) {
    findings.push(
      finding(
        'error',
        'metadata.no_signing_certificate',
        'The IdP role lists no signing certificate that can be read.',
        `Without the IdP signing certificate the service cannot verify SAML responses, so SSO cannot work. Download the metadata again (hand-written templates often hold a placeholder instead of the certificate): ${steps.metadata}`,
      ),
    )
  }
  findings.push(...certificateFindings(certs, now, steps))
  findings.push(...entityIdFindings(entityId, opts.source, steps))
  findings.push(...signatureFindings(model.signature))
  if (model.nameIdFormats.length === 0) {
    findings.push(
      finding(
        'info',
        'metadata.no_nameid_format',
        'The metadata names no NameID format.',
        'The IdP then sends the format configured in the app (often unspecified or emailAddress). Make sure the app sends the user identifier the service expects, usually the email address.',
      ),
    )
  }
  return finish(model, findings)
}
