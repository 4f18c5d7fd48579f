import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { AppError } from '../../src-shared/errors.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'
import { ensurePrivateDataDir } from './data-dir.ts'

export const SETTINGS_FILE = 'settings.json'

export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export const connectionSchema = z.strictObject({
  name: z
    .string()
    .regex(CONNECTION_NAME, 'letters, digits, ".", "_" or "-", starting with a letter or digit'),
  adminBaseUrl: z.url({ protocol: /^https?$/ }),
  /** The explicit opt-in for plain http on a private network (`connection add --allow-insecure-http`). */
  allowInsecureHttp: z.boolean().optional(),
})

/**
 * Unknown top-level keys are kept (other parts of the app add their own settings); a connection
 * must be exactly `{ name, adminBaseUrl, allowInsecureHttp? }`, so an admin key pasted into the file is refused
 * rather than silently used from disk.
 */
export const settingsSchema = z.looseObject({
  version: z.literal(1).default(1),
  secretStore: z.enum(['keychain', 'memory']).optional(),
  connections: z.array(connectionSchema).default([]),
})

export type Settings = z.infer<typeof settingsSchema>
export type SavedConnection = z.infer<typeof connectionSchema>

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE)
}

function invalid(file: string, problem: string, details?: unknown): AppError {
  return new AppError('settings.invalid', `The settings file ${file} is not valid: ${problem}.`, {
    hint: `Fix or remove that part of ${file} (a missing file means "no settings"), then try again. scim-console has not changed it.`,
    details,
  })
}

/** A missing file is the empty default; anything unreadable is an error naming file and field. */
export async function readSettings(dataDir: string): Promise<Settings> {
  const file = settingsPath(dataDir)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({})
    throw invalid(file, `it cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw invalid(file, `it is not JSON (${(err as Error).message})`)
  }
  const parsed = settingsSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue && issue.path.length > 0 ? formatPath(issue.path) : '(the whole file)'
    throw invalid(file, `${field}: ${issue?.message ?? 'unexpected value'}`, {
      issues: parsed.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message })),
    })
  }
  return parsed.data
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('')
}

/**
 * Atomic (a crash leaves the old file or the new one); the folder and file are private to the
 * user because they name the backends they administer.
 */
export async function writeSettings(dataDir: string, settings: Settings): Promise<void> {
  const checked = settingsSchema.parse(settings)
  await ensurePrivateDataDir(dataDir)
  await writeFileAtomic(settingsPath(dataDir), JSON.stringify(checked, null, 2) + '\n')
}
