import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckStatus, HarnessProfile } from '../../../src-shared/harness.ts'
import { runHarness, type RunHarnessInput } from '../runner.ts'
import { withFaultProxy, type FaultName } from '../../../test/support/fault-proxy.ts'
import {
  startMemoryScimServer,
  type MemoryScimServer,
} from '../../../test/support/memory-scim-server.ts'
import { allChecks } from './index.ts'

/**
 * For every check: a server broken in exactly that way (the fault proxy in front of a correct
 * server) makes it fail, and the correct server makes it pass.
 */

let server: MemoryScimServer
beforeAll(async () => {
  server = await startMemoryScimServer()
})
afterAll(async () => {
  await server.close()
})

interface Case {
  check: string
  fault: FaultName
  profile: HarnessProfile
  expected: CheckStatus
  /** Extra checks to run with it (final checks judge other checks' traffic). */
  with?: string[]
  state?: Record<string, unknown>
  tuning?: RunHarnessInput['tuning']
}

const cases: Case[] = [
  { check: 'auth.no_token', fault: 'auth-not-enforced', profile: 'okta', expected: 'fail' },
  { check: 'auth.wrong_token', fault: 'auth-not-enforced', profile: 'okta', expected: 'fail' },
  { check: 'auth.wrong_token', fault: 'auth-401-html', profile: 'okta', expected: 'warn' },
  { check: 'auth.token_accepted', fault: 'token-rejected', profile: 'okta', expected: 'fail' },
  {
    check: 'discovery.service_provider_config',
    fault: 'discovery-missing',
    profile: 'rfc',
    expected: 'fail',
  },
  {
    check: 'discovery.resource_types',
    fault: 'discovery-missing',
    profile: 'rfc',
    expected: 'fail',
  },
  { check: 'discovery.schemas', fault: 'discovery-missing', profile: 'rfc', expected: 'fail' },
  { check: 'discovery.read_only', fault: 'discovery-writable', profile: 'rfc', expected: 'warn' },
  { check: 'users.list.shape', fault: 'list-counts-as-strings', profile: 'okta', expected: 'fail' },
  {
    check: 'users.list.first_user',
    fault: 'list-users-without-emails',
    profile: 'okta',
    expected: 'warn',
  },
  { check: 'users.create.status', fault: 'create-200', profile: 'okta', expected: 'fail' },
  { check: 'users.create.status', fault: 'create-empty-body', profile: 'okta', expected: 'fail' },
  {
    check: 'users.create.body',
    fault: 'create-changes-user-name-case',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'users.create.location_meta',
    fault: 'create-no-location',
    profile: 'rfc',
    expected: 'warn',
  },
  {
    check: 'users.create.duplicate',
    fault: 'duplicate-accepted',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'users.create.duplicate',
    fault: 'duplicate-without-scim-type',
    profile: 'okta',
    expected: 'warn',
  },
  {
    check: 'users.create.null_values',
    fault: 'nulls-rejected',
    profile: 'entra',
    expected: 'fail',
  },
  {
    check: 'users.create.missing_user_name',
    fault: 'missing-user-name-accepted',
    profile: 'rfc',
    expected: 'warn',
  },
  { check: 'users.get.by_id', fault: 'get-returns-list', profile: 'okta', expected: 'fail' },
  { check: 'users.get.unknown', fault: 'not-found-html', profile: 'okta', expected: 'fail' },
  { check: 'users.put.replace', fault: 'put-204', profile: 'okta', expected: 'fail' },
  { check: 'users.put.replace', fault: 'put-deactivates', profile: 'okta', expected: 'fail' },
  {
    check: 'users.lifecycle.deactivate_reactivate',
    fault: 'patch-ignored',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'users.lifecycle.deactivate_reactivate',
    fault: 'patch-no-path-rejected',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'users.lifecycle.deactivate_reactivate',
    fault: 'deactivate-deletes',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'users.lifecycle.deactivate_reactivate',
    fault: 'inactive-hidden',
    profile: 'entra',
    expected: 'fail',
  },
  {
    check: 'users.lifecycle.deactivate_reactivate',
    fault: 'patch-op-case-sensitive',
    profile: 'entra',
    expected: 'fail',
  },
  { check: 'users.delete', fault: 'delete-noop', profile: 'entra', expected: 'fail' },
  { check: 'filters.user_name_eq', fault: 'filter-ignored', profile: 'okta', expected: 'fail' },
  { check: 'filters.no_match', fault: 'no-match-404', profile: 'okta', expected: 'fail' },
  { check: 'filters.no_match', fault: 'no-match-404', profile: 'entra', expected: 'fail' },
  {
    check: 'filters.user_name_case_insensitive',
    fault: 'filter-case-sensitive',
    profile: 'okta',
    expected: 'fail',
  },
  { check: 'filters.external_id', fault: 'filter-ignored', profile: 'entra', expected: 'fail' },
  {
    check: 'filters.external_id_unquoted',
    fault: 'filter-unquoted-rejected',
    profile: 'entra',
    expected: 'warn',
  },
  {
    check: 'filters.email_work',
    fault: 'filter-value-path-rejected',
    profile: 'rfc',
    expected: 'warn',
  },
  { check: 'filters.invalid', fault: 'filter-invalid-accepted', profile: 'rfc', expected: 'warn' },
  { check: 'pagination.pages', fault: 'pagination-zero-based', profile: 'okta', expected: 'fail' },
  {
    check: 'pagination.pages',
    fault: 'pagination-count-ignored',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'pagination.pages',
    fault: 'pagination-unstable-order',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'patch.update_attributes',
    fault: 'patch-op-case-sensitive',
    profile: 'entra',
    expected: 'fail',
  },
  { check: 'patch.update_attributes', fault: 'patch-ignored', profile: 'rfc', expected: 'fail' },
  {
    check: 'patch.okta_no_path',
    fault: 'patch-no-path-rejected',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'patch.entra_string_boolean',
    fault: 'patch-string-boolean-truthy',
    profile: 'entra',
    expected: 'fail',
  },
  { check: 'groups.list', fault: 'groups-list-404', profile: 'rfc', expected: 'fail' },
  { check: 'groups.create', fault: 'group-create-200', profile: 'okta', expected: 'fail' },
  {
    check: 'groups.filter_display_name',
    fault: 'group-filter-empty',
    profile: 'okta',
    expected: 'fail',
  },
  { check: 'groups.members', fault: 'group-remove-ignored', profile: 'okta', expected: 'fail' },
  { check: 'groups.members', fault: 'patch-op-case-sensitive', profile: 'entra', expected: 'fail' },
  {
    check: 'groups.rename',
    fault: 'group-replace-empties-members',
    profile: 'okta',
    expected: 'fail',
  },
  { check: 'groups.delete', fault: 'group-delete-noop', profile: 'rfc', expected: 'fail' },
  { check: 'users.manager', fault: 'manager-path-rejected', profile: 'entra', expected: 'warn' },
  {
    check: 'patch.entra_no_path_dotted',
    fault: 'patch-dotted-keys-dropped',
    profile: 'entra',
    expected: 'warn',
  },
  {
    check: 'patch.clear_attribute',
    fault: 'patch-remove-ignored',
    profile: 'rfc',
    expected: 'warn',
  },
  {
    check: 'groups.excluded_members',
    fault: 'excluded-attributes-ignored',
    profile: 'entra',
    expected: 'warn',
  },
  {
    check: 'users.create.client_id_ignored',
    fault: 'client-id-honoured',
    profile: 'rfc',
    expected: 'warn',
  },
  { check: 'errors.status_string', fault: 'error-status-number', profile: 'rfc', expected: 'fail' },
  { check: 'errors.malformed_json', fault: 'malformed-json-500', profile: 'rfc', expected: 'warn' },
  {
    check: 'errors.unknown_endpoint',
    fault: 'unknown-endpoint-200',
    profile: 'rfc',
    expected: 'warn',
  },
  {
    check: 'transport.content_type',
    fault: 'content-type-text',
    profile: 'rfc',
    expected: 'fail',
    with: ['users.get.unknown'],
  },
  {
    check: 'transport.latency',
    fault: 'slow',
    profile: 'okta',
    expected: 'fail',
    with: ['users.list.shape'],
    state: { slowMs: 300 },
    tuning: { latencyFailMs: 200 },
  },
  {
    check: 'transport.rate_limit',
    fault: 'rate-limit-without-retry-after',
    profile: 'okta',
    expected: 'fail',
    with: ['users.create.status'],
    tuning: { fallbackRetryMs: 10 },
  },
  // Ground truth: the pages are judged against what the run itself created.
  {
    check: 'pagination.pages',
    fault: 'total-results-page-size',
    profile: 'okta',
    expected: 'fail',
  },
  { check: 'import.users', fault: 'total-results-page-size', profile: 'okta', expected: 'fail' },
  {
    check: 'import.users',
    fault: 'total-results-capped',
    profile: 'entra',
    expected: 'fail',
    state: { cap: 5 },
  },
  { check: 'import.users', fault: 'pagination-count-ignored', profile: 'okta', expected: 'fail' },
  { check: 'import.groups', fault: 'groups-count-ignored', profile: 'okta', expected: 'fail' },
  {
    check: 'import.groups',
    fault: 'total-results-capped',
    profile: 'rfc',
    expected: 'fail',
    state: { cap: 2 },
  },
  {
    check: 'import.items_per_page',
    fault: 'items-per-page-missing',
    profile: 'rfc',
    expected: 'fail',
  },
  {
    check: 'import.items_per_page',
    fault: 'items-per-page-missing',
    profile: 'okta',
    expected: 'warn',
  },
  // Identity across change.
  {
    check: 'identity.user_name_not_email',
    fault: 'user-name-is-email',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'identity.same_user_name_other_email',
    fault: 'user-name-is-email',
    profile: 'entra',
    expected: 'fail',
  },
  { check: 'identity.rename_put', fault: 'stale-rename-index', profile: 'okta', expected: 'fail' },
  {
    check: 'identity.rename_patch',
    fault: 'stale-rename-index',
    profile: 'entra',
    expected: 'fail',
  },
  {
    check: 'identity.rename_patch',
    fault: 'stale-rename-index',
    profile: 'okta',
    expected: 'fail',
  },
  {
    check: 'identity.email_external_id',
    fault: 'filter-ignored',
    profile: 'entra',
    expected: 'fail',
  },
  {
    check: 'identity.group_rename',
    fault: 'stale-rename-index',
    profile: 'okta',
    expected: 'fail',
  },
  // Responses that point at the tenant.
  {
    check: 'responses.location',
    fault: 'internal-host-location',
    profile: 'rfc',
    expected: 'fail',
  },
  {
    check: 'responses.location',
    fault: 'internal-host-location',
    profile: 'okta',
    expected: 'warn',
  },
  { check: 'responses.meta', fault: 'last-modified-frozen', profile: 'rfc', expected: 'fail' },
  { check: 'responses.attributes', fault: 'attributes-ignored', profile: 'rfc', expected: 'fail' },
  {
    check: 'responses.attributes',
    fault: 'attributes-ignored',
    profile: 'entra',
    expected: 'warn',
  },
  {
    check: 'auth.www_authenticate',
    fault: 'www-authenticate-missing',
    profile: 'okta',
    expected: 'warn',
  },
  {
    check: 'auth.www_authenticate',
    fault: 'www-authenticate-missing',
    profile: 'rfc',
    expected: 'fail',
  },
  {
    check: 'filters.advertised_operators',
    fault: 'filter-operators-eq-only',
    profile: 'rfc',
    expected: 'fail',
  },
  {
    check: 'transport.server_errors',
    fault: 'server-error-once',
    profile: 'okta',
    expected: 'warn',
    with: ['users.get.by_id'],
  },
]

