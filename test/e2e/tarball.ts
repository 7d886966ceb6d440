/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, never inside n8n */
// The packed package for an end-to-end suite. `npm run build` empties dist/ first, so two suites building at once
// (jest runs test files in parallel workers on machines with more cores) could pack a half-built dist/: the build
// and the pack run under one lock per work tree, and each suite gets its own tarball.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { lock } from 'proper-lockfile';

import { buildPackage, packPackage } from '../../sandbox/n8n/instance';

/** `npm run build` then `npm pack` into `destDir`, one suite at a time; returns the tarball's path. */
export async function buildAndPack(repoRoot: string, destDir: string): Promise<string> {
	const lockDir = path.join(repoRoot, '.build');
	fs.mkdirSync(lockDir, { recursive: true });
	const release = await lock(repoRoot, {
		lockfilePath: path.join(lockDir, 'build-and-pack.lock'),
		stale: 30_000,
		retries: { retries: 600, minTimeout: 500, maxTimeout: 1000 },
	});
	try {
		await buildPackage(repoRoot);
		return await packPackage(repoRoot, destDir);
	} finally {
		await release();
	}
}
