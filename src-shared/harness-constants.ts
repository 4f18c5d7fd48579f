/**
 * The harness's plain constants, apart from its zod schemas (harness.ts, which re-exports them):
 * the CLI's `check` reads these at every start and need not build the report schemas to do so.
 */

export const HARNESS_REPORT_SCHEMA_VERSION = 1

export const harnessProfiles = ['okta', 'entra', 'rfc'] as const

export const checkAreas = [
  'auth',
  'discovery',
  'users',
  'filters',
  'pagination',
  'patch',
  'groups',
  'errors',
  'transport',
] as const
