#!/usr/bin/env node
// Runs a compiled entry point of the development build (.build/), compiling first (tsc -p tsconfig.dev.json) only
// when a TypeScript source or a tsconfig is newer than the last successful build. `npm run sandbox -- simulate …`
// then answers in about a second instead of waiting for a full compile each time.
//
// Usage: node scripts/run-built.js <entry relative to .build/, e.g. emulator/cli.js> [arguments…]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, '.build');
const stamp = path.join(buildDir, '.compiled');
const SOURCE_DIRS = ['credentials', 'nodes', 'emulator', 'real-n8n', 'harness', 'test', 'bench'];
const CONFIGS = ['tsconfig.json', 'tsconfig.dev.json', 'package.json'];

function newestSource() {
	let newest = 0;
	const visit = (dir) => {
		let entries;
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) visit(full);
			else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json'))
				newest = Math.max(newest, fs.statSync(full).mtimeMs);
		}
	};
	for (const dir of SOURCE_DIRS) visit(path.join(root, dir));
	for (const file of CONFIGS) newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
	return newest;
}

function compiledAt() {
	try {
		return fs.statSync(stamp).mtimeMs;
	} catch {
		return 0;
	}
}

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
	process.stderr.write('usage: node scripts/run-built.js <entry in .build/> [arguments…]\n');
	process.exit(2);
}
if (newestSource() >= compiledAt()) {
	const startedAt = Date.now();
	const tsc = spawnSync(
		process.execPath,
		[require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.dev.json'],
		{ cwd: root, stdio: 'inherit' },
	);
	if (tsc.status !== 0) process.exit(tsc.status ?? 1);
	fs.mkdirSync(buildDir, { recursive: true });
	fs.writeFileSync(stamp, `${new Date(startedAt).toISOString()}\n`);
	fs.utimesSync(stamp, new Date(startedAt), new Date(startedAt));
}
const child = spawnSync(
	process.execPath,
	[...process.execArgv, path.join(buildDir, entry), ...args],
	{
		cwd: root,
		stdio: 'inherit',
	},
);
process.exit(child.status ?? (child.signal ? 1 : 0));
