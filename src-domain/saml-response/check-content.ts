import { failure, type SamlFailure } from './reasons.ts'
import { BEARER, NAMEID_EMAIL, NAMEID_UNSPECIFIED } from './saml-ns.ts'
import { attributeValue, DEFAULT_REQUIRED_ATTRIBUTES } from './required-attributes.ts'
import type { SamlExpectations, SamlValidation } from './validate-response.ts'
import { EMAIL_SHAPE } from '../../src-shared/text.ts'

const EMAIL = EMAIL_SHAPE
const OKTA_AUDIENCE =
  'Okta: the SAML app > General > SAML Settings > Edit > "Audience URI (SP Entity ID)". Entra: Single sign-on > Basic SAML Configuration > "Identifier (Entity ID)".'
const OKTA_ACS =
  'Okta: the SAML app > General > SAML Settings > Edit > "Single sign-on URL" (and "Recipient URL"/"Destination URL" when "Use this for Recipient URL and Destination URL" is unticked). Entra: Basic SAML Configuration > "Reply URL (Assertion Consumer Service URL)".'

/**
 * The checks on what the (verified) response says: who issued it, for whom, when, in answer to
 * what, and about whom. Each failure is appended in this order; `out` gains what the checks learn.
 */
export function checkContent(
  out: SamlValidation,
  expect: SamlExpectations,
  failures: SamlFailure[],
): void {
  const r = out.response!
  const a = out.assertion!
  const now = expect.now.getTime()
  const skew = (expect.skewSeconds ?? 180) * 1000

  if (expect.idpEntityId !== null) {
    for (const got of [r.issuer, a.issuer]) {
      if (got !== null && got !== expect.idpEntityId) {
        failures.push(
          failure(
            'saml.issuer_mismatch',
            `The response is issued by "${got}", but the tenant's IdP is "${expect.idpEntityId}".`,
            'The response comes from another IdP or another app than the one whose metadata the tenant has. Okta: push the metadata of this very SAML app (Sign On > View SAML setup instructions > "Identity Provider Issuer").',
            { expected: expect.idpEntityId, got },
          ),
        )
        break
      }
    }
    if (a.issuer === null) {
      failures.push(
        failure(
          'saml.issuer_mismatch',
          'The assertion names no issuer.',
          'A SAML 2.0 assertion must carry <Issuer>.',
          {
            expected: expect.idpEntityId,
            got: null,
          },
        ),
      )
    }
  } else out.skipped.push('issuer: no IdP entity ID to compare')

  const bearer = a.subjectConfirmations.find((c) => c.method === BEARER) ?? null
  if (expect.sp) {
    const acs = expect.sp.acsUrl
    if (r.destination !== null && r.destination !== acs) {
      failures.push(
        failure(
          'saml.destination_mismatch',
          `The response is addressed to "${r.destination}", not to this ACS "${acs}".`,
          OKTA_ACS,
          { expected: acs, got: r.destination },
        ),
      )
    }
    if (!bearer || bearer.recipient !== acs) {
      failures.push(
        failure(
          'saml.recipient_mismatch',
          bearer
            ? `The assertion's recipient is "${bearer.recipient ?? '(none)'}", not this ACS "${acs}".`
            : 'The assertion has no bearer subject confirmation, so it names no recipient.',
          OKTA_ACS,
          { expected: acs, got: bearer?.recipient ?? null },
        ),
      )
    }
    if (!a.audiences.includes(expect.sp.entityId)) {
      failures.push(
        failure(
          'saml.audience_mismatch',
          `The assertion is meant for ${a.audiences.length ? a.audiences.map((x) => `"${x}"`).join(', ') : 'no audience'}, not for this SP "${expect.sp.entityId}".`,
          OKTA_AUDIENCE,
          { expected: expect.sp.entityId, got: a.audiences },
        ),
      )
    }
  } else out.skipped.push('destination, recipient, audience: no SP values (give --tenant)')

  checkTimes(out, now, skew, bearer?.notOnOrAfter ?? null, failures)

  const irt = r.inResponseTo ?? bearer?.inResponseTo ?? null
  out.inResponseTo = irt
  out.idpInitiated = irt === null
  const confirmed = bearer?.inResponseTo ?? null
  if (r.inResponseTo !== null && confirmed !== null && r.inResponseTo !== confirmed) {
    failures.push(
      failure(
        'saml.in_response_to_unknown',
        `The response answers request ${r.inResponseTo} but its assertion was issued for ${confirmed}.`,
        'The assertion was taken from another sign-in; start again from the SP login URL.',
        { expected: r.inResponseTo, got: confirmed },
      ),
    )
  } else if (irt !== null && expect.isPendingRequest) {
    if (!expect.isPendingRequest(irt)) {
      failures.push(
        failure(
          'saml.in_response_to_unknown',
          `The response answers request ${irt}, which this SP did not send or has already used or forgotten (requests are kept 10 minutes).`,
          'Start the sign-in again from the SP login URL, or from the Okta dashboard tile (IdP-initiated).',
          { got: irt },
        ),
      )
    }
  } else if (irt === null && expect.allowIdpInitiated === false) {
    failures.push(
      failure(
        'saml.in_response_to_unknown',
        'The response is unsolicited (IdP-initiated), and this SP accepts only answers to its own requests.',
        'Start the sign-in from the SP login URL.',
        { got: null },
      ),
    )
  } else if (irt !== null)
    out.skipped.push(`InResponseTo ${irt}: the requests this SP sent are not known here`)

  if (expect.acceptedBefore && a.id !== null) {
    const at = expect.acceptedBefore(a.id)
    if (at !== null) {
      failures.push(
        failure(
          'saml.replayed',
          `Assertion ${a.id} was already used to sign in at ${at}; an assertion is good for one sign-in.`,
          'Sign in again from the start: a browser back button or a captured response posted again replays the old one.',
          { assertionId: a.id, firstAcceptedAt: at },
        ),
      )
    }
  } else if (!expect.acceptedBefore)
    out.skipped.push('replay: no record of accepted assertions here')

  if (expect.requireEmailNameId !== false) {
    const fmt = a.nameIdFormat
    const formatOk = fmt === null || fmt === NAMEID_EMAIL || fmt === NAMEID_UNSPECIFIED
    if (!formatOk || a.nameId === null || !EMAIL.test(a.nameId)) {
      failures.push(
        failure(
          'saml.nameid_not_email',
          `The NameID is ${a.nameId === null ? 'missing' : `"${a.nameId}"`} (format ${fmt ?? 'unspecified'}); this SP identifies users by e-mail address.`,
          'Okta: the SAML app > General > SAML Settings > Edit > "Name ID format": EmailAddress, "Application username": Email. Entra: Attributes & Claims > Unique User Identifier: user.mail, format Email address.',
          { expectedFormat: NAMEID_EMAIL, format: fmt, got: a.nameId },
        ),
      )
    }
  }

  const required = expect.requiredAttributes ?? DEFAULT_REQUIRED_ATTRIBUTES
  const missing = required.filter((req) => attributeValue(a.attributes, req) === null)
  if (missing.length > 0) {
    failures.push(
      failure(
        'saml.attribute_missing',
        `The assertion lacks the attribute${missing.length === 1 ? '' : 's'} ${missing.map((m) => m.name).join(', ')}.`,
        `Okta: the SAML app > General > SAML Settings > Edit > Attribute Statements: add ${missing.map((m) => `${m.name} = ${OKTA_SOURCE[m.name] ?? `user.${m.name}`}`).join(', ')}. Entra: Attributes & Claims > Add new claim.`,
        { missing: missing.map((m) => m.name), present: a.attributes.map((x) => x.name) },
      ),
    )
  }
}

