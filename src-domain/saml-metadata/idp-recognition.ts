import type { Endpoint, IdpIdentity, IdpVendor } from '../../src-shared/metadata.ts'

/**
 * Which IdP issued a metadata document, from its entity ID and sign-on URLs (each vendor has a
 * recognisable shape), and that IdP's own menu paths for the fixes the findings suggest: an
 * Entra or Google admin must not be sent to Okta's "Sign On" tab.
 */

export const IDP_LABELS: Record<IdpVendor, string> = {
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  google: 'Google Workspace',
  adfs: 'AD FS',
  ping: 'Ping Identity',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  keycloak: 'Keycloak',
  shibboleth: 'Shibboleth IdP',
  auth0: 'Auth0',
  generic: 'an unrecognised IdP',
}

function host(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase()
  } catch {
    return ''
  }
}

function path(url: string): string {
  try {
    return new URL(url).pathname.toLowerCase()
  } catch {
    return ''
  }
}

const under = (h: string, domain: string): boolean => h === domain || h.endsWith(`.${domain}`)

/** The tests in order: the entity ID is checked before URLs (JumpCloud lets it be anything). */
const RULES: Array<{
  vendor: IdpVendor
  test: (id: string, hosts: string[], paths: string[]) => boolean
}> = [
  {
    vendor: 'okta',
    // An Okta app's sign-on path is /app/<name>/<app id>/sso/saml, also in hand-made templates.
    test: (id, hosts, paths) =>
      /^https?:\/\/www\.okta\.com\//i.test(id) ||
      hosts.some((h) =>
        ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com'].some((d) => under(h, d)),
      ) ||
      paths.some((p) => /^\/app\/.+\/sso\/saml$/.test(p)),
  },
  {
    vendor: 'entra',
    test: (id, hosts) =>
      /^https:\/\/sts\.windows\.net\//i.test(id) ||
      hosts.some((h) =>
        ['login.microsoftonline.com', 'login.windows.net', 'login.microsoftonline.us'].includes(h),
      ),
  },
  {
    vendor: 'google',
    test: (id, hosts) =>
      /^https:\/\/accounts\.google\.com\//i.test(id) || hosts.includes('accounts.google.com'),
  },
  {
    vendor: 'onelogin',
    test: (id, hosts) =>
      under(host(id), 'onelogin.com') || hosts.some((h) => under(h, 'onelogin.com')),
  },
  {
    vendor: 'jumpcloud',
    test: (id, hosts) =>
      under(host(id), 'jumpcloud.com') || hosts.some((h) => under(h, 'jumpcloud.com')),
  },
  {
    vendor: 'ping',
    test: (id, hosts, paths) =>
      [host(id), ...hosts].some((h) => /(^|\.)ping(one|identity)\.[a-z.]+$/.test(h)) ||
      paths.some((p) => p.endsWith('/idp/sso.saml2')),
  },
  {
    vendor: 'auth0',
    test: (id, hosts) =>
      /^urn:[^:]+\.auth0\.com$/i.test(id) || hosts.some((h) => under(h, 'auth0.com')),
  },
  {
    vendor: 'adfs',
    test: (id, _hosts, paths) =>
      /\/adfs\/services\/trust\/?$/i.test(id) || paths.some((p) => p.startsWith('/adfs/ls')),
  },
  {
    vendor: 'keycloak',
    test: (id, _hosts, paths) =>
      /\/realms\/[^/]+\/?$/i.test(id) ||
      paths.some((p) => /\/realms\/[^/]+\/protocol\/saml/.test(p)),
  },
  {
    vendor: 'shibboleth',
    test: (id, _hosts, paths) =>
      /\/idp\/shibboleth\/?$/i.test(id) || paths.some((p) => p.startsWith('/idp/profile/saml2/')),
  },
]

export function recognizeIdp(entityId: string | null, sso: Endpoint[]): IdpIdentity {
  const id = entityId ?? ''
  const hosts = sso.map((s) => host(s.location)).filter(Boolean)
  const paths = sso.map((s) => path(s.location)).filter(Boolean)
  const vendor = RULES.find((r) => r.test(id, hosts, paths))?.vendor ?? 'generic'
  return { vendor, label: IDP_LABELS[vendor] }
}

/** One IdP's menu paths for the three fixes the findings suggest. */
export interface IdpSteps {
  /** Where to get this IdP's metadata again. */
  metadata: string
  /** How to put a new signing certificate in place. */
  newCertificate: string
  /** Where the Issuer (IdP entity ID) is set or shown. */
  issuer: string
}

