import type { metadataChannels } from '../../src-shared/channels/metadata.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

export function metadataHandlers({
  metadata,
}: AppServices): DomainHandlers<typeof metadataChannels> {
  return {
    'metadata.inspect': ({ source, entityId }) => metadata.inspect(source, entityId),
    'metadata.pickFile': () => metadata.pickFile(),
  }
}
