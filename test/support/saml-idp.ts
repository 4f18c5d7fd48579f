import { generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'
import forge from 'node-forge'
import { SignedXml } from 'xml-crypto'

/**
 * A test IdP that signs SAML responses the way Okta does (RSA-SHA256, exclusive C14N, an
 * enveloped signature after the Issuer), with keys and self-signed certificates made in the test.
 * Nothing here is mocked: the backend's ACS verifies these signatures with xml-crypto.
 */

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256'
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature'
export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'
const DAY = 86_400_000

export interface SigningKey {
  privateKeyPem: string
  certPem: string
  /** Base64 DER, as it appears in metadata and KeyInfo. */
  certB64: string
  /** SHA-256 fingerprint, upper-case with colons (as node:crypto and the backend print it). */
  fingerprint: string
}

export async function createSigningKey(commonName: string): Promise<SigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  // node:crypto makes the key; node-forge builds the self-signed X.509 around it.
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  )
  cert.serialNumber = `01${randomUUID().replace(/-/g, '').slice(0, 14)}`
  cert.validity.notBefore = new Date(Date.now() - DAY)
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY)
  const name = [{ name: 'commonName', value: commonName }]
  cert.setSubject(name)
  cert.setIssuer(name)
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create())
  const certPem = forge.pki.certificateToPem(cert)
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes()
  return {
    privateKeyPem,
    certPem,
    certB64: Buffer.from(der, 'binary').toString('base64'),
    fingerprint: new X509Certificate(certPem).fingerprint256.toUpperCase(),
  }
}

export interface TestIdp {
  entityId: string
  ssoUrl: string
  key: SigningKey
}

export async function createTestIdp(
  entityId = 'http://www.okta.com/exk-test-idp',
  ssoUrl = 'https://example.okta.com/app/test/sso/saml',
): Promise<TestIdp> {
  return { entityId, ssoUrl, key: await createSigningKey('test-idp') }
}

