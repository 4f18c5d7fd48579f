import type { SsoEvent } from '../backend/sso-events-client.ts'

/** What the tenant's SSO configuration says, when known: it sharpens the evidence. */
export interface SsoContext {
  sp: { entityId: string; acsUrl: string } | null
  idp: {
    entityId: string | null
    signingCertificates: { sha256Fingerprint: string; subject: string; notAfter: string }[]
  } | null
}

export interface Explanation {
  title: string
  explanation: string
  evidence: string[]
  /** In the IdP's own terms: Okta first, Entra second. */
  fix: { okta: string; entra: string }
}

const OKTA_SAML_SETTINGS =
  'Okta Admin Console > Applications > (the SAML app) > General > SAML Settings > Edit'
const ENTRA_BASIC =
  'Entra admin center > Enterprise applications > (the app) > Single sign-on > Basic SAML Configuration > Edit'
const ENTRA_CLAIMS =
  'Entra admin center > Enterprise applications > (the app) > Single sign-on > Attributes & Claims > Edit'

/** The Entra source attribute for each attribute this SP requires. */
const ENTRA_SOURCE: Record<string, string> = {
  FirstName: 'user.givenname',
  LastName: 'user.surname',
  email: 'user.mail',
}
const OKTA_SOURCE: Record<string, string> = {
  FirstName: 'user.firstName',
  LastName: 'user.lastName',
  email: 'user.email',
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)

function certLine(fp: string, ctx: SsoContext): string {
  const c = ctx.idp?.signingCertificates.find((x) => x.sha256Fingerprint === fp)
  return c ? `${fp} (${c.subject}, expires ${c.notAfter.slice(0, 10)})` : fp
}

function clockLine(e: SsoEvent['evidence']): string | null {
  const d = num(e.clockDifferenceSeconds)
  if (d === null) return null
  const dir = d > 0 ? 'ahead of' : 'behind'
  return `The IdP's clock (IssueInstant) is ${Math.abs(d)} s ${dir} this server's clock (${str(e.now) ?? '?'}); ${num(e.skewSeconds) ?? 180} s of skew is allowed.`
}

