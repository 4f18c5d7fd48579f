import { AppError } from '../../src-shared/errors.ts'
import { redact } from '../../src-shared/redact.ts'
import type { BackendAccess } from '../connections/backend-access.ts'
import { replayUser } from '../harness/replay-user.ts'
import type { LogTarget } from './log-registry.ts'

/**
 * The log screen's "replay this user": the IdP's request sequence sent with the newest SCIM token
 * of the tenant this console holds in its keychain (the secret never leaves main).
 */
export async function replayWithHeldToken(
  access: BackendAccess,
  target: LogTarget & { userName: string; profile: 'okta' | 'entra' },
): Promise<{
  outcome: 'completed' | 'diverged'
  userId: string | null
  tokenLabel: string
  steps: Awaited<ReturnType<typeof replayUser>>['steps']
}> {
  const { connection, tenantId, userName, profile } = target
  const list = await access.listTokens(connection, tenantId)
  const held = list.tokens
    .filter((t) => t.inKeychain)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  if (!held) {
    throw new AppError(
      'secrets.not_found',
      'This console holds no SCIM token of the tenant to replay with.',
      {
        hint: 'Generate a token on the SCIM tokens screen (it is kept in the keychain), then replay again.',
      },
    )
  }
  const token = await access.revealTokenFor(connection, tenantId, held.id, list.scimBaseUrl)
  const result = await replayUser({ baseUrl: list.scimBaseUrl, token, profile, user: { userName } })
  return {
    outcome: result.outcome,
    userId: result.userId ?? null,
    tokenLabel: held.label,
    steps: redact(result.steps),
  }
}