/** IdP metadata listing one or more signing certificates (two during a rotation). */
export function idpMetadataXml(idp: TestIdp, certs: SigningKey[] = [idp.key]): string {
  const keyDescriptors = certs
    .map(
      (k) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${k.certB64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${idp.entityId}"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keyDescriptors}<md:NameIDFormat>${NAMEID_EMAIL}</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${idp.ssoUrl}"/><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${idp.ssoUrl}"/></md:IDPSSODescriptor></md:EntityDescriptor>`
}

export interface ResponseOptions {
  issuer: string
  /** The SP's entity ID (Okta: "Audience URI (SP Entity ID)"). */
  audience: string
  /** The SP's ACS URL: Destination and Recipient unless overridden. */
  acsUrl: string
  destination?: string | null
  recipient?: string
  inResponseTo?: string
  nameId?: string
  nameIdFormat?: string
  attributes?: Record<string, string[]>
  /** The moment the IdP believes it is; Conditions span 5 minutes from here. */
  now?: Date
  responseId?: string
  assertionId?: string
  statusCode?: string
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function defaultAttributes(email = 'ada@example.com'): Record<string, string[]> {
  return { FirstName: ['Ada'], LastName: ['Lovelace'], email: [email] }
}

/** An unsigned SAML 2.0 Response with one assertion, shaped like Okta's. */
export function buildResponse(o: ResponseOptions): string {
  const now = o.now ?? new Date()
  const t = (ms: number) => new Date(now.getTime() + ms).toISOString()
  const nameId = o.nameId ?? 'ada@example.com'
  const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : ''
  const dest = o.destination === null ? '' : ` Destination="${esc(o.destination ?? o.acsUrl)}"`
  const attrs = Object.entries(o.attributes ?? defaultAttributes(nameId))
    .map(
      ([name, values]) =>
        `<saml2:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values.map((v) => `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml2:AttributeValue>`).join('')}</saml2:Attribute>`,
    )
    .join('')
  return (
    `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="${o.responseId ?? `id${randomUUID().replace(/-/g, '')}`}" IssueInstant="${t(0)}" Version="2.0"${dest}${irt}>` +
    `<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(o.issuer)}</saml2:Issuer>` +
    `<saml2p:Status><saml2p:StatusCode Value="${o.statusCode ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/></saml2p:Status>` +
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.assertionId ?? `id${randomUUID().replace(/-/g, '')}`}" IssueInstant="${t(0)}" Version="2.0">` +
    `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(o.issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="${o.nameIdFormat ?? NAMEID_EMAIL}">${esc(nameId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData${irt} NotOnOrAfter="${t(5 * 60_000)}" Recipient="${esc(o.recipient ?? o.acsUrl)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${t(-5 * 60_000)}" NotOnOrAfter="${t(5 * 60_000)}"><saml2:AudienceRestriction><saml2:Audience>${esc(o.audience)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${t(0)}" SessionIndex="${o.assertionId ?? 'session-1'}"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    `<saml2:AttributeStatement>${attrs}</saml2:AttributeStatement>` +
    `</saml2:Assertion></saml2p:Response>`
  )
}

export type SignWhat = 'assertion' | 'response' | 'both'

/** Signs as an IdP does: the assertion, the response, or both (assertion first). */
export function signResponse(xml: string, key: SigningKey, what: SignWhat = 'assertion'): string {
  let out = xml
  if (what === 'assertion' || what === 'both') {
    out = signElement(out, key, "//*[local-name(.)='Assertion']")
  }
  if (what === 'response' || what === 'both') {
    out = signElement(out, key, "/*[local-name(.)='Response']")
  }
  return out
}

function signElement(xml: string, key: SigningKey, xpath: string): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certPem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  })
  sig.addReference({ xpath, digestAlgorithm: SHA256, transforms: [ENVELOPED, EXC_C14N] })
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' },
  })
  return sig.getSignedXml()
}

export const encodePost = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64')

/** Posts a response to an ACS as the browser does after the IdP's auto-submitting form. */
export async function postToAcs(
  acsUrl: string,
  samlResponse: string,
  relayState?: string,
): Promise<{ status: number; text: string }> {
  const form = new URLSearchParams({ SAMLResponse: samlResponse })
  if (relayState !== undefined) form.set('RelayState', relayState)
  const res = await fetch(acsUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  })
  return { status: res.status, text: await res.text() }
}

/** The ID and RelayState of an AuthnRequest sent with the Redirect binding (the login redirect's Location). */
export function readRedirectRequest(location: string): {
  id: string
  acsUrl: string | null
  issuer: string | null
  relayState: string | null
  xml: string
} {
  const url = new URL(location)
  const xml = inflateRawSync(
    Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64'),
  ).toString('utf8')
  return {
    id: /\sID="([^"]+)"/.exec(xml)?.[1] ?? '',
    acsUrl: /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1] ?? null,
    issuer: /<(?:\w+:)?Issuer[^>]*>([^<]+)</.exec(xml)?.[1] ?? null,
    relayState: url.searchParams.get('RelayState'),
    xml,
  }
}

export interface TestIdpServer {
  /** The IdP's SSO URL (Redirect binding): put it in the metadata pushed to the tenant. */
  ssoUrl: string
  close(): Promise<void>
}

/**
 * The IdP as an HTTP endpoint on loopback: it answers an AuthnRequest (Redirect binding) with the
 * auto-submitting form a real IdP sends, carrying a signed response to the request's ACS URL.
 * `who` picks the signed-in person; `tweak` changes the response (to provoke a refusal).
 */
export async function startTestIdpServer(
  idp: TestIdp,
  opts: { who?: string; tweak?: Partial<ResponseOptions>; sign?: SignWhat } = {},
): Promise<TestIdpServer> {
  const { createServer } = await import('node:http')
  const server = createServer((req, res) => {
    try {
      const request = readRedirectRequest(`http://idp.test${req.url ?? '/'}`)
      const acsUrl = request.acsUrl ?? ''
      const xml = buildResponse({
        issuer: idp.entityId,
        audience: request.issuer ?? '',
        acsUrl,
        inResponseTo: request.id,
        nameId: opts.who ?? 'ada@example.com',
        ...opts.tweak,
      })
      const value = encodePost(signResponse(xml, idp.key, opts.sign ?? 'assertion'))
      const relay =
        request.relayState === null
          ? ''
          : `<input type="hidden" name="RelayState" value="${esc(request.relayState)}"/>`
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(
        `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${esc(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${value}"/>${relay}<noscript><button type="submit">Continue</button></noscript></form></body></html>`,
      )
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' })
      res.end(`The test IdP could not read the AuthnRequest: ${(err as Error).message}`)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    ssoUrl: `http://127.0.0.1:${port}/sso/saml`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** The action and fields of the IdP's auto-submitting form, as a browser would read them. */
export function readAutoPostForm(html: string): { action: string; fields: Record<string, string> } {
  const unesc = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  const action = unesc(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '')
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[m[1]!] = unesc(m[2]!)
  }
  return { action, fields }
}
