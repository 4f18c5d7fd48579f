import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, matchesGlob, relative } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { Arch, type Configuration } from 'electron-builder'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import viteConfig from '../electron.vite.config.ts'
import { EMBEDDED_BACKEND_BUNDLE } from '../src-server/launcher/embedded-protocol.ts'
import { METADATA_WORKER_BUNDLE } from '../src-main/metadata/parse-in-worker.ts'
import { SAML_WORKER_BUNDLE } from '../src-main/sso/inspect-in-worker.ts'
import config, {
  RENDERER_ONLY_DEPENDENCIES,
  TEST_BUILD_ENV,
  afterPack,
  electronExecutable,
  fuseConfig,
} from '../electron-builder.config.ts'

// Packaging needs the Electron binary, which these machines cannot download, so the config is
// checked as data here, and by electron-builder's own loader and schema validator.
const root = join(import.meta.dirname, '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  dependencies: Record<string, string>
  homepage?: string
  repository?: { url?: string } | string
  author?: { name?: string; email?: string } | string
  description?: string
}

/** electron-builder's internals, reached through electron-builder's own dependency tree. */
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'))
const { getConfig, validateConfiguration } = builderRequire(
  'app-builder-lib/out/util/config/config.js',
) as {
  getConfig(dir: string, path: string | null, opts: null): Promise<Configuration>
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>
}
const { DebugLogger } = builderRequire('builder-util') as {
  DebugLogger: new (on: boolean) => unknown
}

/**
 * Whether electron-builder copies `path` (relative to the project) into the app: the last
 * pattern that matches decides, as in its `files` list.
 */
function shipped(path: string): boolean {
  let included = false
  for (const pattern of config.files as string[]) {
    const negated = pattern.startsWith('!')
    if (matchesGlob(path, negated ? pattern.slice(1) : pattern)) included = !negated
  }
  return included || (path.startsWith('node_modules/') && !excludedModule(path))
}

function excludedModule(path: string): boolean {
  return (config.files as string[]).some(
    (p) => p.startsWith('!node_modules/') && matchesGlob(path, p.slice(1)),
  )
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

function barePackages(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:from|import)(?:\s*\()?\s*['"]([^'".][^'"]*)['"]/g)].map(
    (m) => m[1]!,
  )
  return specifiers
    .filter((s) => !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!))
}