/** The Okta expression that supplies each required attribute. */
export const OKTA_SOURCE: Record<string, string> = {
  FirstName: 'user.firstName',
  LastName: 'user.lastName',
  email: 'user.email',
}

function checkTimes(
  out: SamlValidation,
  now: number,
  skew: number,
  bearerNotOnOrAfter: string | null,
  failures: SamlFailure[],
): void {
  const a = out.assertion!
  const iso = new Date(now).toISOString()
  const issued = parse(a.issueInstant)
  const clock = issued === null ? null : Math.round((issued - now) / 1000)
  const notBefore = parse(a.notBefore)
  if (notBefore !== null && now + skew < notBefore) {
    failures.push(
      failure(
        'saml.not_yet_valid',
        `The assertion is valid only from ${a.notBefore}, ${Math.round((notBefore - now) / 1000)} s ahead of this server's clock (${iso}); ${skew / 1000} s of skew is allowed.`,
        "One of the clocks is wrong: sync this server's clock (NTP). Okta's clocks are kept exact.",
        {
          notBefore: a.notBefore,
          now: iso,
          skewSeconds: skew / 1000,
          clockDifferenceSeconds: clock,
        },
      ),
    )
  }
  const ends = [a.notOnOrAfter, bearerNotOnOrAfter]
    .map((v) => ({ v, t: parse(v) }))
    .filter((x): x is { v: string; t: number } => x.t !== null)
    .sort((x, y) => x.t - y.t)
  const end = ends[0]
  if (end && now - skew >= end.t) {
    failures.push(
      failure(
        'saml.expired',
        `The assertion expired at ${end.v}, ${Math.round((now - end.t) / 1000)} s before this server's clock (${iso}); ${skew / 1000} s of skew is allowed.`,
        "Sign in again: a response is good for a few minutes. If it keeps happening, this server's clock is behind or ahead: sync it (NTP).",
        { notOnOrAfter: end.v, now: iso, skewSeconds: skew / 1000, clockDifferenceSeconds: clock },
      ),
    )
  }
  for (const [name, v] of [
    ['NotBefore', a.notBefore],
    ['NotOnOrAfter', a.notOnOrAfter],
    ['IssueInstant', a.issueInstant],
  ] as const) {
    if (v !== null && parse(v) === null) {
      failures.push(
        failure(
          'saml.malformed',
          `${name} "${v}" is not an xs:dateTime.`,
          'The IdP must send UTC times such as 2026-01-01T10:00:00Z.',
        ),
      )
    }
  }
}

function parse(v: string | null): number | null {
  if (v === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    return null
  }
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : t
}