async function runWith(c: Pick<Case, 'check' | 'fault' | 'profile' | 'with' | 'state' | 'tuning'>) {
  return withFaultProxy(
    {
      target: server.baseUrl,
      token: server.token,
      fault: c.fault,
      state: { ...c.state },
    },
    async (proxy) => {
      return runHarness({
        baseUrl: proxy.baseUrl,
        token: server.token,
        profile: c.profile,
        only: [c.check, ...(c.with ?? [])],
        tuning: { pageUsers: 7, importSize: 12, ...c.tuning },
      })
    },
  )
}

describe('every check fails against a server broken in exactly its way', () => {
  it.each(cases)('$check is $expected when the server has fault "$fault" ($profile)', async (c) => {
    const report = await runWith(c)
    const result = report.checks.find((r) => r.id === c.check)!
    expect(result.status, `${result.message} | ${result.actual ?? ''}`).toBe(c.expected)
    expect(result.message.length).toBeGreaterThan(10)
    if (process.env.SCIMC_SHOW_FAULTS)
      console.log(`${c.fault} → ${c.check} ${result.status}: ${result.message}`)
    if (c.expected === 'fail') {
      // A failure always says what was expected or what came back, and how to fix it or why it matters.
      expect(result.expected ?? result.actual ?? '').not.toBe('')
    }
  })

  it('covers every check that talks to a server with at least one fault case', () => {
    const covered = new Set(cases.map((c) => c.check))
    const uncovered = allChecks
      .map((c) => c.id)
      .filter((id) => !covered.has(id) && id !== 'transport.base_url')
    expect(uncovered).toEqual([])
  })

  it('a 429 with an integer Retry-After is honoured: the request is retried and the check passes', async () => {
    const report = await runWith({
      check: 'transport.rate_limit',
      fault: 'rate-limit-with-retry-after',
      profile: 'okta',
      with: ['users.create.status'],
    })
    expect(report.checks.find((r) => r.id === 'users.create.status')!.status).toBe('pass')
    expect(report.checks.find((r) => r.id === 'transport.rate_limit')!.message).toMatch(/1 429/)
    expect(report.exchanges.filter((x) => x.response?.status === 429)).toHaveLength(1)
  })

  it('a transient 503 is reported as an error on that check without aborting the run', async () => {
    const report = await runWith({
      check: 'transport.server_errors',
      fault: 'server-error-once',
      profile: 'okta',
      with: ['users.get.by_id', 'filters.user_name_eq'],
    })
    expect(report.checks.find((r) => r.id === 'users.get.by_id')!.status).toBe('error')
    expect(report.checks.find((r) => r.id === 'filters.user_name_eq')!.status).toBe('pass')
    expect(report.outcome).toBe('failed')
  })
})

