import type { Finding, Severity } from '../../src-shared/metadata.ts'

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

export function finding(
  severity: Severity,
  code: string,
  message: string,
  hint: string,
  subject?: string,
): Finding {
  return subject === undefined
    ? { code, severity, message, hint }
    : { code, severity, message, hint, subject }
}

/** Errors first, then warnings, then notes; stable within a severity. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f)
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${Math.round(n / 1024 / 1024)} MB`
    : `${Math.max(1, Math.round(n / 1024))} KB`
}

/** A parser's message can quote megabytes of the document (a hostile attribute name). */
function clip(detail: string): string {
  return detail.length > 200 ? `${detail.slice(0, 160)}… (${detail.length} characters)` : detail
}

const PASTE_INSTEAD =
  'Paste or drop the IdP metadata XML instead: in Okta, open the SAML app > Sign On > SAML Signing Certificates > Actions > View IdP metadata (a document starting with <md:EntityDescriptor>).'

/** Findings for documents that cannot be read as SAML metadata at all. */
export const refusal = {
  tooLarge: (limit: number) =>
    finding(
      'error',
      'metadata.too_large',
      `The document is larger than the ${formatBytes(limit)} limit for IdP metadata, so it was not read.`,
      'IdP metadata for one Okta app is a few kilobytes. If this is a federation aggregate, download the metadata of your one IdP instead.',
    ),
  empty: () =>
    finding(
      'error',
      'metadata.not_xml',
      'The document is empty.',
      `Okta SSO cannot be configured from an empty document. ${PASTE_INSTEAD}`,
    ),
  notXml: () =>
    finding(
      'error',
      'metadata.not_xml',
      'The document is not XML: it does not start with an element.',
      `SAML metadata is an XML document. ${PASTE_INSTEAD}`,
    ),
  html: (fromUrl: boolean) =>
    finding(
      'error',
      'metadata.html',
      fromUrl
        ? 'The URL answered with an HTML web page (probably a sign-in page), not SAML metadata.'
        : 'The document is an HTML web page, not SAML metadata.',
      `This usually means the metadata URL needs a signed-in browser session or is the admin page rather than the metadata link. ${PASTE_INSTEAD}`,
    ),
  json: (oidc: boolean) =>
    finding(
      'error',
      'metadata.json',
      oidc
        ? 'The document is an OpenID Connect discovery document (JSON), not SAML metadata.'
        : 'The document is JSON, not SAML metadata XML.',
      `This product signs in with SAML, not OpenID Connect: use the Okta app's SAML 2.0 sign-on method. ${PASTE_INSTEAD}`,
    ),
  dtd: () =>
    finding(
      'error',
      'metadata.dtd_forbidden',
      'The document contains a DOCTYPE or ENTITY declaration; it was refused without being parsed.',
      'Real IdP metadata never needs a DTD, and entity declarations are how XML entity-expansion and external-entity attacks work. Download the metadata again straight from the IdP (in Okta: Sign On > View IdP metadata).',
    ),
  /** Also the finding when parsing runs over the worker's time or memory budget. */
  tooComplex: (
    reason: 'too_many_elements' | 'too_many_attributes' | 'time_budget' | 'memory_budget',
    limit: number,
  ) =>
    finding(
      'error',
      'metadata.too_complex',
      {
        too_many_elements: `The document has more than ${limit.toLocaleString('en-US')} elements, far more than any IdP metadata; it was not parsed.`,
        too_many_attributes: `An element of the document has more than ${limit} attributes, far more than any IdP metadata; it was not parsed.`,
        time_budget: `Reading the document took longer than ${limit / 1000} s, so it was stopped.`,
        memory_budget: `Reading the document needed more than ${limit} MB of memory, so it was stopped.`,
      }[reason],
      'Real IdP metadata is small and simple; this document is either damaged or built to stall the console. Download the metadata of your one IdP straight from the IdP (in Okta: Sign On > View IdP metadata) instead of a federation aggregate or an edited file.',
    ),
  malformed: (detail: string, where: string, truncated: boolean) =>
    finding(
      'error',
      'metadata.malformed',
      `The XML is not well-formed${where}: ${clip(detail)}.`,
      truncated
        ? 'The file looks cut off (a partial download or copy). Download or copy the whole metadata document again.'
        : 'The document was probably edited by hand or damaged in transit. Download the metadata again straight from the IdP rather than fixing it by hand.',
    ),
}
