import { randomBytes } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'

export interface SpUrls {
  entityId: string
  acsUrl: string
}

/** The SP values the admin API advertises for a tenant; the ACS checks against the same ones. */
export function spUrls(origin: string, tenantId: string): SpUrls {
  return {
    entityId: `${origin}/sso/${tenantId}/saml/metadata`,
    acsUrl: `${origin}/sso/${tenantId}/saml/acs`,
  }
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

/**
 * An AuthnRequest for the HTTP-Redirect binding: deflated, base64, in the IdP's SSO URL's query
 * with RelayState. Unsigned, as Okta and Entra accept by default. Returns the ID the ACS will
 * expect back in InResponseTo.
 */
export function authnRequestRedirect(
  sp: SpUrls,
  idpSsoUrl: string,
  relayState: string,
  now = new Date(),
): { id: string; location: string } {
  // A SAML ID must not start with a digit (xs:ID).
  const id = `_${randomBytes(20).toString('hex')}`
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${esc(idpSsoUrl)}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="${esc(sp.acsUrl)}">` +
    `<saml:Issuer>${esc(sp.entityId)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`
  const url = new URL(idpSsoUrl)
  url.searchParams.set('SAMLRequest', deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))
  url.searchParams.set('RelayState', relayState)
  return { id, location: url.toString() }
}

/** SP metadata, so an IdP can be configured from a URL instead of by hand. */
export function spMetadataXml(sp: SpUrls): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${esc(sp.entityId)}">` +
    `<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(sp.acsUrl)}" index="0" isDefault="true"/>` +
    `</md:SPSSODescriptor></md:EntityDescriptor>\n`
  )
}
