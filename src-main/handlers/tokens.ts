import type { tokensChannels } from '../../src-shared/channels/tokens.ts'
import { getIdpActivity, tokensWithIdpUse } from '../connections/idp-activity.ts'
import type { CreatedToken } from '../secrets/token-service.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

/** The keychain account name stays in main: it is an implementation detail, not UI data. */
function shown(t: CreatedToken) {
  return {
    id: t.id,
    label: t.label,
    createdAt: t.createdAt,
    hashPrefix: t.hashPrefix,
    secret: t.secret,
  }
}

export function tokensHandlers({
  backends,
  clipboard,
}: AppServices): DomainHandlers<typeof tokensChannels> {
  const access = () => backends.access()
  return {
    'tokens.list': async ({ connection, tenantId }) => {
      const backend = await access()
      // The IdP's own use beside "any use": rotation is judged by what Okta sends, and a test
      // run with the new token would otherwise look like Okta picked it up.
      const [list, idp] = await Promise.all([
        backend.listTokens(connection, tenantId),
        backend.client(connection).then((c) => getIdpActivity(c, tenantId)),
      ])
      return {
        tenantId: list.tenantId,
        scimBaseUrl: list.scimBaseUrl,
        tokens: tokensWithIdpUse(list.tokens, idp),
        idpWindow: { window: idp.window, complete: idp.complete },
        revoked: list.revoked,
        orphanedKeychainEntries: list.orphanedKeychainEntries.length,
      }
    },
    'tokens.create': async ({ connection, tenantId, label }) =>
      shown(await (await access()).createToken(connection, tenantId, label)),
    'tokens.rotate': async ({ connection, tenantId, tokenId, label }) => {
      const created = await (await access()).rotateToken(connection, tenantId, tokenId, label)
      return { ...shown(created), replaces: created.replaces }
    },
    'tokens.revoke': async ({ connection, tenantId, tokenId }) =>
      (await access()).revokeToken(connection, tenantId, tokenId),
    'tokens.reveal': async ({ connection, tenantId, tokenId }) => ({
      secret: await (await access()).revealTokenSecret(connection, tenantId, tokenId),
    }),
    'clipboard.clearIfEquals': async ({ text }) => ({
      cleared: await clipboard.clearIfEquals(text),
    }),
  }
}
