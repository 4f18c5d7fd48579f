#!/usr/bin/env node
// Security scan of the Electron app (electronegativity). Exit 0: no high or medium finding left
// unexplained; 1: findings to fix or explain; 2: the scan could not run.
import { join } from 'node:path'
import { formatScan, passed, readAllowlist, runSecurityScan } from './security-scan-core.ts'

const root = join(import.meta.dirname, '..')
try {
  const allowlist = readAllowlist(join(root, 'security-scan-allowlist.json'))
  const result = await runSecurityScan({ root, allowlist })
  console.log(formatScan(result))
  process.exitCode = passed(result) ? 0 : 1
} catch (err) {
  console.error(`security scan could not run: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 2
}
