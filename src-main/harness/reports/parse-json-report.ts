import { harnessReportSchema, type HarnessReport } from '../../../src-shared/harness.ts'

/**
 * Reads a saved report back, refusing files of another schema version. Apart from json.ts so
 * that writing a report (`check --report`) does not build the report's zod schemas.
 */
export function parseJsonReport(text: string): HarnessReport {
  return harnessReportSchema.parse(JSON.parse(text))
}
