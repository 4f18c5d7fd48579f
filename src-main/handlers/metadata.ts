import type { metadataChannels } from '../../src-shared/channels/metadata.ts'
import { inspectMetadata } from '../metadata/inspect-metadata.ts'
import type { DomainHandlers, HandlerDeps } from './handler-deps.ts'

export function metadataHandlers(deps: HandlerDeps): DomainHandlers<typeof metadataChannels> {
  return {
    'metadata.inspect': ({ source, entityId }) =>
      inspectMetadata(source, entityId === undefined ? {} : { entityId }),
    'metadata.pickFile': () => deps.platform.pickMetadataFile(),
  }
}
