import { useMutation, useQuery } from '@tanstack/react-query'
import type { ChannelInput } from '../../src-shared/contract.ts'
import type { EventFilter } from '../../src-shared/provisioning-event.ts'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import { downloadFile } from './lib/download.ts'
import type { ActiveTarget } from './use-connections.ts'

export function useLogEvent(target: ActiveTarget | null, seq: number | null) {
  const api = useApi()
  return useQuery({
    queryKey: ['log.getEvent', target?.connection, target?.tenantId, seq],
    queryFn: () => unwrap(api['log.getEvent']({ ...target!, seq: seq! })),
    enabled: target !== null && seq !== null,
  })
}

/** Copy as curl: the command is built (and redacted) in main, then goes to the clipboard. */
export function useCopyCurl(target: ActiveTarget | null) {
  const api = useApi()
  return useMutation({
    mutationFn: async (seq: number) => {
      const { command } = await unwrap(api['log.curl']({ ...target!, seq }))
      await unwrap(api['clipboard.writeText']({ text: command }))
      return command
    },
  })
}

/** The export is produced in main (redacted) and saved by the renderer as a download. */
export function useLogExport(target: ActiveTarget | null) {
  const api = useApi()
  return useMutation({
    mutationFn: async (opts: {
      filter: EventFilter
      format: ChannelInput<'log.export'>['format']
    }) => {
      const file = await unwrap(api['log.export']({ ...target!, ...opts }))
      downloadFile(file)
      return { fileName: file.fileName, count: file.count }
    },
  })
}
