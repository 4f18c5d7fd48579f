import type { XmlElement } from '../saml-metadata/xml-tree.ts'
import { DSIG_NS, SAML_NS, SAMLP_NS } from './saml-ns.ts'

export interface SubjectConfirmationView {
  method: string | null
  recipient: string | null
  notBefore: string | null
  notOnOrAfter: string | null
  inResponseTo: string | null
}

export interface AttributeView {
  name: string
  friendlyName: string | null
  values: string[]
}

/** What an assertion says, as read from XML; no signature values, no certificates. */
export interface AssertionView {
  id: string | null
  issuer: string | null
  issueInstant: string | null
  nameId: string | null
  nameIdFormat: string | null
  subjectConfirmations: SubjectConfirmationView[]
  notBefore: string | null
  notOnOrAfter: string | null
  audiences: string[]
  authnInstant: string | null
  sessionIndex: string | null
  attributes: AttributeView[]
}

export interface ResponseView {
  id: string | null
  issuer: string | null
  issueInstant: string | null
  destination: string | null
  inResponseTo: string | null
  statusCode: string | null
  /** A second-level status (Okta puts the precise cause there), when present. */
  subStatusCode: string | null
  statusMessage: string | null
  signed: boolean
}

export interface AuthnRequestView {
  id: string | null
  issuer: string | null
  issueInstant: string | null
  destination: string | null
  acsUrl: string | null
  protocolBinding: string | null
  nameIdPolicyFormat: string | null
  forceAuthn: boolean
}

function textOf(el: XmlElement | undefined): string | null {
  if (!el) return null
  const t = el.text().trim()
  return t === '' ? null : t
}

export function directSignature(el: XmlElement): XmlElement | undefined {
  return el.first(DSIG_NS, 'Signature')
}

export function readResponse(root: XmlElement): ResponseView {
  const status = root.first(SAMLP_NS, 'Status')
  const code = status?.first(SAMLP_NS, 'StatusCode')
  return {
    id: root.attr('ID') ?? null,
    issuer: textOf(root.first(SAML_NS, 'Issuer')),
    issueInstant: root.attr('IssueInstant') ?? null,
    destination: root.attr('Destination') ?? null,
    inResponseTo: root.attr('InResponseTo') ?? null,
    statusCode: code?.attr('Value') ?? null,
    subStatusCode: code?.first(SAMLP_NS, 'StatusCode')?.attr('Value') ?? null,
    statusMessage: textOf(status?.first(SAMLP_NS, 'StatusMessage')),
    signed: directSignature(root) !== undefined,
  }
}

export function readAssertion(a: XmlElement): AssertionView {
  const subject = a.first(SAML_NS, 'Subject')
  const nameIdEl = subject?.first(SAML_NS, 'NameID')
  const conditions = a.first(SAML_NS, 'Conditions')
  const audiences: string[] = []
  for (const r of conditions?.all(SAML_NS, 'AudienceRestriction') ?? []) {
    for (const au of r.all(SAML_NS, 'Audience')) {
      const v = textOf(au)
      if (v !== null) audiences.push(v)
    }
  }
  const authn = a.first(SAML_NS, 'AuthnStatement')
  const attributes: AttributeView[] = []
  for (const st of a.all(SAML_NS, 'AttributeStatement')) {
    for (const at of st.all(SAML_NS, 'Attribute')) {
      attributes.push({
        name: at.attr('Name') ?? '',
        friendlyName: at.attr('FriendlyName') ?? null,
        values: at.all(SAML_NS, 'AttributeValue').map((v) => v.text().trim()),
      })
    }
  }
  return {
    id: a.attr('ID') ?? null,
    issuer: textOf(a.first(SAML_NS, 'Issuer')),
    issueInstant: a.attr('IssueInstant') ?? null,
    nameId: textOf(nameIdEl),
    nameIdFormat: nameIdEl?.attr('Format') ?? null,
    subjectConfirmations: (subject?.all(SAML_NS, 'SubjectConfirmation') ?? []).map((sc) => {
      const d = sc.first(SAML_NS, 'SubjectConfirmationData')
      return {
        method: sc.attr('Method') ?? null,
        recipient: d?.attr('Recipient') ?? null,
        notBefore: d?.attr('NotBefore') ?? null,
        notOnOrAfter: d?.attr('NotOnOrAfter') ?? null,
        inResponseTo: d?.attr('InResponseTo') ?? null,
      }
    }),
    notBefore: conditions?.attr('NotBefore') ?? null,
    notOnOrAfter: conditions?.attr('NotOnOrAfter') ?? null,
    audiences,
    authnInstant: authn?.attr('AuthnInstant') ?? null,
    sessionIndex: authn?.attr('SessionIndex') ?? null,
    attributes,
  }
}

export function readAuthnRequest(root: XmlElement): AuthnRequestView {
  return {
    id: root.attr('ID') ?? null,
    issuer: textOf(root.first(SAML_NS, 'Issuer')),
    issueInstant: root.attr('IssueInstant') ?? null,
    destination: root.attr('Destination') ?? null,
    acsUrl: root.attr('AssertionConsumerServiceURL') ?? null,
    protocolBinding: root.attr('ProtocolBinding') ?? null,
    nameIdPolicyFormat: root.first(SAMLP_NS, 'NameIDPolicy')?.attr('Format') ?? null,
    forceAuthn: root.attr('ForceAuthn') === 'true',
  }
}

/** Every element in the tree (root included) with this namespace and local name. */
export function countElements(root: XmlElement, ns: string, local: string): number {
  let n = root.ns === ns && root.local === local ? 1 : 0
  for (const d of root.descendants()) if (d.ns === ns && d.local === local) n++
  return n
}

/** ID values that occur on more than one element: the raw material of a wrapping attack. */
export function duplicateIds(root: XmlElement): string[] {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const el of [root, ...root.descendants()]) {
    for (const name of ['ID', 'Id', 'id']) {
      const v = el.attr(name)
      if (v === undefined) continue
      if (seen.has(v)) dup.add(v)
      seen.add(v)
    }
  }
  return [...dup]
}
