import type { logChannels } from '../../src-shared/channels/log.ts'
import type { AppServices } from '../app-services.ts'
import { replayWithHeldToken } from '../provisioning-log/replay-held-token.ts'
import type { DomainHandlers } from './handler-types.ts'

/** The log screen's channels over the process's one live log (src-main/provisioning-log/). */
export function logHandlers({ log, backends }: AppServices): DomainHandlers<typeof logChannels> {
  return {
    'log.open': (target) => log.open(target),
    'log.pause': (target) => log.pause(target),
    'log.resume': (target) => log.resume(target),
    'log.query': ({ filter, offset, limit, order, ...target }) =>
      log.query(target, { filter, offset, limit, order }),
    'log.getEvent': ({ seq, ...target }) => log.eventDetail(target, seq),
    'log.curl': ({ seq, ...target }) => log.curl(target, seq),
    'log.export': ({ filter, format, ...target }) => log.export(target, filter, format),
    'log.userStory': ({ query, ...target }) => log.userStory(target, query),
    'log.replayUser': async ({ userName, profile, connection, tenantId }) =>
      replayWithHeldToken(await backends.access(), { connection, tenantId, userName, profile }),
  }
}
