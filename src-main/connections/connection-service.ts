import { AppError } from '../../src-shared/errors.ts'
import { registerSecret } from '../../src-shared/redact.ts'
import { plainHttpRefusal } from '../../src-domain/net/secret-transport.ts'
import { normalizeAdminBaseUrl } from '../backend/admin-client.ts'
import { recordInsecureHttpOptIn } from '../backend/insecure-http-opt-in.ts'
import { adminKeyAccount, type SecretStatus, type SecretStore } from '../secrets/secret-store.ts'
import {
  CONNECTION_NAME,
  readSettings,
  settingsPath,
  writeSettings,
  type SavedConnection,
} from './settings-file.ts'

/** A connection with its admin key read from the SecretStore, ready for createAdminClient. */
export interface ResolvedConnection {
  /** Undefined for an ad-hoc `--backend URL` target that is not saved. */
  name: string | undefined
  adminBaseUrl: string
  adminKey: string
  /** The connection's opt-in for plain http on a private network; absent means no. */
  allowInsecureHttp?: boolean
}

export interface ConnectionListing extends SavedConnection {
  adminKey: SecretStatus
}

export interface ConnectionService {
  list(): Promise<ConnectionListing[]>
  get(name: string): Promise<SavedConnection>
  add(input: {
    name: string
    adminBaseUrl: string
    adminKey: string
    allowInsecureHttp?: boolean | undefined
  }): Promise<SavedConnection>
  /** Changes the URL, the key and/or the plain-http opt-in; what is not given stays as it is. */
  edit(
    name: string,
    changes: { adminBaseUrl?: string; adminKey?: string; allowInsecureHttp?: boolean | undefined },
  ): Promise<SavedConnection>
  /** Removes the settings entry and the admin key from the keychain. */
  remove(name: string): Promise<void>
  resolve(name: string): Promise<ResolvedConnection>
}

function checkName(name: string): void {
  if (!CONNECTION_NAME.test(name)) {
    throw new AppError('connection.bad_input', `"${name}" is not a usable connection name.`, {
      hint: 'Use up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit (for example "prod-eu").',
    })
  }
}

function checkKey(adminKey: string): string {
  const key = adminKey.trim()
  if (key.length === 0 || /\s/.test(key)) {
    throw new AppError('connection.bad_input', 'The admin key is empty or contains whitespace.', {
      hint: 'Paste the admin API key exactly as the backend printed it (SCIM_CONSOLE_ADMIN_KEY for the CLI).',
    })
  }
  return key
}

/**
 * The admin key goes over https, or plain http to this machine; plain http elsewhere only with
 * the connection's explicit opt-in and only to a private address (names are checked again by the
 * admin client on every call, when DNS answers).
 */
export function checkConnectionTransport(adminBaseUrl: string, allowInsecureHttp: boolean): void {
  const refusal = plainHttpRefusal(new URL(adminBaseUrl), {
    allowInsecureHttp,
    what: 'the admin key',
    optIn:
      'add --allow-insecure-http to `scim-console connection add` (in the app: "Allow plain HTTP on a private network")',
  })
  if (refusal) {
    throw new AppError('connection.bad_input', refusal.message, {
      hint: refusal.hint,
      details: refusal.details,
    })
  }
}

/** The saved form: the opt-in is stored only when given, so the file shows it where it applies. */
function savedConnection(name: string, adminBaseUrl: string, allow: boolean): SavedConnection {
  return allow ? { name, adminBaseUrl, allowInsecureHttp: true } : { name, adminBaseUrl }
}

