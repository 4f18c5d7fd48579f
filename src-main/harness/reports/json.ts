import type { HarnessReport } from '../../../src-shared/harness.ts'
import { redact } from '../../../src-shared/redact.ts'

/** The versioned JSON report (schema: src-main/harness/REPORT-FORMAT.md). */
export function toJsonReport(report: HarnessReport): string {
  return `${JSON.stringify(redact(report), null, 2)}\n`
}