describe('electron-builder config', () => {
  it('is found and accepted by electron-builder itself', async () => {
    const loaded = await getConfig(root, 'electron-builder.config.ts', null)
    expect(loaded.appId).toBe(config.appId)
    // jiti loads its own copy of the module, so compare by name rather than identity.
    expect(typeof loaded.afterPack).toBe('function')
    expect((loaded.afterPack as () => void).name).toBe(afterPack.name)
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('is rejected by the same validator when an option is misspelt', async () => {
    const broken = { ...config, linux: { ...config.linux, targets: ['AppImage'] } }
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(
      /configuration/,
    )
  })

  it('names the app and builds AppImage + deb, dmg and nsis', () => {
    expect(config.productName).toBe('scim-console')
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/)
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toEqual(['dmg'])
    expect(config.win?.target).toEqual(['nsis'])
    // A deb `depends` list replaces electron-builder's default one, which already has
    // libsecret-1-0 for keytar; setting it would silently drop GTK, NSS and the rest.
    expect(config.deb?.depends).toBeUndefined()
  })

  it('ships the three built bundles and the package manifest', () => {
    expect(pkg.main).toBe('out/main/index.js')
    for (const path of [
      'package.json',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc123.js',
      'out/renderer/assets/index-abc123.css',
    ]) {
      expect(shipped(path), path).toBe(true)
    }
  })

  it('builds and ships the embedded backend as its own bundle, for utilityProcess.fork', () => {
    // A packaged app cannot run bin/scim-console.mjs (no TypeScript sources, RunAsNode fuse off),
    // so the backend's process needs a bundled entry of its own inside the asar.
    const input = (viteConfig as { main?: { build?: { rollupOptions?: { input?: unknown } } } })
      .main?.build?.rollupOptions?.input as Record<string, string>
    expect(Object.keys(input).sort()).toEqual(
      [EMBEDDED_BACKEND_BUNDLE, METADATA_WORKER_BUNDLE, SAML_WORKER_BUNDLE, 'index'].sort(),
    )
    // The SAML inspector's worker (src-main/sso/inspect-in-worker.ts) likewise.
    expect(relative(root, input[SAML_WORKER_BUNDLE]!)).toBe(
      join('src-main', 'sso', 'saml-worker.ts'),
    )
    expect(shipped(`out/main/${SAML_WORKER_BUNDLE}.js`)).toBe(true)
    // The metadata parse worker (src-main/metadata/parse-in-worker.ts) is a bundle too.
    expect(relative(root, input[METADATA_WORKER_BUNDLE]!)).toBe(
      join('src-main', 'metadata', 'metadata-worker.ts'),
    )
    expect(shipped(`out/main/${METADATA_WORKER_BUNDLE}.js`)).toBe(true)
    expect(relative(root, input[EMBEDDED_BACKEND_BUNDLE]!)).toBe(
      join('src-server', 'launcher', 'embedded-entry.ts'),
    )
    expect(existsSync(input[EMBEDDED_BACKEND_BUNDLE]!)).toBe(true)
    for (const path of [
      `out/main/${EMBEDDED_BACKEND_BUNDLE}.js`,
      'out/main/chunks/parse-idp-metadata-abc123.js',
    ]) {
      expect(shipped(path), path).toBe(true)
    }
    // Loaded from inside the asar, like index.js (utility processes read asar archives).
    const unpack = config.asarUnpack as string[]
    expect(unpack.some((p) => matchesGlob(`out/main/${EMBEDDED_BACKEND_BUNDLE}.js`, p))).toBe(false)
    // Nothing main-side relies on running Electron as Node any more.
    for (const file of ['src-main', 'src-server'].flatMap(sourceFiles)) {
      expect(readFileSync(file, 'utf8'), relative(root, file)).not.toMatch(
        /ELECTRON_RUN_AS_NODE['"]?\s*[:=]/,
      )
    }
  })

  it('ships no sources, tests, snapshots or source maps', () => {
    for (const path of [
      'src-main/electron/main.ts',
      'src-shared/contract.ts',
      'src-renderer/src/App.tsx',
      'e2e/app.electron.spec.ts',
      'out/main/index.js.map',
      'out/renderer/assets/index-abc123.js.map',
      'out/main/window-state.test.js',
      'out/main/__snapshots__/contract.test.ts.snap',
      'electron-builder.config.ts',
      'security-scan-allowlist.json',
      '.ci/run',
    ]) {
      expect(shipped(path), path).toBe(false)
    }
  })

  it('unpacks keytar from the asar so its native module can load', () => {
    const unpack = config.asarUnpack as string[]
    const keytarBinary = 'node_modules/keytar/build/Release/keytar.node'
    expect(unpack.some((p) => matchesGlob(keytarBinary, p))).toBe(true)
    expect(unpack.some((p) => matchesGlob('node_modules/keytar/lib/keytar.js', p))).toBe(true)
    expect(unpack.some((p) => matchesGlob('out/main/index.js', p))).toBe(false)
    expect(config.asar).toBe(true)
    expect(pkg.dependencies.keytar).toBeDefined()
    expect(shipped('node_modules/keytar/lib/keytar.js')).toBe(true)
  })

  it('leaves out only dependencies that main-side code never imports', () => {
    const mainSide = ['src-main', 'src-shared', 'src-server'].flatMap(sourceFiles)
    const importedByMain = new Map<string, string>()
    for (const file of mainSide) {
      for (const name of barePackages(file)) importedByMain.set(name, relative(root, file))
    }
    for (const dep of RENDERER_ONLY_DEPENDENCIES) {
      expect(importedByMain.get(dep), `${dep} is imported by main-side code`).toBeUndefined()
      expect(shipped(`node_modules/${dep}/index.js`)).toBe(false)
    }
    // Everything main does import from dependencies stays in the package.
    for (const name of importedByMain.keys()) {
      if (name in pkg.dependencies)
        expect(shipped(`node_modules/${name}/index.js`), name).toBe(true)
    }
  })

  it('ships the icon next to the asar for the About panel, as a PNG of at least 512 px', () => {
    expect(config.extraResources).toEqual([{ from: 'build/icon.png', to: 'icon.png' }])
    const png = readFileSync(join(root, 'build/icon.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512)
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512)
  })

  it('grants the hardened macOS runtime nothing but JIT', () => {
    const file = join(root, config.mac?.entitlements as string)
    expect(existsSync(file)).toBe(true)
    const keys = [...readFileSync(file, 'utf8').matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])
    expect(keys).toEqual(['com.apple.security.cs.allow-jit'])
    expect(config.mac?.hardenedRuntime).toBe(true)
  })
})

describe('Electron fuses', () => {
  it('turns off RunAsNode, NODE_OPTIONS and inspect flags, and requires the asar', () => {
    const fuses = fuseConfig({ testBuild: false })
    expect(fuses[FuseV1Options.RunAsNode]).toBe(false)
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(true)
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
  })

  it('sets every fuse this @electron/fuses knows, so a new one cannot slip by unset', () => {
    const fuses = fuseConfig({ testBuild: false }) as Record<string, unknown>
    const known = Object.values(FuseV1Options).filter((v) => typeof v === 'number')
    expect(fuses.strictlyRequireAllFuses).toBe(true)
    for (const option of known) expect(typeof fuses[option], FuseV1Options[option]).toBe('boolean')
  })

  it('allows inspect arguments in test builds only, and changes nothing else', () => {
    const prod = fuseConfig({ testBuild: false })
    const test = fuseConfig({ testBuild: true })
    expect(test[FuseV1Options.EnableNodeCliInspectArguments]).toBe(true)
    expect({ ...test, [FuseV1Options.EnableNodeCliInspectArguments]: false }).toEqual(prod)
  })

  it('flips the fuses of the packaged executable on every platform', () => {
    const ctx = { appOutDir: '/d', productFilename: 'scim-console', executableName: 'scim-console' }
    expect(electronExecutable({ ...ctx, electronPlatformName: 'darwin' })).toBe(
      '/d/scim-console.app',
    )
    expect(electronExecutable({ ...ctx, electronPlatformName: 'win32' })).toBe(
      '/d/scim-console.exe',
    )
    expect(electronExecutable({ ...ctx, electronPlatformName: 'linux' })).toBe('/d/scim-console')
  })

  it('fails the build when the executable is not there, rather than shipping unfused', async () => {
    const missing = {
      appOutDir: join(root, 'no-such-dir'),
      electronPlatformName: 'linux',
      arch: 1,
      packager: { appInfo: { productFilename: 'scim-console' }, executableName: 'scim-console' },
    } as unknown as Parameters<typeof afterPack>[0]
    await expect(afterPack(missing)).rejects.toThrow()
  })
})

describe('afterPack on a stand-in executable (no Electron binary on this machine)', () => {
  // The fuse wire as Electron embeds it: a sentinel, the wire version, its length, one byte per
  // fuse ('0' off, '1' on). Electron 45's defaults: RunAsNode, NODE_OPTIONS, inspect, file://
  // privileges and Wasm trap handlers on; the rest off.
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
  const dir = mkdtempSync(join(tmpdir(), 'after-pack-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(() => {
    delete process.env[TEST_BUILD_ENV]
  })

  function packagedApp(name: string, defaults = '101100011'): Parameters<typeof afterPack>[0] {
    const appOutDir = join(dir, name)
    const filler = Buffer.alloc(4096, 0x90)
    const wire = Buffer.from([1, defaults.length, ...Buffer.from(defaults, 'latin1')])
    mkdirSync(appOutDir, { recursive: true })
    writeFileSync(
      join(appOutDir, 'scim-console'),
      Buffer.concat([filler, Buffer.from(SENTINEL, 'latin1'), wire, filler]),
    )
    return {
      appOutDir,
      electronPlatformName: 'linux',
      arch: Arch.x64,
      packager: { appInfo: { productFilename: 'scim-console' }, executableName: 'scim-console' },
    } as unknown as Parameters<typeof afterPack>[0]
  }

  async function fuses(ctx: Parameters<typeof afterPack>[0]): Promise<Record<number, number>> {
    return (await getCurrentFuseWire(join(ctx.appOutDir, 'scim-console'))) as unknown as Record<
      number,
      number
    >
  }

  it('writes the release fuse settings into the binary', async () => {
    const ctx = packagedApp('release')
    await afterPack(ctx)
    const wire = await fuses(ctx)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
  })

  it('leaves inspect arguments on when the test-build flag is set', async () => {
    process.env[TEST_BUILD_ENV] = '1'
    const ctx = packagedApp('test-build')
    await afterPack(ctx)
    const wire = await fuses(ctx)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
  })

  it('fails on an Electron with a fuse nobody has decided about yet', async () => {
    const ctx = packagedApp('future', '1011000110')
    await expect(afterPack(ctx)).rejects.toThrow(/strictlyRequireAllFuses/)
  })
})

describe('package metadata that the Linux targets require', () => {
  // app-builder-lib's FpmTarget (deb) refuses to build without a project URL ("Please specify
  // project homepage") and without a maintainer (config.linux.maintainer or author.email).
  it('names a project homepage and repository for the deb', () => {
    expect(pkg.homepage).toMatch(/^https:\/\/\S+$/)
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
    expect(repo).toMatch(/^git\+https:\/\/\S+\.git$/)
  })

  it('names a maintainer for the deb and a description and author for every target', () => {
    const author = typeof pkg.author === 'string' ? { name: pkg.author } : pkg.author
    const maintainer = config.linux?.maintainer ?? author?.email
    expect(maintainer?.trim()).toBeTruthy()
    expect(author?.name?.trim()).toBeTruthy()
    expect(pkg.description?.length).toBeGreaterThan(20)
  })

  it('builds every Linux target from one config: AppImage and deb', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
  })
})
