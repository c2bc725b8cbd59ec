import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// electron-builder cannot package here (it downloads Electron); its own config loader and schema validator can run.
const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

interface TargetEntry {
  target: string;
  arch?: string[];
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string; buildResources?: string };
  files?: (string | { filter?: string[] })[];
  asarUnpack?: string[];
  electronFuses?: Record<string, boolean>;
  mac?: { icon?: string; target?: TargetEntry[] };
  win?: { icon?: string; target?: TargetEntry[] };
  linux?: { icon?: string; target?: TargetEntry[]; maintainer?: string };
  [key: string]: unknown;
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
}

const { getConfig, validateConfiguration } =
  require('app-builder-lib/out/util/config/config.js') as ConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const load = (): Promise<BuilderConfig> => getConfig(PROJECT_DIR, null, null);
/** File patterns, whether electron-builder kept them as strings or normalised them into `{ filter }` sets. */
const patterns = (entries: (string | { filter?: string[] })[] | undefined): string[] =>
  (entries ?? []).flatMap((e) => (typeof e === 'string' ? [e] : (e.filter ?? [])));
const targets = (entries: TargetEntry[] | undefined): Record<string, string[]> =>
  Object.fromEntries((entries ?? []).map((t) => [t.target, [...(t.arch ?? [])].sort()]));

describe('packaging config (electron-builder.yml)', () => {
  it('is what electron-builder loads, and passes its schema (scheme.json) and checks', async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would be rejected by the same validator if it had a wrong key (the check is real)', async () => {
    const config = await load();
    await expect(
      validateConfiguration(
        { ...config, mac: { ...config.mac, notAnOption: 1 } as BuilderConfig['mac'] },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/configuration\.mac/);
  });

  it('builds dmg + zip for arm64 and x64 on macOS, nsis on Windows, AppImage + deb on Linux', async () => {
    const config = await load();
    expect(config.appId).toBe('com.eventfold.crm');
    expect(config.productName).toBe('Eventfold CRM');
    expect(targets(config.mac?.target)).toEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] });
    expect(targets(config.win?.target)).toEqual({ nsis: ['x64'] });
    expect(targets(config.linux?.target)).toEqual({ AppImage: ['x64'], deb: ['x64'] });
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
  });

  it('points at icons that exist in resources/ and are PNGs of at least 512 px', async () => {
    const config = await load();
    expect(config.directories?.buildResources).toBe('resources');
    for (const icon of [config.mac?.icon, config.win?.icon, config.linux?.icon]) {
      expect(icon).toBe('resources/icon.png');
      const png = readFileSync(join(PROJECT_DIR, icon!));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    }
  });

  it('packs the build output, unpacks zstd’s native addon from the asar, and sets restrictive fuses', async () => {
    const config = await load();
    expect(patterns(config.files)).toEqual(expect.arrayContaining(['out/**/*', 'package.json', '!**/*.map']));
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/@mongodb-js/zstd-*/**']),
    );
    // The platform package really is where the addon is (here: the one npm installed for this machine).
    const zstdPkg = JSON.parse(
      readFileSync(join(PROJECT_DIR, 'node_modules/@mongodb-js/zstd/package.json'), 'utf8'),
    ) as {
      optionalDependencies: Record<string, string>;
    };
    expect(
      Object.keys(zstdPkg.optionalDependencies).every((name) => name.startsWith('@mongodb-js/zstd-')),
    ).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('matches package.json (main entry) and the electron-vite output layout', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.scripts.dist).toContain('electron-builder');
    const viteConfig = readFileSync(join(PROJECT_DIR, 'electron.vite.config.ts'), 'utf8');
    expect(viteConfig).toContain("entryFileNames: '[name].cjs'");
    const main = readFileSync(join(PROJECT_DIR, 'src-main/index.ts'), 'utf8');
    expect(main).toContain("'../preload/index.cjs'");
    expect(existsSync(join(PROJECT_DIR, 'src-renderer/index.html'))).toBe(true);
  });
});
