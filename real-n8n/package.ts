// This package as a user gets it: built, packed with `npm pack`, and installed into an n8n user folder the
// way n8n installs a community package.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import * as lockfile from 'proper-lockfile';

import { cleanEnv, outputTail, run } from './proc';

export const PACKAGE_NAME = 'n8n-nodes-privcards';

/** `npm run build` in the package folder (Node of the caller, no npm_* leaks). Throws with the output tail. */
export async function buildPackage(packageDir: string): Promise<void> {
	const r = await run('npm', ['run', 'build'], { cwd: packageDir, env: cleanEnv() });
	if (r.code !== 0)
		throw new Error(`npm run build failed (exit ${r.code ?? r.signal}):\n${outputTail(r, 40)}`);
}

/** `npm pack` of the package into `destDir`; returns the tarball's path. */
export async function packPackage(packageDir: string, destDir: string): Promise<string> {
	fs.mkdirSync(destDir, { recursive: true });
	const r = await run('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: packageDir,
		env: cleanEnv(),
	});
	if (r.code !== 0)
		throw new Error(`npm pack failed (exit ${r.code ?? r.signal}):\n${outputTail(r, 40)}`);
	const start = r.stdout.indexOf('[');
	const parsed = JSON.parse(r.stdout.slice(start)) as Array<{ filename: string }>;
	const file = parsed[0]?.filename;
	if (!file) throw new Error(`npm pack printed no file name:\n${r.stdout}`);
	// npm 10 prints the bare name; scoped names come out as scope-name-x.y.z.tgz.
	return path.join(destDir, path.basename(file.replace(/^@/, '').replace(/\//, '-')));
}

/**
 * `buildPackage` then `packPackage`, holding a lock on the package folder meanwhile: `n8n-node build` empties
 * `dist/` first, so two suites (jest workers) building at once would pack each other's half-built tree.
 */
export async function buildAndPackPackage(packageDir: string, destDir: string): Promise<string> {
	let release: (() => Promise<void>) | undefined;
	// A fresh clone has no `.build/` yet, and the lock file cannot be made without it.
	fs.mkdirSync(path.join(packageDir, '.build'), { recursive: true });
	while (!release) {
		try {
			release = await lockfile.lock(packageDir, {
				lockfilePath: path.join(packageDir, '.build', 'pack.lock'),
				stale: 30_000,
				update: 5_000,
			});
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
			await sleep(500);
		}
	}
	try {
		await buildPackage(packageDir);
		return await packPackage(packageDir, destDir);
	} finally {
		await release();
	}
}

export interface InstalledPackage {
	name: string;
	version: string;
	dir: string;
}

/**
 * Installs a packed tarball the way n8n (1.x and 2.x alike) installs a community package: extract into
 * `<nodesDir>/node_modules/<name>`, drop devDependencies/peerDependencies/optionalDependencies, run
 * `npm install` there with n8n's flags, and record the package in `<nodesDir>/package.json`.
 * Replaces any earlier install of the same package. `env` is the environment npm runs in.
 */
export async function installCommunityPackage(
	tarball: string,
	where: { nodesDir: string; tmpDir: string; logFile: string; env: NodeJS.ProcessEnv },
): Promise<InstalledPackage> {
	const nodeModules = path.join(where.nodesDir, 'node_modules');
	const staging = fs.mkdtempSync(path.join(where.tmpDir, 'pkg-'));
	try {
		const x = await run('tar', [
			'-xzf',
			path.resolve(tarball),
			'-C',
			staging,
			'--strip-components=1',
		]);
		if (x.code !== 0) throw new Error(`tar -xzf ${tarball} failed:\n${outputTail(x, 20)}`);
		const pkgJsonPath = path.join(staging, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')) as Record<string, unknown> & {
			name: string;
			version: string;
		};
		delete pkg.devDependencies;
		delete pkg.peerDependencies;
		delete pkg.optionalDependencies;
		fs.writeFileSync(pkgJsonPath, JSON.stringify(pkg, null, 2), 'utf8');
		const dir = path.join(nodeModules, ...pkg.name.split('/'));
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(dir), { recursive: true });
		fs.renameSync(staging, dir);
		const npm = await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: dir, env: where.env, logFile: where.logFile },
		);
		if (npm.code !== 0) throw new Error(`npm install in ${dir} failed:\n${outputTail(npm, 30)}`);
		// n8n's own record of installed community packages.
		const recordPath = path.join(where.nodesDir, 'package.json');
		let record: { name?: string; private?: boolean; dependencies?: Record<string, string> } = {};
		try {
			record = JSON.parse(fs.readFileSync(recordPath, 'utf8')) as typeof record;
		} catch {
			record = { name: 'installed-nodes', private: true, dependencies: {} };
		}
		record.dependencies = { ...(record.dependencies ?? {}), [pkg.name]: pkg.version };
		fs.writeFileSync(recordPath, JSON.stringify(record, null, 2), 'utf8');
		return { name: pkg.name, version: pkg.version, dir };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}
