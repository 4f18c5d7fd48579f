import type { CertificateInfo, Endpoint, Finding, IdpMetadata } from '../../src-shared/metadata.ts'
import { decodeCertificateText, describeCertificate, isWeakDigest } from './certificates.ts'
import { guardDocument } from './document-guard.ts'
import { isLoopbackHost } from '../net/loopback.ts'
import { finding, refusal, sortFindings } from './findings.ts'
import { checkMetadataSignature } from './signature.ts'
import { entityDocument, scanAggregate } from './aggregate-scanner.ts'
import {
  checkWellFormed,
  DS_NS,
  MD_NS,
  parseXmlTree,
  XmlSyntaxError,
  type XmlElement,
} from './xml-tree.ts'

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
}

const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol'
const BINDING_PREFIX = 'urn:oasis:names:tc:SAML:2.0:bindings:'
const POST = `${BINDING_PREFIX}HTTP-POST`
const REDIRECT = `${BINDING_PREFIX}HTTP-Redirect`
const EXPIRY_WARNING_DAYS = 30

function emptyModel(source: string, sizeBytes: number): IdpMetadata {
  return {
    ok: false,
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
  return model
}

/**
 * Parses IdP metadata into the display model. Pure and synchronous: never throws for anything
 * in the document; every problem becomes a finding, and `ok` is false when any is an error.
 */
export function parseIdpMetadata(xml: string | Uint8Array, opts: ParseOptions): IdpMetadata {
  const now = opts.now ?? new Date()
  const guarded = guardDocument(xml, {
    maxBytes: opts.maxBytes,
    contentType: opts.contentType,
    fromUrl: /^https?:/i.test(opts.source),
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
        'Okta SSO needs the IdP entity ID to check the Issuer of every assertion. Export the metadata again from the IdP; a hand-written file must carry entityID="...".',
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

  const certs = signingCertificates(idp, now, findings)
  model.signingCertificates = certs

  readValidity(entity, ancestors, now, model, findings)

  if (doc.rootSigned) {
    model.signature = checkMetadataSignature(text, { kind: 'root' })
  } else if (isAggregate && entityId !== '' && entity.first(DS_NS, 'Signature')) {
    model.signature = checkMetadataSignature(text, { kind: 'entity', entityId })
  }

  findings.push(...serviceFindings(model.ssoServices))
  if (certs.length === 0) {
    findings.push(
      finding(
        'error',
        'metadata.no_signing_certificate',
        'The IdP role lists no signing certificate that can be read.',
        'Without the IdP signing certificate the service cannot verify SAML responses, so Okta SSO cannot work. Download the metadata again from the IdP (in Okta: Sign On > View IdP metadata); hand-written templates often hold a placeholder instead of the certificate.',
      ),
    )
  }
  findings.push(...certificateFindings(certs, now))
  findings.push(...entityIdFindings(entityId, opts.source))
  findings.push(...signatureFindings(model.signature))
  if (model.nameIdFormats.length === 0) {
    findings.push(
      finding(
        'info',
        'metadata.no_nameid_format',
        'The metadata names no NameID format.',
        'Okta then sends the format configured in the app (often unspecified or emailAddress). Make sure the app sends the user identifier the service expects, usually the email address.',
      ),
    )
  }
  return finish(model, findings)
}

function checkRoot(root: RootInfo): Finding | undefined {
  const isMetadataName = root.local === 'EntityDescriptor' || root.local === 'EntitiesDescriptor'
  if (isMetadataName && root.ns === MD_NS) return undefined
  if (isMetadataName) {
    const ns = root.ns === null ? 'no namespace' : `the namespace ${root.ns}`
    return finding(
      'error',
      'metadata.wrong_namespace',
      `The root element ${root.local} is in ${ns}, not the SAML 2.0 metadata namespace (${MD_NS}).`,
      'The element names look like SAML metadata but the namespace is wrong, so no SAML library, Okta included, will read it. Export the metadata again from the IdP rather than editing it by hand.',
    )
  }
  const what = /^(Response|Assertion|AuthnRequest|LogoutRequest|LogoutResponse)$/.test(root.local)
    ? `a SAML ${root.local} message`
    : `an XML document whose root element is <${root.qname}>`
  return finding(
    'error',
    'metadata.not_saml',
    `This is ${what}, not SAML metadata.`,
    'IdP metadata is a document whose root is <EntityDescriptor> (or an <EntitiesDescriptor> aggregate). In Okta: open the SAML app > Sign On > View IdP metadata, and use that document.',
  )
}

interface RootInfo {
  qname: string
  local: string
  ns: string | null
}

type AncestorAttrs = { validUntil?: string | undefined; cacheDuration?: string | undefined }

interface EntityRef {
  entityId: string
  isIdp: boolean
  load(): XmlElement
  /** Enclosing EntitiesDescriptors, outermost first; they can carry validUntil/cacheDuration. */
  ancestors: AncestorAttrs[]
}

/** What the model is built from, whichever way the document was read. */
interface DocumentView {
  root: RootInfo
  rootSigned: boolean
  entities: EntityRef[]
}

/** Above this, aggregates are scanned and only the chosen entity is parsed into a tree. */
const FAST_PATH_BYTES = 2 * 1024 * 1024

function treeView(text: string): DocumentView {
  const root = parseXmlTree(text)
  const entities: EntityRef[] = []
  const walk = (el: XmlElement, ancestors: AncestorAttrs[]): void => {
    if (el.local === 'EntityDescriptor') {
      entities.push({
        entityId: el.attr('entityID')?.trim() ?? '',
        isIdp: el.first(MD_NS, 'IDPSSODescriptor') !== undefined,
        load: () => el,
        ancestors,
      })
      return
    }
    const inner = [
      ...ancestors,
      { validUntil: el.attr('validUntil'), cacheDuration: el.attr('cacheDuration') },
    ]
    for (const child of el.children()) {
      if (
        child.ns === MD_NS &&
        (child.local === 'EntityDescriptor' || child.local === 'EntitiesDescriptor')
      ) {
        walk(child, inner)
      }
    }
  }
  if (root.ns === MD_NS) walk(root, [])
  return { root, rootSigned: root.first(DS_NS, 'Signature') !== undefined, entities }
}

function scannedView(text: string): DocumentView {
  // The scan first: it refuses absurd nesting after a few hundred bytes, where a full
  // validation would walk all of it.
  let scan: ReturnType<typeof scanAggregate>
  try {
    scan = scanAggregate(text)
  } catch (err) {
    // The validator words the problem better (line and column) whenever it sees it too.
    if (err instanceof XmlSyntaxError && !/nested/.test(err.message)) checkWellFormed(text)
    throw err
  }
  checkWellFormed(text)
  if (scan.rootLocal !== 'EntitiesDescriptor' || scan.rootNs !== MD_NS) {
    // One huge EntityDescriptor (or not metadata at all): the ordinary tree serves.
    return treeView(text)
  }
  return {
    root: { qname: scan.rootQname, local: scan.rootLocal, ns: scan.rootNs },
    rootSigned: scan.rootSigned,
    entities: scan.entities.map((e) => ({
      entityId: e.entityId,
      isIdp: e.isIdp,
      load: () => parseXmlTree(entityDocument(text, e)),
      ancestors: e.ancestors,
    })),
  }
}

type Pick = { entity: EntityRef; note?: Finding } | { error: Finding }

function pickEntity(
  entities: EntityRef[],
  idpEntities: EntityRef[],
  isAggregate: boolean,
  wanted: string | undefined,
): Pick {
  const list = (refs: EntityRef[]): string =>
    refs
      .slice(0, 5)
      .map((e) => e.entityId)
      .join(', ') + (refs.length > 5 ? `, and ${refs.length - 5} more` : '')
  if (wanted !== undefined && wanted !== '') {
    const found = entities.find((e) => e.entityId === wanted.trim())
    if (found) return { entity: found }
    return {
      error: finding(
        'error',
        'metadata.entity_not_found',
        `No entity with the ID ${wanted} is in this document.`,
        idpEntities.length > 0
          ? `Choose one of the IdPs it lists: ${list(idpEntities)}.`
          : 'The document lists no IdP at all; check that this is the metadata of your IdP.',
      ),
    }
  }
  if (!isAggregate) return { entity: entities[0]! }
  if (idpEntities.length === 1) {
    const only = idpEntities[0]!
    const note =
      entities.length > 1
        ? finding(
            'info',
            'metadata.aggregate_single_idp',
            `The document is an aggregate of ${entities.length} entities; its only IdP, ${only.entityId}, was selected.`,
            'Nothing to do unless you meant another IdP.',
          )
        : undefined
    return note ? { entity: only, note } : { entity: only }
  }
  if (idpEntities.length === 0) {
    return {
      error: finding(
        'error',
        'metadata.not_idp',
        `The document is an aggregate of ${entities.length} entities and none of them is an identity provider (all are service providers or other roles).`,
        'Okta SSO needs the metadata of the IdP (Okta), not of service providers. In Okta: open the SAML app > Sign On > View IdP metadata.',
      ),
    }
  }
  return {
    error: finding(
      'error',
      'metadata.choose_idp',
      `The document is an aggregate listing ${idpEntities.length} IdPs; choose one.`,
      `Pick the IdP your users sign in with (CLI: --entity-id). IdPs: ${list(idpEntities)}.`,
    ),
  }
}

function notIdp(entity: XmlElement): Finding {
  const sp = entity.first(MD_NS, 'SPSSODescriptor') !== undefined
  return finding(
    'error',
    'metadata.not_idp',
    sp
      ? 'This is service-provider (SP) metadata: it has an SPSSODescriptor and no IDPSSODescriptor.'
      : 'The entity has no IDPSSODescriptor, so it is not an identity provider.',
    'The service needs the metadata of the identity provider (Okta), not its own SP metadata. In Okta: open the SAML app > Sign On > View IdP metadata, and import that document.',
  )
}

const BINDING_NAMES: Record<string, string> = {
  [POST]: 'HTTP-POST',
  [REDIRECT]: 'HTTP-Redirect',
  [`${BINDING_PREFIX}HTTP-Artifact`]: 'HTTP-Artifact',
  [`${BINDING_PREFIX}SOAP`]: 'SOAP',
  [`${BINDING_PREFIX}PAOS`]: 'PAOS',
  [`${BINDING_PREFIX}HTTP-POST-SimpleSign`]: 'HTTP-POST-SimpleSign',
}

function endpoints(role: XmlElement, local: string): Endpoint[] {
  const seen = new Set<string>()
  const out: Endpoint[] = []
  for (const el of role.all(MD_NS, local)) {
    const binding = el.attr('Binding')?.trim() ?? ''
    const location = el.attr('Location')?.trim() ?? ''
    const key = `${binding} ${location}`
    if (location === '' || seen.has(key)) continue
    seen.add(key)
    out.push({ binding, bindingName: BINDING_NAMES[binding] ?? binding, location })
  }
  return out
}

function signingCertificates(role: XmlElement, now: Date, findings: Finding[]): CertificateInfo[] {
  const out: CertificateInfo[] = []
  const seen = new Set<string>()
  let misplaced = 0
  for (const kd of role.all(MD_NS, 'KeyDescriptor')) {
    const useAttr = kd.attr('use')?.trim()
    if (useAttr === 'encryption') continue
    const use: CertificateInfo['use'] = useAttr === 'signing' ? 'signing' : 'unspecified'
    const texts: string[] = []
    for (const keyInfo of kd.all(DS_NS, 'KeyInfo')) {
      for (const data of keyInfo.all(DS_NS, 'X509Data')) {
        for (const c of data.all(DS_NS, 'X509Certificate')) texts.push(c.text())
      }
    }
    if (texts.length === 0) {
      for (const d of kd.descendants()) if (d.local === 'X509Certificate') misplaced++
    }
    for (const t of texts) {
      const der = decodeCertificateText(t)
      let info: CertificateInfo | undefined
      try {
        info = der ? describeCertificate(der, now, use) : undefined
      } catch {
        info = undefined
      }
      if (!info) {
        findings.push(
          finding(
            'warning',
            'metadata.invalid_certificate',
            `A signing KeyDescriptor holds text that is not a certificate: "${abbreviate(t)}".`,
            'This certificate cannot be used to verify Okta sign-ins. Template files often carry a placeholder here; download the real metadata from the IdP.',
          ),
        )
        continue
      }
      if (seen.has(info.sha256Fingerprint)) continue
      seen.add(info.sha256Fingerprint)
      out.push(info)
    }
  }
  if (misplaced > 0) {
    findings.push(
      finding(
        'warning',
        'metadata.keyinfo_wrong_namespace',
        `${misplaced} X509Certificate element(s) are not in the XML Signature namespace (${DS_NS}), so they are not certificates to a SAML library.`,
        'Namespace-aware SAML software, Okta included, ignores these certificates. Export the metadata again from the IdP rather than editing it by hand.',
      ),
    )
  }
  return out
}

function abbreviate(s: string): string {
  const flat = s.replace(/\s+/g, '')
  return flat.length > 40 ? `${flat.slice(0, 20)}...${flat.slice(-12)}` : flat
}

// xs:duration: at least one component, and a T only when a time component follows.
const XS_DURATION = /^-?P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/

function readValidity(
  entity: XmlElement,
  ancestors: AncestorAttrs[],
  now: Date,
  model: IdpMetadata,
  findings: Finding[],
): void {
  const own: AncestorAttrs = {
    validUntil: entity.attr('validUntil'),
    cacheDuration: entity.attr('cacheDuration'),
  }
  const chain = [...ancestors, own]
  // The strictest validUntil in the chain applies: an aggregate's expiry covers its members.
  let earliest: { iso: string; time: number } | undefined
  for (const attrs of chain) {
    const raw = attrs.validUntil?.trim()
    if (raw === undefined || raw === '') continue
    const time = Date.parse(raw)
    if (Number.isNaN(time)) {
      findings.push(
        finding(
          'warning',
          'metadata.invalid_valid_until',
          `validUntil="${raw}" is not a valid date and time.`,
          'Some SAML software rejects such metadata. Download the metadata again from the IdP.',
        ),
      )
      continue
    }
    if (!earliest || time < earliest.time) earliest = { iso: new Date(time).toISOString(), time }
  }
  model.validUntil = earliest?.iso ?? null
  if (earliest && earliest.time < now.getTime()) {
    findings.push(
      finding(
        'warning',
        'metadata.valid_until_passed',
        `The metadata expired on ${earliest.iso.slice(0, 10)} (validUntil).`,
        'Software that enforces validUntil refuses expired metadata, and the certificates in it may have been rotated since. Download a current copy from the IdP.',
        earliest.iso,
      ),
    )
  }
  // The nearest cacheDuration applies.
  const cacheDuration =
    [...chain]
      .reverse()
      .map((attrs) => attrs.cacheDuration?.trim())
      .find(Boolean) ?? null
  model.cacheDuration = cacheDuration
  if (cacheDuration !== null && !XS_DURATION.test(cacheDuration)) {
    findings.push(
      finding(
        'warning',
        'metadata.invalid_cache_duration',
        `cacheDuration="${cacheDuration}" is not a valid xs:duration; it is ignored.`,
        'Harmless for Okta SSO, but strict SAML libraries may refuse the file. Ask the IdP owner to fix it (for example P1D for one day).',
      ),
    )
  }
}

function serviceFindings(sso: Endpoint[]): Finding[] {
  const out: Finding[] = []
  if (sso.length === 0) {
    out.push(
      finding(
        'error',
        'metadata.no_sso_service',
        'The IdP role lists no SingleSignOnService.',
        'Without a sign-on URL the service cannot send users to the IdP, so SP-initiated Okta SSO cannot work. Download the complete metadata from the IdP (in Okta: Sign On > View IdP metadata).',
      ),
    )
    return out
  }
  const bindings = new Set(sso.map((s) => s.binding))
  if (bindings.has(REDIRECT) && !bindings.has(POST)) {
    out.push(
      finding(
        'warning',
        'metadata.redirect_only',
        'The IdP accepts sign-in requests only with the HTTP-Redirect binding.',
        'Fine for most services, but a service that sends SAML requests by HTTP-POST cannot start SP-initiated sign-in. Configure the service to use HTTP-Redirect.',
      ),
    )
  }
  if (!bindings.has(REDIRECT) && !bindings.has(POST)) {
    out.push(
      finding(
        'error',
        'metadata.no_browser_sso_binding',
        'The IdP lists no HTTP-Redirect or HTTP-POST sign-on service.',
        'Browser SSO with Okta needs one of them. Check the IdP application is configured for SAML 2.0 web SSO and export its metadata again.',
      ),
    )
  }
  for (const s of sso) {
    let url: URL | undefined
    try {
      url = new URL(s.location)
    } catch {
      url = undefined
    }
    if (!url) {
      out.push(
        finding(
          'error',
          'metadata.invalid_sso_url',
          `The sign-on URL "${s.location}" is not a valid absolute URL.`,
          'The service cannot redirect users to it. Download the metadata again from the IdP.',
          s.location,
        ),
      )
    } else if (/YOUR_|EXAMPLE_|<|>/i.test(decodeURIComponent(s.location))) {
      out.push(
        finding(
          'error',
          'metadata.placeholder_url',
          `The sign-on URL ${s.location} is a template placeholder, not a real address.`,
          'This file is a template. Download the real metadata from your Okta app (Sign On > View IdP metadata).',
          s.location,
        ),
      )
    } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      out.push(
        finding(
          'warning',
          'metadata.insecure_sso_url',
          `The sign-on URL ${s.location} uses plain HTTP.`,
          'Sign-in requests would travel unencrypted. Use the https:// address of the IdP.',
          s.location,
        ),
      )
    }
  }
  return out
}

function certificateFindings(certs: CertificateInfo[], now: Date): Finding[] {
  const out: Finding[] = []
  const anyValid = certs.some((c) => !c.expired)
  for (const c of certs) {
    const name = `${c.subject || 'certificate'} (SHA-256 ${c.sha256Fingerprint.slice(0, 11)}...)`
    const date = c.notAfter.slice(0, 10)
    if (c.expired) {
      out.push(
        finding(
          'warning',
          'metadata.cert_expired',
          `Signing certificate ${name} expired on ${date}.`,
          anyValid
            ? 'Another signing certificate is still valid, so Okta SSO can work; remove the expired one after the IdP stops using it.'
            : 'Services that check certificate dates will reject SAML responses signed with it. In Okta: Sign On > SAML Signing Certificates > Generate new certificate, activate it, then import the new metadata.',
          c.notAfter,
        ),
      )
    } else if (c.daysLeft < EXPIRY_WARNING_DAYS) {
      out.push(
        finding(
          'warning',
          'metadata.cert_expiring',
          `Signing certificate ${name} expires on ${date}, in ${c.daysLeft} day(s).`,
          certs.some((o) => o !== c && o.daysLeft > c.daysLeft + EXPIRY_WARNING_DAYS)
            ? 'A newer signing certificate is already published (a rollover in progress): make sure the service trusts both, and remove this one after it expires.'
            : 'When it expires Okta sign-ins will fail on services that check certificate dates. Plan the rotation now: generate the new certificate in Okta, and import the metadata again once it is active.',
          c.notAfter,
        ),
      )
    }
    if (isWeakDigest(c.signatureAlgorithm)) {
      out.push(
        finding(
          'warning',
          'metadata.cert_sha1_signature',
          `Signing certificate ${name} is signed with ${c.signatureAlgorithm}.`,
          'SHA-1 is broken for signatures. It does not stop SAML responses from verifying, but security reviews flag it: generate a SHA-256 certificate at the IdP when you next rotate.',
          c.sha256Fingerprint,
        ),
      )
    }
    if (c.keyType.startsWith('RSA') && c.keySize !== null && c.keySize < 2048) {
      out.push(
        finding(
          'warning',
          'metadata.cert_weak_key',
          `Signing certificate ${name} has a ${c.keySize}-bit RSA key.`,
          'RSA keys under 2048 bits can be factored by a determined attacker, who could then forge Okta sign-ins. Rotate to a 2048-bit or larger key at the IdP.',
          c.sha256Fingerprint,
        ),
      )
    }
    if (Date.parse(c.notBefore) > now.getTime()) {
      out.push(
        finding(
          'warning',
          'metadata.cert_not_yet_valid',
          `Signing certificate ${name} is valid only from ${c.notBefore.slice(0, 10)}.`,
          'Until then services that check certificate dates reject responses signed with it. Check the clock of this machine, or wait until the IdP activates it.',
          c.notBefore,
        ),
      )
    }
  }
  return out
}

const PLACEHOLDER =
  /^(idp entity ?id|entity ?id|issuer|changeme|change_me|placeholder|todo|tbd|test|different_idp_entity_id)$|YOUR_|EXAMPLE_|<[^<>]*>|\bexample\.(com|org|net)\b/i

function entityIdFindings(entityId: string, source: string): Finding[] {
  const out: Finding[] = []
  if (entityId === '') return out
  if (PLACEHOLDER.test(entityId)) {
    out.push(
      finding(
        'warning',
        'metadata.placeholder_entity_id',
        `The entity ID "${entityId}" looks like a placeholder, not a value the IdP really uses.`,
        'Okta SSO compares the Issuer of every SAML response with this value; if the IdP sends its real entity ID, every sign-in fails. Check the IdP Entity ID (Issuer) in the IdP application settings and export the metadata again.',
        entityId,
      ),
    )
  } else if (!/^[a-z][a-z0-9+.-]*:/i.test(entityId)) {
    out.push(
      finding(
        'warning',
        'metadata.entity_id_not_uri',
        `The entity ID "${entityId}" is not a URI.`,
        'SAML entity IDs are URIs (Okta uses http://www.okta.com/<app id>). If this was typed by hand, assertions will carry a different Issuer and sign-in fails. Check the IdP Issuer setting.',
        entityId,
      ),
    )
  }
  const norm = (u: string): string =>
    u
      .trim()
      .replace(/(?<!\/)\/+$/, '')
      .toLowerCase()
  const fromUrl = /^https?:\/\//i.test(source)
  if (
    (fromUrl && norm(entityId) === norm(source)) ||
    /\/sso\/saml\/metadata$|federationmetadata\.xml$|\/metadata\.xml$|\/saml\/metadata\.php$/i.test(
      entityId,
    )
  ) {
    out.push(
      finding(
        'warning',
        'metadata.entity_id_is_metadata_url',
        `The entity ID "${entityId}" looks like the metadata URL itself.`,
        'Okta and most IdPs use a separate Issuer value (Okta: http://www.okta.com/<app id>). If the entity ID was set to the metadata URL by hand, the Issuer in SAML responses will not match. Check the IdP Issuer setting.',
        entityId,
      ),
    )
  }
  if (
    /\/(sp|acs|saml2?\/acs|saml\/consume|assertionconsumerservice|sp\/login)(\/|$)/i.test(entityId)
  ) {
    out.push(
      finding(
        'warning',
        'metadata.entity_id_looks_like_sp',
        `The entity ID "${entityId}" looks like a service-provider URL, not the IdP's own identifier.`,
        'A common mix-up is to put the service’s URL in the IdP Entity ID field. It works only if the IdP sends this exact value as Issuer; check the IdP application settings.',
        entityId,
      ),
    )
  }
  return out
}

function signatureFindings(sig: IdpMetadata['signature']): Finding[] {
  if (sig.signed && sig.valid === false) {
    return [
      finding(
        'warning',
        'metadata.signature_invalid',
        `The metadata is signed but the signature does not verify against its own certificate: ${sig.detail ?? 'invalid'}.`,
        'Usually harmless: the file was re-formatted or edited after signing. Okta SSO uses the signing certificate, not this signature. If you load metadata by URL with signature checking, download an untouched copy.',
      ),
    ]
  }
  return []
}
