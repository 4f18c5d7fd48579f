import type { CheckDef } from '../check.ts'
import { authChecks } from './auth.ts'
import { discoveryChecks } from './discovery.ts'
import { entraDialectChecks } from './entra-dialect.ts'
import { errorChecks } from './errors.ts'
import { filterChecks } from './filters.ts'
import { groupChecks } from './groups.ts'
import { identityChecks } from './identity.ts'
import { importChecks } from './import-rehearsal.ts'
import { paginationChecks } from './pagination.ts'
import { patchChecks } from './patch.ts'
import { responseChecks } from './responses.ts'
import { transportChecks } from './transport.ts'
import { userChecks } from './users.ts'

/** Every check, in report order. Ids are stable: CI filters and saved reports refer to them. */
export const allChecks: CheckDef[] = [
  ...authChecks,
  ...discoveryChecks,
  ...userChecks,
  ...identityChecks,
  ...filterChecks,
  ...paginationChecks,
  ...importChecks,
  ...patchChecks,
  ...groupChecks,
  ...entraDialectChecks,
  ...errorChecks,
  ...responseChecks,
  ...transportChecks,
]