export function createConnectionService(options: {
  dataDir: string
  store: SecretStore
}): ConnectionService {
  const { dataDir, store } = options

  async function find(name: string): Promise<SavedConnection> {
    const settings = await readSettings(dataDir)
    const found = settings.connections.find((c) => c.name === name)
    if (!found) {
      const known = settings.connections.map((c) => c.name)
      throw new AppError('connection.not_found', `No saved connection is named "${name}".`, {
        hint: known.length
          ? `Saved connections: ${known.join(', ')}.`
          : 'No connections are saved yet: add one with `scim-console connection add --name NAME --backend URL` (admin key in SCIM_CONSOLE_ADMIN_KEY).',
        details: { settingsFile: settingsPath(dataDir) },
      })
    }
    return found
  }

  return {
    async list() {
      const settings = await readSettings(dataDir)
      const out: ConnectionListing[] = []
      for (const c of settings.connections) {
        out.push({ ...c, adminKey: await store.status(adminKeyAccount(c.name)) })
      }
      return out
    },

    get: find,

    async add(input) {
      checkName(input.name)
      const adminBaseUrl = normalizeAdminBaseUrl(input.adminBaseUrl)
      checkConnectionTransport(adminBaseUrl, input.allowInsecureHttp === true)
      const adminKey = checkKey(input.adminKey)
      const settings = await readSettings(dataDir)
      if (settings.connections.some((c) => c.name === input.name)) {
        throw new AppError(
          'connection.exists',
          `A connection named "${input.name}" already exists.`,
          {
            hint: 'Choose another name, edit the existing connection, or remove it first.',
          },
        )
      }
      // Key first: if the keychain is unavailable nothing is written at all.
      await store.set(adminKeyAccount(input.name), adminKey)
      registerSecret(adminKey)
      const saved = savedConnection(input.name, adminBaseUrl, input.allowInsecureHttp === true)
      try {
        await writeSettings(dataDir, { ...settings, connections: [...settings.connections, saved] })
      } catch (err) {
        await store.delete(adminKeyAccount(input.name)).catch(() => false)
        throw err
      }
      return saved
    },

    async edit(name, changes) {
      const current = await find(name)
      const updated = savedConnection(
        name,
        changes.adminBaseUrl === undefined
          ? current.adminBaseUrl
          : normalizeAdminBaseUrl(changes.adminBaseUrl),
        changes.allowInsecureHttp ?? current.allowInsecureHttp === true,
      )
      checkConnectionTransport(updated.adminBaseUrl, updated.allowInsecureHttp === true)
      const adminKey = changes.adminKey === undefined ? undefined : checkKey(changes.adminKey)
      if (adminKey !== undefined) {
        await store.set(adminKeyAccount(name), adminKey)
        registerSecret(adminKey)
      }
      if (
        updated.adminBaseUrl !== current.adminBaseUrl ||
        updated.allowInsecureHttp !== current.allowInsecureHttp
      ) {
        const settings = await readSettings(dataDir)
        await writeSettings(dataDir, {
          ...settings,
          connections: settings.connections.map((c) => (c.name === name ? updated : c)),
        })
      }
      return updated
    },

    async remove(name) {
      await find(name)
      const settings = await readSettings(dataDir)
      await writeSettings(dataDir, {
        ...settings,
        connections: settings.connections.filter((c) => c.name !== name),
      })
      await store.delete(adminKeyAccount(name))
    },

    async resolve(name) {
      const saved = await find(name)
      const adminKey = await store.get(adminKeyAccount(name))
      if (adminKey === undefined) {
        throw new AppError(
          'secrets.not_found',
          `The admin key of connection "${name}" is not in the ${store.kind === 'memory' ? 'in-memory secret store' : 'OS keychain'}.`,
          {
            hint:
              store.kind === 'memory'
                ? `The in-memory store forgets secrets when the process exits. For one-off commands use --backend ${saved.adminBaseUrl} with the key in SCIM_CONSOLE_ADMIN_KEY, or unset SCIM_CONSOLE_SECRET_STORE to use the OS keychain.`
                : `Store it again: SCIM_CONSOLE_ADMIN_KEY=... scim-console connection add --name ${name} --backend ${saved.adminBaseUrl} --replace`,
          },
        )
      }
      registerSecret(adminKey)
      const allowInsecureHttp = saved.allowInsecureHttp === true
      // A settings file edited by hand gets the same rule as `connection add`.
      checkConnectionTransport(saved.adminBaseUrl, allowInsecureHttp)
      if (allowInsecureHttp) recordInsecureHttpOptIn(normalizeAdminBaseUrl(saved.adminBaseUrl))
      return {
        name,
        adminBaseUrl: saved.adminBaseUrl,
        adminKey,
        ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
      }
    },
  }
}

/**
 * What a CLI command or the app talks to: a saved connection by name, or an ad-hoc URL with the
 * admin key from SCIM_CONSOLE_ADMIN_KEY, so scripts and CI need no saved state.
 */
export async function resolveTarget(options: {
  connection?: string | undefined
  backend?: string | undefined
  env: NodeJS.ProcessEnv
  connections: () => ConnectionService
}): Promise<ResolvedConnection> {
  const { connection, backend, env } = options
  if (connection !== undefined && backend !== undefined) {
    throw new AppError('cli.usage', 'Give either --connection NAME or --backend URL, not both.')
  }
  if (backend !== undefined) {
    const adminKey = env.SCIM_CONSOLE_ADMIN_KEY
    if (adminKey === undefined || adminKey.trim() === '') {
      throw new AppError('cli.usage', '--backend needs the admin key in SCIM_CONSOLE_ADMIN_KEY.', {
        hint: 'Set SCIM_CONSOLE_ADMIN_KEY to the backend’s admin API key, or save a connection with `scim-console connection add` and pass --connection NAME.',
      })
    }
    const key = checkKey(adminKey)
    registerSecret(key)
    const adminBaseUrl = normalizeAdminBaseUrl(backend)
    // An ad-hoc --backend URL has no saved opt-in: https, or http to this machine.
    const refusal = plainHttpRefusal(new URL(adminBaseUrl), {
      allowInsecureHttp: false,
      what: 'the admin key',
      optIn: `save it as a connection with \`scim-console connection add --name NAME --backend ${adminBaseUrl} --allow-insecure-http\` and pass --connection NAME`,
    })
    if (refusal) {
      throw new AppError('connection.bad_input', refusal.message, {
        hint: refusal.hint,
        details: refusal.details,
      })
    }
    return { name: undefined, adminBaseUrl, adminKey: key }
  }
  if (connection !== undefined) return options.connections().resolve(connection)
  throw new AppError('cli.usage', 'Say which backend to use: --connection NAME or --backend URL.', {
    hint: 'List saved connections with `scim-console connection list`.',
  })
}