const STEPS: Record<IdpVendor, IdpSteps> = {
  okta: {
    metadata: 'In Okta: open the SAML app > Sign On > View IdP metadata.',
    newCertificate:
      'In Okta: Sign On > SAML Signing Certificates > Generate new certificate, activate it, then import the new metadata.',
    issuer:
      'Okta’s Issuer is http://www.okta.com/<app id> (Sign On > View SAML setup instructions).',
  },
  entra: {
    metadata:
      'In the Microsoft Entra admin center: Enterprise applications > your app > Single sign-on > SAML Certificates > Federation Metadata XML > Download.',
    newCertificate:
      'In the Microsoft Entra admin center: Enterprise applications > your app > Single sign-on > SAML Certificates > Edit > New Certificate, make it active, then download the Federation Metadata XML again.',
    issuer:
      'Entra’s Issuer is https://sts.windows.net/<tenant id>/ (Single sign-on > “Microsoft Entra Identifier”).',
  },
  google: {
    metadata:
      'In the Google Admin console: Apps > Web and mobile apps > your SAML app > Download metadata.',
    newCertificate:
      'In the Google Admin console: Apps > Web and mobile apps > your SAML app > Manage certificates > Add certificate, then Download metadata again.',
    issuer:
      'Google’s Entity ID is https://accounts.google.com/o/saml2?idpid=<id> (the app’s Google Identity Provider details).',
  },
  adfs: {
    metadata:
      'AD FS publishes it at https://<AD FS host>/FederationMetadata/2007-06/FederationMetadata.xml.',
    newCertificate:
      'In AD FS Management: Service > Certificates, add a token-signing certificate (or run Update-AdfsCertificate -CertificateType Token-Signing), make it primary, then fetch FederationMetadata.xml again.',
    issuer:
      'AD FS Management > Service > Edit Federation Service Properties: “Federation Service identifier”.',
  },
  ping: {
    metadata:
      'In PingOne: Applications > your SAML app > Configuration > Download Metadata (PingFederate: System > Protocol Metadata > Metadata Export).',
    newCertificate:
      'In PingOne: Settings > Certificates & Key Pairs, add a signing key pair, assign it to the app, then download the metadata again.',
    issuer: 'The app’s Configuration tab in PingOne: “Issuer ID”.',
  },
  onelogin: {
    metadata: 'In OneLogin: Applications > your app > More Actions > SAML Metadata.',
    newCertificate:
      'In OneLogin: Security > Certificates > New, choose it on the app’s SSO tab, then download SAML Metadata again.',
    issuer: 'The app’s SSO tab in OneLogin: “Issuer URL”.',
  },
  jumpcloud: {
    metadata:
      'In the JumpCloud admin portal: SSO Applications > your app > SSO tab > Export Metadata.',
    newCertificate:
      'In the JumpCloud admin portal: the app’s SSO tab, replace the IdP certificate and private key, save, then Export Metadata again.',
    issuer: 'The app’s SSO tab in JumpCloud: “IdP Entity ID”.',
  },
  keycloak: {
    metadata: 'Keycloak publishes it at https://<host>/realms/<realm>/protocol/saml/descriptor.',
    newCertificate:
      'In Keycloak: Realm settings > Keys > Providers, add an rsa-generated key with a higher priority, then download the descriptor again.',
    issuer: 'Keycloak’s Issuer is https://<host>/realms/<realm>.',
  },
  shibboleth: {
    metadata:
      'A Shibboleth IdP publishes it at https://<host>/idp/shibboleth (or metadata/idp-metadata.xml in its install folder).',
    newCertificate:
      'On the Shibboleth IdP: create a new signing key pair in credentials/, publish its certificate in the metadata next to the old one, then switch the IdP to it.',
    issuer: 'The Shibboleth IdP’s idp.entityID in conf/idp.properties.',
  },
  auth0: {
    metadata:
      'In the Auth0 dashboard: Applications > your app > Addons > SAML2 Web App > Usage > Identity Provider Metadata.',
    newCertificate:
      'In the Auth0 dashboard: Settings > Signing Keys > Rotate Signing Key, then download the metadata again.',
    issuer: 'Auth0’s Issuer is urn:<tenant>.auth0.com.',
  },
  generic: {
    metadata:
      'Download the metadata again straight from the IdP’s admin console (the SAML app’s metadata link or file).',
    newCertificate:
      'At the IdP, add a new signing certificate for this app, activate it, then download the metadata again.',
    issuer: 'Check the IdP Entity ID (Issuer) in the IdP’s application settings.',
  },
}

export function idpSteps(vendor: IdpVendor): IdpSteps {
  return STEPS[vendor]
}
