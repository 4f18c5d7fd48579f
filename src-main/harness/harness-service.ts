import { randomUUID } from 'node:crypto'
import { AppError } from '../../src-shared/errors.ts'
import {
  harnessRunRequestSchema,
  type HarnessExport,
  type HarnessProgressMessage,
  type HarnessReport,
  type HarnessRunRequest,
} from '../../src-shared/harness.ts'
import { toHar } from './reports/har.ts'
import { toHtmlReport } from './reports/html.ts'
import { toJsonReport } from './reports/json.ts'
import { toJunitXml } from './reports/junit.ts'
import { runHarness, validateHarnessInput, type RunHarnessInput } from './runner.ts'

/**
 * The harness as the app uses it: start a run (it streams progress and keeps running in the
 * background), stop it, fetch its report, export it. The contract handlers for `harness.start`,
 * `harness.cancel`, `harness.report`, `harness.export` and the `harness.progress` event map onto
 * these methods one to one. Only the last few reports are kept, in memory.
 */
export interface HarnessService {
  start(request: HarnessRunRequest): { runId: string }
  cancel(runId: string): { cancelled: boolean }
  /** The report once the run finished; undefined while it runs. */
  report(runId: string): HarnessReport | undefined
  /** Resolves when the run finishes (tests, CLI-like callers). */
  wait(runId: string): Promise<HarnessReport>
  export(runId: string, format: 'json' | 'junit' | 'html' | 'har'): HarnessExport
}

interface Run {
  controller: AbortController
  done: Promise<HarnessReport>
  report?: HarnessReport
}

export function createHarnessService(opts: {
  onProgress: (message: HarnessProgressMessage) => void
  keep?: number
  tuning?: RunHarnessInput['tuning']
}): HarnessService {
  const runs = new Map<string, Run>()
  const keep = opts.keep ?? 10
  const find = (runId: string): Run => {
    const run = runs.get(runId)
    if (!run) {
      throw new AppError('harness.bad_input', `No harness run ${runId}.`, {
        hint: 'Runs are kept in memory only; start a new one.',
      })
    }
    return run
  }
  return {
    start(request) {
      const parsed = harnessRunRequestSchema.safeParse(request)
      if (!parsed.success) {
        throw new AppError('harness.bad_input', 'The harness settings are not valid.', {
          hint: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        })
      }
      const input = parsed.data
      validateHarnessInput(input)
      const runId = randomUUID()
      const controller = new AbortController()
      const done = runHarness({
        baseUrl: input.baseUrl,
        token: input.token,
        profile: input.profile,
        readOnly: input.readOnly,
        concurrency: input.concurrency,
        timeoutMs: input.timeoutMs,
        signal: controller.signal,
        onProgress: (event) => opts.onProgress({ runId, event }),
        ...(opts.tuning ? { tuning: opts.tuning } : {}),
      })
      const run: Run = { controller, done }
      runs.set(runId, run)
      done.then(
        (report) => {
          run.report = report
        },
        () => undefined,
      )
      while (runs.size > keep) runs.delete(runs.keys().next().value!)
      return { runId }
    },
    cancel(runId) {
      const run = find(runId)
      if (run.report) return { cancelled: false }
      run.controller.abort()
      return { cancelled: true }
    },
    report: (runId) => find(runId).report,
    wait: (runId) => find(runId).done,
    export(runId, format) {
      const report = find(runId).report
      if (!report)
        throw new AppError('harness.bad_input', 'The run has not finished yet.', {
          hint: 'Export once it is done.',
        })
      const base = `scim-conformance-${report.profile}-${report.startedAt.slice(0, 19).replace(/[:T]/g, '-')}`
      switch (format) {
        case 'json':
          return {
            fileName: `${base}.json`,
            mimeType: 'application/json',
            text: toJsonReport(report),
          }
        case 'junit':
          return {
            fileName: `${base}.junit.xml`,
            mimeType: 'application/xml',
            text: toJunitXml(report),
          }
        case 'html':
          return { fileName: `${base}.html`, mimeType: 'text/html', text: toHtmlReport(report) }
        case 'har':
          return { fileName: `${base}.har`, mimeType: 'application/json', text: toHar(report) }
      }
    },
  }
}
