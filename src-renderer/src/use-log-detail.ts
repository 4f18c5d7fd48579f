import { useMutation, useQuery } from '@tanstack/react-query'
import type { ChannelInput } from '../../src-shared/contract.ts'
import type { EventFilter } from '../../src-shared/provisioning-event.ts'
import { api, unwrap } from './api.ts'
import type { ActiveTarget } from './use-connections.ts'

export function useLogEvent(target: ActiveTarget | null, seq: number | null) {
  return useQuery({
    queryKey: ['log.getEvent', target?.connection, target?.tenantId, seq],
    queryFn: () => unwrap(api['log.getEvent']({ ...target!, seq: seq! })),
    enabled: target !== null && seq !== null,
  })
}

/** Copy as curl: the command is built (and redacted) in main, then goes to the clipboard. */
export function useCopyCurl(target: ActiveTarget | null) {
  return useMutation({
    mutationFn: async (seq: number) => {
      const { command } = await unwrap(api['log.curl']({ ...target!, seq }))
      await unwrap(api['clipboard.writeText']({ text: command }))
      return command
    },
  })
}

/**
 * The export is produced in main (redacted) and saved by the renderer as a download, which the
 * browser and Electron both turn into a file the person chooses.
 */
export function useLogExport(target: ActiveTarget | null) {
  return useMutation({
    mutationFn: async (opts: {
      filter: EventFilter
      format: ChannelInput<'log.export'>['format']
    }) => {
      const file = await unwrap(api['log.export']({ ...target!, ...opts }))
      const url = URL.createObjectURL(new Blob([file.text], { type: file.mimeType }))
      const link = document.createElement('a')
      link.href = url
      link.download = file.fileName
      document.body.append(link)
      link.click()
      link.remove()
      // The browser reads the blob asynchronously (Electron after its save dialog): keep the URL
      // alive for a while rather than racing the download.
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
      return { fileName: file.fileName, count: file.count }
    },
  })
}
