import {
  check,
  describeResponse,
  isObject,
  schemasOf,
  sev,
  type CheckContext,
  type CheckDef,
} from '../check.ts'
import { ERROR_SCHEMA } from '../profiles.ts'
import type { ScimResponse } from '../http-capture.ts'

function scimErrorProblems(res: ScimResponse): string[] {
  const problems: string[] = []
  if (!isObject(res.json)) return ['the body is not JSON']
  if (!schemasOf(res.json).includes(ERROR_SCHEMA)) problems.push(`schemas lacks ${ERROR_SCHEMA}`)
  if (!res.json.detail) problems.push('detail is empty')
  if (res.json.status === undefined) problems.push('status is missing')
  return problems
}

async function expect401(ctx: CheckContext, auth: 'none' | 'wrong'): Promise<void> {
  const t = ctx.profile.connectionTest
  const res = await ctx.send({ method: 'GET', path: t.path, query: t.query, auth, noRetry: true })
  const what = auth === 'none' ? 'no Authorization header' : 'a wrong bearer token'
  check(res.status !== 200, `The server answered 200 to a request with ${what}.`, {
    expected: 'HTTP 401',
    actual: describeResponse(res),
    idpImpact:
      'Anyone who finds the URL can read and change your users; Okta and Entra reviews reject it.',
    fix: 'Require a valid bearer token on every SCIM route before any handler runs.',
  })
  if (res.status === 403) {
    ctx.warn(`A request with ${what} got 403; RFC 7644 §3.12 and Okta's test expect 401.`, {
      expected: 'HTTP 401',
      actual: describeResponse(res),
      fix: 'Answer 401 for missing or unknown credentials; keep 403 for "known but not allowed".',
    })
    return
  }
  check(res.status === 401, `A request with ${what} got HTTP ${res.status}, not 401.`, {
    expected: 'HTTP 401 with a SCIM Error body',
    actual: describeResponse(res),
    idpImpact:
      'Okta\'s "Test API Credentials" cannot tell a bad token from a broken server, so admins chase the wrong problem.',
    fix: 'Return 401 with {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"..."}.',
  })
  const problems = scimErrorProblems(res)
  if (problems.length > 0) {
    ctx.warn(`The 401 body is not a SCIM Error: ${problems.join('; ')}.`, {
      expected: 'SCIM Error body with schemas, status and detail (Okta SPEC test step 11)',
      actual: describeResponse(res),
      idpImpact: 'Okta shows the admin a generic error instead of your detail message.',
      fix: 'Send the SCIM Error JSON on 401 too, not a framework default page.',
    })
  }
}

export const authChecks: CheckDef[] = [
  {
    id: 'auth.no_token',
    title: 'No token gives 401',
    area: 'auth',
    spec: 'RFC 7644 §2, §3.12; Okta SPEC test step 11',
    protects: 'Only the IdP holding the token can read or change users.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      await expect401(ctx, 'none')
      return { status: 'pass', message: 'A request without credentials is rejected with 401.' }
    },
  },
  {
    id: 'auth.wrong_token',
    title: 'Wrong token gives 401 with a SCIM Error',
    area: 'auth',
    spec: 'RFC 7644 §3.12; Okta SPEC test step 11 (Authorization: non-token)',
    protects:
      'Okta "Test API Credentials" and Entra "Test Connection" report bad credentials clearly.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      await expect401(ctx, 'wrong')
      return { status: 'pass', message: 'A wrong token is rejected with 401 and a SCIM Error.' }
    },
  },
  {
    id: 'auth.token_accepted',
    title: 'The token works as "Authorization: Bearer <token>"',
    area: 'auth',
    spec: 'RFC 6750 §2.1; Okta/Entra bearer-token auth',
    protects: 'Provisioning can authenticate at all; the admin knows what to paste into the IdP.',
    severity: sev('fail', 'fail', 'fail'),
    writes: false,
    async run(ctx) {
      const t = ctx.profile.connectionTest
      const res = await ctx.send({ method: 'GET', path: t.path, query: t.query })
      check(res.status >= 200 && res.status < 300, `The token was rejected: HTTP ${res.status}.`, {
        expected: 'HTTP 200',
        actual: describeResponse(res),
        idpImpact: `${ctx.profile.label} fails the connection test and provisions nobody.`,
        fix: 'Check that the token is current and registered for this tenant, and that the base URL points at the right tenant.',
      })
      const raw = await ctx.send({
        method: 'GET',
        path: t.path,
        query: t.query,
        auth: 'raw-token',
        noRetry: true,
      })
      if (raw.status >= 200 && raw.status < 300) {
        ctx.note('The server also accepts the bare token without the "Bearer " prefix.')
      } else {
        ctx.note(
          `The bare token without "Bearer " gets HTTP ${raw.status}: in Okta's "HTTP Header" auth mode paste the token only (Okta adds "Bearer "); in a custom header field include "Bearer ".`,
        )
      }
      if (ctx.tokenHadBearerPrefix) {
        ctx.warn('The token you supplied started with "Bearer "; the harness removed the prefix.', {
          fix: 'Paste the secret alone into Okta\'s "API Token" field: Okta adds the "Bearer " prefix itself, and a doubled prefix gives 401 on every call.',
        })
      }
      return { status: 'pass', message: 'The token is accepted as a bearer token.' }
    },
  },
]
