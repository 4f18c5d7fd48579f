import { randomUUID } from 'node:crypto'
import {
  Blocked,
  check,
  describeResponse,
  expectStatus,
  get,
  isObject,
  resourcesOf,
  schemasOf,
  sev,
  show,
  type CheckContext,
  type CheckDef,
} from '../check.ts'
import { LIST_SCHEMA } from '../profiles.ts'
import { subjectUser } from './subject.ts'

async function expectFound(
  ctx: CheckContext,
  query: Record<string, string | number | undefined>,
  id: string,
  info: { what: string; idpImpact: string; fix: string },
): Promise<void> {
  const res = await ctx.send({ method: 'GET', path: '/Users', query })
  expectStatus(res, 200, { ...info, what: `GET /Users?filter=${String(query.filter)}` })
  const hits = resourcesOf(res.json)
  check(
    hits.some((r) => r.id === id),
    `The filter ${String(query.filter)} did not find the user ${id}.`,
    {
      expected: `a ListResponse containing id ${id}`,
      actual: describeResponse(res),
      idpImpact: info.idpImpact,
      fix: info.fix,
    },
  )
  check(
    hits.length === 1 && get(res.json, 'totalResults') === 1,
    `The filter matched ${hits.length} resources (totalResults ${show(get(res.json, 'totalResults'))}), not exactly one.`,
    {
      expected: 'exactly the one matching user (totalResults 1)',
      actual: describeResponse(res),
      idpImpact: 'A filter that returns everyone makes the IdP link the wrong account.',
      fix: 'Apply the filter instead of returning the whole list.',
    },
  )
}

const DUPLICATE_IMPACT =
  'The IdP lookup misses the existing user, so it POSTs a new one and then gets 409 forever (or creates a duplicate).'

