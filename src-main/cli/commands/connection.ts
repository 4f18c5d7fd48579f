import type { ParseArgsOptionsConfig } from 'node:util'
import { AppError } from '../../../src-shared/errors.ts'
import { createAdminClient } from '../../backend/admin-client.ts'
import { normalizeAdminBaseUrl } from '../../backend/admin-client.ts'
import {
  checkConnectionTransport,
  createConnectionService,
} from '../../connections/connection-service.ts'
import { openCliStore } from '../open-cli-store.ts'
import { parseOptions } from '../parse-options.ts'
import { EXIT_OK, type CliCommand, type CliIo } from '../command.ts'

function parse<T>(args: string[], options: ParseArgsOptionsConfig, usage: string): T {
  return parseOptions<T>(args, options, usage).values
}

async function services(io: CliIo) {
  const { dataDir, store } = await openCliStore(io)
  return { dataDir, store, connections: createConnectionService({ dataDir, store }) }
}

/** The admin key is read from the environment or stdin, never from a flag (shell history). */
async function readAdminKey(io: CliIo, fromStdin: boolean): Promise<string | undefined> {
  if (fromStdin) {
    let text = ''
    for await (const chunk of io.stdin) text += String(chunk)
    return text.trim()
  }
  return io.env.SCIM_CONSOLE_ADMIN_KEY
}

const addUsage =
  'connection add --name NAME --backend URL [--admin-key-stdin] [--replace] [--skip-verify] [--allow-insecure-http]'
const connectionAdd: CliCommand = {
  path: ['connection', 'add'],
  usage: addUsage,
  summary:
    'Save a backend connection; its admin key (SCIM_CONSOLE_ADMIN_KEY or stdin) goes to the keychain',
  async run(args, io) {
    const o = parse<{
      name?: string
      backend?: string
      'admin-key-stdin': boolean
      replace: boolean
      'skip-verify': boolean
      'allow-insecure-http': boolean
    }>(
      args,
      {
        name: { type: 'string' },
        backend: { type: 'string' },
        'admin-key-stdin': { type: 'boolean', default: false },
        replace: { type: 'boolean', default: false },
        'skip-verify': { type: 'boolean', default: false },
        'allow-insecure-http': { type: 'boolean', default: false },
      },
      addUsage,
    )
    if (!o.name || !o.backend) {
      throw new AppError('cli.usage', '--name and --backend are required.', {
        hint: `Usage: scim-console ${addUsage}`,
      })
    }
    const adminKey = await readAdminKey(io, o['admin-key-stdin'])
    if (!adminKey) {
      throw new AppError('cli.usage', 'No admin key given.', {
        hint: 'Put the admin API key in SCIM_CONSOLE_ADMIN_KEY, or pipe it in with --admin-key-stdin.',
      })
    }
    const allowInsecureHttp = o['allow-insecure-http']
    // Before anything is sent: the admin key goes over https, or plain http only to this
    // machine or (opted in) a private network.
    checkConnectionTransport(normalizeAdminBaseUrl(o.backend), allowInsecureHttp)
    const { connections } = await services(io)
    // Check URL and key before saving, so a typo is caught now rather than at go-live.
    if (!o['skip-verify']) {
      await createAdminClient({ baseUrl: o.backend, adminKey, allowInsecureHttp }).listTenants()
    }
    const exists = (await connections.list()).some((c) => c.name === o.name)
    if (exists && !o.replace) {
      throw new AppError('connection.exists', `A connection named "${o.name}" already exists.`, {
        hint: 'Pass --replace to change its URL and admin key, or choose another name.',
      })
    }
    const saved = exists
      ? await connections.edit(o.name, { adminBaseUrl: o.backend, adminKey, allowInsecureHttp })
      : await connections.add({
          name: o.name,
          adminBaseUrl: o.backend,
          adminKey,
          allowInsecureHttp,
        })
    io.stdout.write(
      `${exists ? 'Updated' : 'Saved'} connection ${saved.name} → ${saved.adminBaseUrl}${o['skip-verify'] ? ' (not verified)' : ' (admin key verified)'}.\n`,
    )
    if (saved.allowInsecureHttp && saved.adminBaseUrl.startsWith('http:')) {
      io.stdout.write(
        'Plain HTTP allowed for this connection: the admin key crosses the private network unencrypted.\n',
      )
    }
    return EXIT_OK
  },
}

const listUsage = 'connection list [--json]'
const connectionList: CliCommand = {
  path: ['connection', 'list'],
  usage: listUsage,
  summary: 'List saved backend connections and whether their admin keys are in the keychain',
  async run(args, io) {
    const o = parse<{ json: boolean }>(
      args,
      { json: { type: 'boolean', default: false } },
      listUsage,
    )
    const { connections } = await services(io)
    const list = await connections.list()
    if (o.json) {
      io.stdout.write(JSON.stringify(list, null, 2) + '\n')
      return EXIT_OK
    }
    if (list.length === 0) {
      io.stdout.write('No saved connections. Add one with `scim-console ' + addUsage + '`.\n')
      return EXIT_OK
    }
    for (const c of list) {
      const key = c.adminKey.present
        ? `admin key stored (…${c.adminKey.last4 ?? ''})`
        : 'admin key MISSING'
      const insecure = c.allowInsecureHttp ? '  PLAIN HTTP ALLOWED (private network)' : ''
      io.stdout.write(`${c.name}  ${c.adminBaseUrl}  ${key}${insecure}\n`)
    }
    return EXIT_OK
  },
}

const removeUsage = 'connection remove --name NAME'
const connectionRemove: CliCommand = {
  path: ['connection', 'remove'],
  usage: removeUsage,
  summary: 'Remove a saved connection and its admin key from the keychain',
  async run(args, io) {
    const o = parse<{ name?: string }>(args, { name: { type: 'string' } }, removeUsage)
    if (!o.name) {
      throw new AppError('cli.usage', '--name is required.', {
        hint: `Usage: scim-console ${removeUsage}`,
      })
    }
    const { connections } = await services(io)
    await connections.remove(o.name)
    io.stdout.write(`Removed connection ${o.name} and its admin key.\n`)
    return EXIT_OK
  },
}

export const connectionCommands: CliCommand[] = [connectionAdd, connectionList, connectionRemove]