describe('timeouts', () => {
  it('a request that times out makes its check an error, the run goes on, and transport.latency fails', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'hang-once',
        state: { hangMs: 1500 },
      },
      async (proxy) => {
        const report = await runHarness({
          baseUrl: proxy.baseUrl,
          token: server.token,
          timeoutMs: 300,
          only: ['users.get.unknown', 'filters.no_match', 'transport.latency'],
        })
        const by = Object.fromEntries(report.checks.map((c) => [c.id, c]))
        expect(by['users.get.unknown']!.status).toBe('error')
        expect(by['users.get.unknown']!.message).toMatch(/No answer within 300 ms/)
        expect(by['filters.no_match']!.status).toBe('pass')
        expect(by['transport.latency']!.status).toBe('fail')
        expect(by['transport.latency']!.idpImpact).toMatch(/409 forever/)
      },
    )
  })
})

describe('against a correct server', () => {
  it.each(['okta', 'entra', 'rfc'] as const)(
    'every %s check passes (or is not part of the profile)',
    async (profile) => {
      // A fresh server: fault cases such as delete-noop leave resources behind on the shared one.
      const clean = await startMemoryScimServer()
      try {
        const report = await runHarness({ baseUrl: clean.baseUrl, token: clean.token, profile })
        const notPassing = report.checks.filter((c) => c.status !== 'pass' && c.severity !== 'skip')
        expect(notPassing.map((c) => `${c.id}: ${c.status} ${c.message}`)).toEqual([])
        expect(report.outcome).toBe('passed')
        expect(report.cleanup.leftovers).toEqual([])
        expect(clean.users.size + clean.groups.size).toBe(0)
      } finally {
        await clean.close()
      }
    },
  )
})

describe('transport.base_url', () => {
  const def = allChecks.find((c) => c.id === 'transport.base_url')!
  // This check sends no request; it judges the URL alone, so a bare context is enough.
  const run = (baseUrl: string, profile: HarnessProfile = 'okta') =>
    def.run({ baseUrl, profile: { id: profile } } as never).then(
      (o) => o.status,
      () => 'fail',
    )
  it('fails plain http on a public host, passes https and loopback', async () => {
    expect(await run('http://scim.example.com/scim/v2')).toBe('fail')
    expect(await run('https://scim.example.com/scim/v2')).toBe('pass')
    expect(await run('http://127.0.0.1:8080/scim/v2')).toBe('pass')
  })
  it('fails an underscore in the base URL for Okta only', async () => {
    expect(await run('https://scim.example.com/scim_v2', 'okta')).toBe('fail')
    expect(await run('https://scim.example.com/scim_v2', 'rfc')).toBe('pass')
  })
})
