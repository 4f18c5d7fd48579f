import {
  check,
  describeResponse,
  expectStatus,
  get,
  isObject,
  sev,
  show,
  type CheckDef,
} from '../check.ts'
import { UNKNOWN_USER_ID } from './users.ts'

export const errorChecks: CheckDef[] = [
  {
    id: 'errors.status_string',
    title: 'Error bodies carry status as a JSON string',
    area: 'errors',
    spec: 'RFC 7644 §3.12 ("status … expressed as a JSON string")',
    protects: 'Strict SCIM clients parse your errors. Okta and Entra accept a number too.',
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const res = await ctx.send({ method: 'GET', path: `/Users/${UNKNOWN_USER_ID}` })
      expectStatus(res, 404, { what: `GET /Users/${UNKNOWN_USER_ID}` })
      check(isObject(res.json), 'The error body is not JSON.', {
        expected: 'a SCIM Error JSON body',
        actual: describeResponse(res),
        idpImpact: 'The IdP shows admins a parse failure instead of your error detail.',
        fix: 'RFC 7644 §3.12: errors MUST be returned as JSON in the body.',
      })
      const status = get(res.json, 'status')
      check(
        status === '404',
        `status is ${show(status)} (${typeof status}), not the string "404".`,
        {
          expected: '"status":"404"',
          actual: `"status":${show(status)}`,
          fix: 'Serialise status as a string: "404".',
        },
      )
      return { status: 'pass', message: 'Error status is the string "404".' }
    },
  },
  {
    id: 'errors.malformed_json',
    title: 'Malformed JSON gives 400 with a SCIM Error',
    area: 'errors',
    spec: 'RFC 7644 §3.12 (invalidSyntax); Entra Postman "Post junk"',
    protects: "A broken request is reported as the client's error, not a 500.",
    severity: sev('warn', 'warn', 'warn'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const res = await ctx.send({
        method: 'POST',
        path: '/Users',
        rawBody: '{"schemas": [',
        allow5xx: true,
      })
      expectStatus(res, 400, {
        what: 'POST /Users with a truncated JSON body',
        idpImpact: res.status >= 500 ? 'Bursts of 5xx count towards Entra quarantine.' : undefined,
        fix: 'Answer unparseable bodies with 400 and scimType "invalidSyntax".',
      })
      return { status: 'pass', message: 'Malformed JSON is refused with 400.' }
    },
  },
  {
    id: 'errors.unknown_endpoint',
    title: 'An unknown endpoint gives 404',
    area: 'errors',
    spec: 'RFC 7644 §3.12',
    protects: 'Wrong base URLs are diagnosed as 404 rather than as odd successes.',
    severity: sev('info', 'info', 'warn'),
    writes: false,
    async run(ctx) {
      const res = await ctx.send({ method: 'GET', path: '/ScimcNoSuchEndpoint' })
      expectStatus(res, 404, {
        what: 'GET /ScimcNoSuchEndpoint',
        fix: 'Answer unknown paths with 404 and a SCIM Error.',
      })
      return { status: 'pass', message: 'Unknown endpoints give 404.' }
    },
  },
]