/** Explains one refused attempt: what went wrong, the evidence, and where in Okta/Entra to fix it. */
export function explainFailure(e: SsoEvent, ctx: SsoContext): Explanation {
  const ev = e.evidence
  const expected = str(ev.expected)
  switch (e.reason) {
    case 'saml.audience_mismatch': {
      const got = list(ev.got)
      return {
        title: 'The assertion is addressed to another SP (audience)',
        explanation: `Okta put ${got.length ? got.map((g) => `"${g}"`).join(', ') : 'no audience'} in the assertion's Audience; this SP's entity ID is "${expected}".`,
        evidence: [
          `audience in the assertion: ${got.join(', ') || '(none)'}`,
          `this SP's entity ID: ${expected}`,
        ],
        fix: {
          okta: `${OKTA_SAML_SETTINGS} > "Audience URI (SP Entity ID)": it holds "${got[0] ?? ''}"; set it to "${expected}".`,
          entra: `${ENTRA_BASIC} > "Identifier (Entity ID)": add "${expected}" and mark it Default.`,
        },
      }
    }
    case 'saml.recipient_mismatch':
    case 'saml.destination_mismatch': {
      const got = str(ev.got)
      const which = e.reason === 'saml.recipient_mismatch' ? 'Recipient' : 'Destination'
      return {
        title: `The response is addressed to another ACS URL (${which})`,
        explanation: `The ${which} is "${got ?? '(none)'}"; this SP's ACS URL is "${expected}".`,
        evidence: [
          `${which} in the response: ${got ?? '(none)'}`,
          `this SP's ACS URL: ${expected}`,
        ],
        fix: {
          okta: `${OKTA_SAML_SETTINGS} > "Single sign-on URL": set it to "${expected}" and tick "Use this for Recipient URL and Destination URL" (or set "${which} URL" under Show Advanced Settings).`,
          entra: `${ENTRA_BASIC} > "Reply URL (Assertion Consumer Service URL)": add "${expected}" and mark it Default.`,
        },
      }
    }
    case 'saml.wrong_certificate': {
      const signed = str(ev.signedWith) ?? '?'
      const expectedCerts = list(ev.expectedCertificates)
      return {
        title: 'Signed with a certificate the tenant does not trust (certificate rotation)',
        explanation: `The IdP signed with certificate SHA-256 ${signed}; the tenant trusts only ${expectedCerts.join(' and ') || 'no certificate'}. The IdP has rotated its signing certificate and the tenant still has the old metadata.`,
        evidence: [
          `signed with: ${signed}${str(ev.signedWithSubject) ? ` (${str(ev.signedWithSubject)})` : ''}`,
          ...expectedCerts.map((fp) => `tenant expects: ${certLine(fp, ctx)}`),
        ],
        fix: {
          okta: 'Okta Admin Console > Applications > (the SAML app) > Sign On > SAML Signing Certificates: the Active certificate is the one that signed. Actions > View IdP metadata, then push that metadata to the tenant (console: Single sign-on > Import; or `scim-console metadata inspect` first). During a planned rotation push the metadata before activating the new certificate, so both are trusted.',
          entra:
            'Entra admin center > Enterprise applications > (the app) > Single sign-on > SAML Certificates: download "Federation Metadata XML" and push it to the tenant; make a new certificate Active only after the tenant has it.',
        },
      }
    }
    case 'saml.signature_invalid':
      return {
        title: 'The signature does not verify',
        explanation: `${e.message} Either something between the IdP and this service rewrote the response (a proxy, a pretty-printer), or it was tampered with.`,
        evidence: [
          ...list(ev.expectedCertificates).map((fp) => `tenant expects: ${certLine(fp, ctx)}`),
          ...(str(ev.signedWith) ? [`the response carries: ${str(ev.signedWith)}`] : []),
        ],
        fix: {
          okta: 'Sign in again from the Okta tile; if it persists, look for a proxy that rewrites POST bodies, and check Sign On > SAML Signing Certificates against the tenant’s certificates.',
          entra:
            'Sign in again from My Apps; if it persists, compare Single sign-on > SAML Certificates with the tenant’s certificates.',
        },
      }
    case 'saml.unsigned':
      return {
        title: 'Neither the response nor the assertion is signed',
        explanation: 'An unsigned assertion could have been written by anyone, so it is refused.',
        evidence: ['no Signature on the Response or the Assertion'],
        fix: {
          okta: `${OKTA_SAML_SETTINGS} > Show Advanced Settings > "Assertion Signature": Signed (and "Response": Signed if you like).`,
          entra:
            'Entra admin center > Enterprise applications > (the app) > Single sign-on > SAML Certificates > Edit > "Signing Option": Sign SAML assertion (or Sign SAML response and assertion).',
        },
      }
    case 'saml.expired':
    case 'saml.not_yet_valid': {
      const clock = clockLine(ev)
      const bound =
        e.reason === 'saml.expired'
          ? `NotOnOrAfter ${str(ev.notOnOrAfter)}`
          : `NotBefore ${str(ev.notBefore)}`
      const skewed = Math.abs(num(ev.clockDifferenceSeconds) ?? 0) > (num(ev.skewSeconds) ?? 180)
      return {
        title:
          e.reason === 'saml.expired'
            ? 'The assertion had expired'
            : 'The assertion is not valid yet',
        explanation: skewed
          ? `The clocks differ by more than the allowed skew: ${clock}`
          : `The response arrived outside its validity window (${bound}); the clocks agree, so it was posted late (a stale tab, the back button, a captured response).`,
        evidence: [bound, `this server's clock: ${str(ev.now)}`, ...(clock ? [clock] : [])],
        fix: {
          okta: skewed
            ? "Okta's clock is exact: sync this server's clock (NTP, e.g. `timedatectl set-ntp true`)."
            : 'Sign in again from the Okta tile or the SP login URL.',
          entra: skewed
            ? "Entra's clock is exact: sync this server's clock (NTP)."
            : 'Sign in again from My Apps or the SP login URL.',
        },
      }
    }
    case 'saml.attribute_missing': {
      const missing = list(ev.missing)
      return {
        title: `Required attribute${missing.length === 1 ? '' : 's'} missing: ${missing.join(', ')}`,
        explanation: `This SP needs FirstName, LastName and email in the assertion; it received ${list(ev.present).join(', ') || 'no attributes'}.`,
        evidence: [
          `missing: ${missing.join(', ')}`,
          `present: ${list(ev.present).join(', ') || '(none)'}`,
        ],
        fix: {
          okta: `${OKTA_SAML_SETTINGS} > Attribute Statements: add ${missing.map((m) => `Name "${m}", Name format Unspecified, Value ${OKTA_SOURCE[m] ?? `user.${m}`}`).join('; ')}.`,
          entra: `${ENTRA_CLAIMS} > Add new claim: ${missing.map((m) => `Name "${m}", Source attribute ${ENTRA_SOURCE[m] ?? `user.${m}`}`).join('; ')} (leave the namespace empty).`,
        },
      }
    }
    case 'saml.nameid_not_email':
      return {
        title: 'The NameID is not the e-mail address',
        explanation: `The NameID is "${str(ev.got) ?? '(none)'}" (format ${str(ev.format) ?? 'unspecified'}); this SP identifies people by e-mail, as its SCIM userName.`,
        evidence: [
          `NameID: ${str(ev.got) ?? '(none)'}`,
          `format: ${str(ev.format) ?? 'unspecified'}`,
        ],
        fix: {
          okta: `${OKTA_SAML_SETTINGS} > "Name ID format": EmailAddress, "Application username": Email.`,
          entra: `${ENTRA_CLAIMS} > Unique User Identifier (Name ID): Source attribute user.mail, Name identifier format Email address.`,
        },
      }
    case 'saml.issuer_mismatch':
      return {
        title: 'The response comes from another IdP or another app',
        explanation: `The issuer is "${str(ev.got) ?? '(none)'}"; the tenant's IdP metadata names "${expected}".`,
        evidence: [
          `issuer in the response: ${str(ev.got) ?? '(none)'}`,
          `tenant's IdP entity ID: ${expected}`,
        ],
        fix: {
          okta: 'Okta Admin Console > Applications > (the SAML app) > Sign On > View SAML setup instructions: "Identity Provider Issuer" must equal the tenant’s IdP entity ID. Push this app’s metadata to the tenant (each Okta app has its own issuer).',
          entra:
            'Entra admin center > Enterprise applications > (the app) > Single sign-on > Set up: "Microsoft Entra Identifier" must equal the tenant’s IdP entity ID; push this app’s Federation Metadata XML.',
        },
      }
    case 'saml.in_response_to_unknown':
      return {
        title: 'The response answers a request this SP did not send (or no longer remembers)',
        explanation: `${e.message}`,
        evidence: [`InResponseTo: ${str(ev.got) ?? '(none)'}`],
        fix: {
          okta: 'Start again from the SP login URL or the Okta dashboard tile; a request is answerable once, within 10 minutes, and not across a backend restart.',
          entra: 'Start again from the SP login URL or My Apps.',
        },
      }
    case 'saml.replayed':
      return {
        title: 'The same assertion was posted twice',
        explanation: `Assertion ${str(ev.assertionId)} was already used at ${str(ev.firstAcceptedAt)}. Usually the browser's back button or a refresh; otherwise a captured response being replayed.`,
        evidence: [
          `assertion ID: ${str(ev.assertionId)}`,
          `first accepted: ${str(ev.firstAcceptedAt)}`,
        ],
        fix: { okta: 'Sign in again from the Okta tile.', entra: 'Sign in again from My Apps.' },
      }
    case 'saml.status_error':
      return {
        title: 'The IdP refused the sign-in itself',
        explanation: e.message,
        evidence: [`status: ${str(ev.subStatus) ?? str(ev.status) ?? '?'}`],
        fix: {
          okta: 'Okta Admin Console > Reports > System Log, filtered on the user: it names the policy or assignment that refused.',
          entra: 'Entra admin center > Monitoring > Sign-in logs, filtered on the user.',
        },
      }
    case 'saml.assertion_encrypted':
      return {
        title: 'The assertion is encrypted',
        explanation: e.message,
        evidence: [],
        fix: {
          okta: `${OKTA_SAML_SETTINGS} > Show Advanced Settings > "Assertion Encryption": Unencrypted.`,
          entra: 'Single sign-on > Token encryption: remove the active certificate.',
        },
      }
    case 'sso.not_configured':
      return {
        title: 'The tenant has no IdP metadata',
        explanation: e.message,
        evidence: [],
        fix: {
          okta: 'Okta: the SAML app > Sign On > Actions > View IdP metadata; import it in the console (Single sign-on) to push it to the tenant.',
          entra:
            'Entra: Single sign-on > SAML Certificates > Federation Metadata XML; import it in the console.',
        },
      }
    default:
      return {
        title: `Refused: ${e.reason ?? 'unknown'}`,
        explanation: e.message,
        evidence: [],
        fix: {
          okta: e.hint ?? 'Capture the response again and run `scim-console saml inspect`.',
          entra: e.hint ?? '',
        },
      }
  }
}
