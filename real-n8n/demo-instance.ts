/**
 * What `npm start` sets up, in a throw-away n8n user folder: the package built, packed and installed as a community
 * package, the emulator with the demo account, a credential pointing at it, and the examples as `npm start` imports
 * them (returned, not imported, so a caller may adapt them first). For the end-to-end test and the screenshots.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../emulator/emulator';
import { ensureRealN8n } from './install';
import { buildAndPackPackage } from './package';
import { N8nUserFolder } from './user-folder';
import { CREDENTIAL_ID, CREDENTIAL_NAME, findPackageRoot, loadExamples } from './start';

/** The credential `npm start` imports. */
export const DEMO_CREDENTIAL = { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } as const;

export interface DemoInstance {
	packageRoot: string;
	emulator: Emulator;
	folder: N8nUserFolder;
	/** examples/*.json, every PrivCards node on the demo credential, inactive. */
	examples: Array<{ file: string; workflow: Record<string, unknown> }>;
	/** Stops the emulator and removes the user folder (n8n itself is the caller's to stop first). */
	dispose(options?: { keepFolder?: boolean }): Promise<void>;
}

export async function prepareDemoInstance(
	options: { prefix?: string; log?: (line: string) => void } = {},
): Promise<DemoInstance> {
	const log = options.log ?? (() => undefined);
	const packageRoot = findPackageRoot();
	const real = await ensureRealN8n({ log });
	log('building and packing the package…');
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privcards-pack-'));
	const tarball = await buildAndPackPackage(packageRoot, packDir);
	const folder = N8nUserFolder.create(real, { prefix: options.prefix ?? 'privcards-demo-' });
	let emulator: Emulator | undefined;
	try {
		await folder.installPackage(tarball);
		emulator = await startEmulator({ empty: false, port: 0, host: '127.0.0.1' });
		await folder.importCredentials([
			{
				...DEMO_CREDENTIAL,
				type: 'privCardsApi',
				data: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
			},
		]);
	} catch (error) {
		await emulator?.stop();
		folder.remove();
		throw error;
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	const running = emulator;
	return {
		packageRoot,
		emulator: running,
		folder,
		examples: loadExamples(packageRoot, DEMO_CREDENTIAL),
		dispose: async ({ keepFolder = false } = {}) => {
			await running.stop();
			if (!keepFolder) folder.remove();
		},
	};
}