export const filterChecks: CheckDef[] = [
  {
    id: 'filters.user_name_eq',
    title: 'userName eq finds the user',
    area: 'filters',
    spec: 'RFC 7644 §3.4.2.2; Okta SCIM 2.0 reference (create: match first); Entra tutorial',
    protects: 'Before every create the IdP looks the user up by userName.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const s = await subjectUser(ctx)
      await expectFound(ctx, ctx.profile.userLookup(s.userName), s.id, {
        what: 'userName lookup',
        idpImpact: DUPLICATE_IMPACT,
        fix: 'Support filter=userName eq "<value>" on /Users.',
      })
      return { status: 'pass', message: 'The userName eq filter finds exactly the user.' }
    },
  },
  {
    id: 'filters.no_match',
    title: 'A filter with no match gives 200 and an empty list',
    area: 'filters',
    spec: 'RFC 7644 §3.4.2; Okta SPEC test steps 3 and 5; Entra Test Connection (random GUID)',
    protects: 'Create flows and the connection test: "not found" must be an empty list, not 404.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const absent =
        ctx.profile.id === 'entra'
          ? randomUUID()
          : `${ctx.runPrefix}absent-${randomUUID().slice(0, 8)}@example.invalid`
      const res = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: ctx.profile.userLookup(absent),
      })
      expectStatus(res, 200, {
        what: `GET /Users?filter=userName eq "${absent}"`,
        idpImpact:
          res.status === 404
            ? "Entra calls this a SCIM compliance issue and quarantines the job; Okta's SPEC test fails."
            : 'The IdP cannot create any new user: its lookup before create fails.',
        fix: 'Answer a filter that matches nothing with 200 and {"schemas":[ListResponse],"totalResults":0,"Resources":[]}.',
      })
      check(
        schemasOf(res.json).includes(LIST_SCHEMA),
        'The no-match answer is not a ListResponse.',
        { actual: describeResponse(res) },
      )
      check(
        get(res.json, 'totalResults') === 0,
        `totalResults is ${show(get(res.json, 'totalResults'))}, not 0.`,
        {
          expected: 'totalResults 0 (a JSON integer)',
          actual: describeResponse(res),
          idpImpact: 'The IdP thinks a user exists that does not and tries to update it.',
          fix: 'Return totalResults 0 and no Resources when nothing matches.',
        },
      )
      return {
        status: 'pass',
        message: 'A filter with no match answers 200 with an empty ListResponse.',
      }
    },
  },
  {
    id: 'filters.user_name_case_insensitive',
    title: 'userName filter is case-insensitive',
    area: 'filters',
    spec: 'RFC 7643 §4.1 (userName caseExact false), §7; Okta SPEC test step 9',
    protects: 'An IdP that sends "Jane.Doe@Acme.com" finds the user stored as "jane.doe@acme.com".',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const s = await subjectUser(ctx)
      const upper = s.userName.toUpperCase()
      if (upper === s.userName)
        throw new Blocked(`userName ${s.userName} has no letters to change case.`)
      await expectFound(ctx, ctx.profile.userLookup(upper), s.id, {
        what: 'upper-case userName lookup',
        idpImpact: DUPLICATE_IMPACT,
        fix: 'Compare userName case-insensitively in filters (and in the uniqueness check).',
      })
      return { status: 'pass', message: 'The upper-cased userName finds the same user.' }
    },
  },
  {
    id: 'filters.external_id',
    title: 'externalId eq "…" finds the user',
    area: 'filters',
    spec: 'RFC 7644 §3.4.2.2; Entra tutorial ("queried with their username and externalId")',
    protects: 'Entra apps that match on externalId.',
    severity: sev('info', 'fail', 'warn'),
    writes: false,
    async run(ctx) {
      const s = await subjectUser(ctx)
      if (!s.externalId) throw new Blocked('The user has no externalId to filter on.')
      await expectFound(ctx, { filter: `externalId eq "${s.externalId}"` }, s.id, {
        what: 'externalId lookup',
        idpImpact: DUPLICATE_IMPACT,
        fix: 'Support filter=externalId eq "<value>" on /Users.',
      })
      return { status: 'pass', message: 'The externalId filter finds the user.' }
    },
  },
  {
    id: 'filters.external_id_unquoted',
    title: 'externalId eq value (unquoted, as Entra sends it) finds the user',
    area: 'filters',
    spec: 'Entra tutorial worked example: filter=externalId eq jyoung',
    protects: 'Entra apps whose matching attribute is externalId.',
    severity: sev('skip', 'warn', 'skip'),
    writes: false,
    async run(ctx) {
      const s = await subjectUser(ctx)
      if (!s.externalId) throw new Blocked('The user has no externalId to filter on.')
      await expectFound(ctx, { filter: `externalId eq ${s.externalId}` }, s.id, {
        what: 'unquoted externalId lookup',
        idpImpact: DUPLICATE_IMPACT,
        fix: 'Accept an unquoted value after eq in the filter parser.',
      })
      return { status: 'pass', message: 'The unquoted externalId filter finds the user.' }
    },
  },
  {
    id: 'filters.email_work',
    title: 'emails[type eq "work"].value eq "…" finds the user',
    area: 'filters',
    spec: 'RFC 7644 §3.4.2.2; Entra tutorial (every uniqueness attribute must be filterable)',
    protects: 'IdPs configured to match users by work email.',
    severity: sev('info', 'warn', 'warn'),
    writes: false,
    async run(ctx) {
      const s = await subjectUser(ctx)
      if (!s.email) throw new Blocked('The user has no email to filter on.')
      await expectFound(ctx, { filter: `emails[type eq "work"].value eq "${s.email}"` }, s.id, {
        what: 'work email lookup',
        idpImpact: DUPLICATE_IMPACT,
        fix: 'Support value-path filters on emails.',
      })
      return { status: 'pass', message: 'The work-email filter finds the user.' }
    },
  },
  {
    id: 'filters.invalid',
    title: 'An unknown filter operator gives 400 invalidFilter',
    area: 'filters',
    spec: 'RFC 7644 §3.4.2.2 ("MUST decline to filter … 400 … invalidFilter")',
    protects: 'An unsupported filter is an error, never "everything" or "nothing".',
    severity: sev('warn', 'warn', 'warn'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const res = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: { filter: 'userName zz "scimc"' },
      })
      check(res.status !== 200, 'A filter with an unknown operator answered 200.', {
        expected: 'HTTP 400 with scimType invalidFilter',
        actual: describeResponse(res),
        idpImpact:
          'When an IdP sends a filter you do not support, it gets a wrong answer instead of an error.',
        fix: 'Reject filters you cannot evaluate with 400 invalidFilter.',
      })
      expectStatus(res, 400, { what: 'GET /Users?filter=userName zz "scimc"' })
      if (!isObject(res.json) || res.json.scimType !== 'invalidFilter') {
        ctx.warn(`The 400 has scimType ${show(get(res.json, 'scimType'))}, not "invalidFilter".`)
      }
      return { status: 'pass', message: 'An invalid filter gives 400.' }
    },
  },
]
