import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import {
  oktaAppSchema,
  signInResultSchema,
  signInSkipSchema,
} from '../../src-shared/channels/onboarding.ts'
import { AppError } from '../../src-shared/errors.ts'
import { harnessReportSchema } from '../../src-shared/harness.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'

/** Lives next to settings.json in the app's data folder. */
export const ONBOARDING_FILE = 'onboarding.json'

const tenantStateSchema = z.strictObject({
  connection: z.string(),
  tenantId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  connectedAt: z.string().nullable(),
  sso: z.strictObject({ copiedAt: z.string(), entityId: z.string().nullable() }).nullable(),
  // Added after version 1 shipped: absent in older files, so they default rather than fail.
  signInTest: z
    .strictObject({
      startedAt: z.string(),
      afterSeq: z.number(),
      result: signInResultSchema.nullable(),
    })
    .nullable()
    .default(null),
  signInSkipped: signInSkipSchema.nullable().default(null),
  scim: z
    .strictObject({
      tokenId: z.string(),
      tokenLabel: z.string(),
      oktaApp: oktaAppSchema,
      confirmedAt: z.string(),
    })
    .nullable(),
  /** The last pre-go-live run; `report` is null while it runs (or when the app quit mid-run). */
  test: z
    .strictObject({
      runId: z.string(),
      tokenId: z.string(),
      tokenLabel: z.string(),
      startedAt: z.string(),
      report: harnessReportSchema.nullable(),
    })
    .nullable(),
  goLive: z
    .strictObject({
      startedAt: z.string(),
      /** The tenant's newest event sequence number when go-live began: later ones are the IdP's. */
      afterSeq: z.number(),
      firstUser: z
        .strictObject({ userName: z.string(), time: z.string(), seq: z.number() })
        .nullable(),
    })
    .nullable(),
})
export type TenantOnboarding = z.infer<typeof tenantStateSchema>

const fileSchema = z.strictObject({
  version: z.literal(1),
  tenants: z.record(z.string(), tenantStateSchema),
})
type OnboardingFile = z.infer<typeof fileSchema>

export interface TenantKey {
  connection: string
  tenantId: string
}

export function freshState(key: TenantKey, now: string): TenantOnboarding {
  return {
    connection: key.connection,
    tenantId: key.tenantId,
    createdAt: now,
    updatedAt: now,
    connectedAt: null,
    sso: null,
    signInTest: null,
    signInSkipped: null,
    scim: null,
    test: null,
    goLive: null,
  }
}

/**
 * The onboarding state of every tenant, one JSON file. Reads validate (a hand-edited or truncated
 * file is reported with its path and the fix, and nothing is overwritten); writes are atomic and
 * serialised, so two handlers finishing together cannot lose each other's update.
 */
export class OnboardingStore {
  readonly file: string
  #queue: Promise<unknown> = Promise.resolve()

  constructor(dataDir: string) {
    this.file = join(dataDir, ONBOARDING_FILE)
  }

  async get(key: TenantKey): Promise<TenantOnboarding | undefined> {
    await this.#queue.catch(() => undefined)
    return (await this.#read()).tenants[keyOf(key)]
  }

  /** Reads, changes and writes one tenant's state as one step; returns the new state. */
  update(
    key: TenantKey,
    change: (state: TenantOnboarding) => TenantOnboarding,
  ): Promise<TenantOnboarding> {
    const run = this.#queue
      .catch(() => undefined)
      .then(async () => {
        const file = await this.#read()
        const now = new Date().toISOString()
        const next = { ...change(file.tenants[keyOf(key)] ?? freshState(key, now)), updatedAt: now }
        await this.#write({ ...file, tenants: { ...file.tenants, [keyOf(key)]: next } })
        return next
      })
    this.#queue = run
    return run
  }

  remove(key: TenantKey): Promise<void> {
    const run = this.#queue
      .catch(() => undefined)
      .then(async () => {
        const file = await this.#read()
        const { [keyOf(key)]: _gone, ...rest } = file.tenants
        await this.#write({ ...file, tenants: rest })
      })
    this.#queue = run
    return run
  }

  async #read(): Promise<OnboardingFile> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tenants: {} }
      throw err
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw invalid(this.file, 'it is not JSON')
    }
    const parsed = fileSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw invalid(this.file, `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    }
    return parsed.data
  }

  /** Atomic: a crash mid-write leaves the old file or the new one. */
  async #write(file: OnboardingFile): Promise<void> {
    const checked = fileSchema.parse(file)
    await writeFileAtomic(this.file, JSON.stringify(checked, null, 2) + '\n')
  }
}

function keyOf(key: TenantKey): string {
  return `${key.connection}/${key.tenantId}`
}

function invalid(file: string, why: string): AppError {
  return new AppError(
    'onboarding.state_invalid',
    `The onboarding file ${file} is unreadable: ${why}.`,
    {
      hint: 'Fix or delete the file (only the onboarding checklist is lost; tokens, settings and the backend are untouched), then reopen the Onboarding screen.',
    },
  )
}
