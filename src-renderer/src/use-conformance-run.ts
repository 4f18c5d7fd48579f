import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { create } from 'zustand'
import type { ChannelInput } from '../../src-shared/contract.ts'
import type { AppErrorData } from '../../src-shared/errors.ts'
import type { HarnessReport } from '../../src-shared/harness.ts'
import { ApiError, unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import { downloadFile } from './lib/download.ts'
import { emptyProgress, reduceProgress, type RunProgress } from './lib/harness-progress.ts'

/** Which run the screen shows; kept outside the screen so a run survives switching screens. */
const useRunStore = create<{ runId: string | null; setRunId(runId: string | null): void }>()(
  (set) => ({ runId: null, setRunId: (runId) => set({ runId }) }),
)

export type ExportFormat = ChannelInput<'harness.export'>['format']

const progressKey = (runId: string | null) => ['harness.progress', runId] as const
const reportKey = (runId: string | null) => ['harness.report', runId] as const

/**
 * One conformance run at a time: start, streamed progress (events fold into the query cache),
 * the report once main has it, stop, export. The report is also polled while the run is going,
 * so a progress event lost on the way (the stream connecting late) never leaves the screen stuck.
 */
export function useConformanceRun() {
  const api = useApi()
  const client = useQueryClient()
  const runId = useRunStore((s) => s.runId)
  const setRunId = useRunStore((s) => s.setRunId)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<AppErrorData | null>(null)

  useEffect(
    () =>
      api.on('harness.progress', ({ runId: id, event }) => {
        client.setQueryData<RunProgress>(progressKey(id), (prev) =>
          reduceProgress(prev ?? emptyProgress, event),
        )
        if (event.type === 'run.finished')
          void client.invalidateQueries({ queryKey: reportKey(id) })
      }),
    [api, client],
  )

  const progress = useQuery({
    queryKey: progressKey(runId),
    queryFn: () => client.getQueryData<RunProgress>(progressKey(runId)) ?? emptyProgress,
    enabled: false,
    gcTime: 30 * 60_000,
  })

  const report = useQuery({
    queryKey: reportKey(runId),
    queryFn: async (): Promise<HarnessReport | null> =>
      (await unwrap(api['harness.report']({ runId: runId! }))).report,
    enabled: runId !== null,
    refetchInterval: (query) => (query.state.data || query.state.error ? false : 1000),
    gcTime: 30 * 60_000,
  })

  const cancel = useMutation({
    mutationFn: (id: string) => unwrap(api['harness.cancel']({ runId: id })),
  })

  /**
   * Not a react-query mutation on purpose: its variables would keep a pasted token in the
   * mutation cache; here the token lives only for the call.
   */
  async function start(input: ChannelInput<'harness.start'>): Promise<void> {
    setStarting(true)
    setStartError(null)
    cancel.reset()
    try {
      const { runId: id } = await unwrap(api['harness.start'](input))
      setRunId(id)
    } catch (err) {
      setStartError(err instanceof ApiError ? err.data : { code: 'internal', message: String(err) })
    } finally {
      setStarting(false)
    }
  }

  const finished = report.data ?? null
  const running = runId !== null && finished === null && !report.error
  return {
    runId,
    start,
    starting,
    startError,
    running,
    progress: progress.data ?? emptyProgress,
    report: finished,
    reportError: report.error instanceof ApiError ? report.error.data : null,
    stop: () => (runId ? cancel.mutate(runId) : undefined),
    stopping: cancel.isPending || (cancel.data?.cancelled === true && running),
  }
}

/** Exports the finished run and hands the text to the browser as a download. */
export function useExportReport(runId: string | null) {
  const api = useApi()
  return useMutation({
    mutationFn: async (format: ExportFormat) => {
      return downloadFile(await unwrap(api['harness.export']({ runId: runId!, format })))
    },
  })
}
