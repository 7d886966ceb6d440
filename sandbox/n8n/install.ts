/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- tooling that runs a real n8n from plain Node, never inside n8n */
// Installs the pinned real n8n (and the Node 24 it needs) once, into a cache folder outside the repo.
//
// Steps (measured on these machines, see the project's notes on running real n8n):
//   1/3  `npm i node@24` in a scratch folder: Node 24 from the npm registry (n8n 2.x needs >= 24)
//   2/3  `npm install --no-audit --no-fund --ignore-scripts n8n@<version>` (the Kafka client's install
//        script downloads from GitHub, hence --ignore-scripts)
//   3/3  `npm rebuild sqlite3` with Node 24 first on PATH and npm_config_nodedir set to its headers
//
// The cache is keyed by n8n version and Node major. Each step writes a marker only after it succeeded,
// and the whole install writes `installed.json` only after `n8n --version` answered with the pinned
// version, so an interrupted install resumes at the step that did not finish. A lock directory keeps two
// concurrent runs (two terminals, parallel jest workers) from installing at the same time.
//
// Usable as a program too: `node .build/sandbox/n8n/install.js` warms the cache and prints the paths.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { cleanEnv, formatDuration, run, sleep } from './proc';

export const N8N_VERSION = '2.41.1';
export const NODE_MAJOR = '24';

export interface RealN8n {
	/** The Node 24 binary. */
	nodeBin: string;
	/** n8n's CLI entry (a JS file): run it as `nodeBin n8nBin <command>`. */
	n8nBin: string;
	/** Environment for n8n and npm commands: Node 24 first on PATH, npm_config_nodedir, no npm_* leaks. */
	env: NodeJS.ProcessEnv;
	n8nVersion: string;
	nodeVersion: string;
	/** The version-keyed folder holding this install. */
	installDir: string;
	/** The cache root (PRIVCARDS_N8N_CACHE or ~/.cache/n8n-nodes-privcards). */
	cacheDir: string;
}

export interface EnsureOptions {
	/** Progress lines; default: stderr. */
	log?: (line: string) => void;
	/** Aborting kills the running npm command (its whole process group). */
	signal?: AbortSignal;
}

/** The cache root: `$PRIVCARDS_N8N_CACHE`, else `~/.cache/n8n-nodes-privcards`. */
export function cacheRoot(): string {
	const fromEnv = process.env.PRIVCARDS_N8N_CACHE;
	if (fromEnv && fromEnv.trim() !== '') return path.resolve(fromEnv);
	const xdg = process.env.XDG_CACHE_HOME;
	const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-privcards');
}

interface Layout {
	cacheDir: string;
	installDir: string;
	nodeDir: string;
	n8nDir: string;
	lockDir: string;
	marker: string;
	logFile: string;
}

function layout(): Layout {
	const cacheDir = cacheRoot();
	const key = `n8n-${N8N_VERSION}-node${NODE_MAJOR}`;
	const installDir = path.join(cacheDir, key);
	return {
		cacheDir,
		installDir,
		nodeDir: path.join(installDir, 'node'),
		n8nDir: path.join(installDir, 'n8n'),
		lockDir: path.join(cacheDir, `${key}.lock`),
		marker: path.join(installDir, 'installed.json'),
		logFile: path.join(installDir, 'install.log'),
	};
}

/** The Node 24 binary inside the `node` npm package (its arch-specific package, nested or hoisted). */
function findNodeBin(nodeDir: string): string | undefined {
	const arch = `node-${process.platform}-${process.arch}`;
	const exe = process.platform === 'win32' ? 'node.exe' : path.join('bin', 'node');
	const candidates = [
		path.join(nodeDir, 'node_modules', 'node', 'node_modules', arch, exe),
		path.join(nodeDir, 'node_modules', arch, exe),
	];
	return candidates.find((c) => fs.existsSync(c));
}

function n8nBinOf(l: Layout): string {
	return path.join(l.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Environment for commands that must run on Node 24. */
export function node24Env(
	nodeBin: string,
	base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
	const env = cleanEnv(base);
	const binDir = path.dirname(nodeBin);
	env.PATH = [binDir, env.PATH ?? ''].filter(Boolean).join(path.delimiter);
	// The machine's npm config points node-gyp at Node 20's headers; the node package ships 24's.
	env.npm_config_nodedir = path.dirname(binDir);
	return env;
}

function readMarker(
	l: Layout,
): { nodeBin: string; nodeVersion: string; n8nVersion: string } | undefined {
	try {
		const m = JSON.parse(fs.readFileSync(l.marker, 'utf8')) as {
			n8nVersion?: string;
			nodeVersion?: string;
		};
		const nodeBin = findNodeBin(l.nodeDir);
		if (m.n8nVersion !== N8N_VERSION || !m.nodeVersion || !nodeBin) return undefined;
		if (!fs.existsSync(n8nBinOf(l))) return undefined;
		return { nodeBin, nodeVersion: m.nodeVersion, n8nVersion: m.n8nVersion };
	} catch {
		return undefined;
	}
}

function result(l: Layout, nodeBin: string, nodeVersion: string): RealN8n {
	return {
		nodeBin,
		n8nBin: n8nBinOf(l),
		env: node24Env(nodeBin),
		n8nVersion: N8N_VERSION,
		nodeVersion,
		installDir: l.installDir,
		cacheDir: l.cacheDir,
	};
}

/** True when the pinned n8n is already installed (no lock taken, nothing printed). */
export function isRealN8nInstalled(): boolean {
	return readMarker(layout()) !== undefined;
}

/**
 * Returns the cached Node 24 + n8n, installing them first if needed (minutes, once per machine).
 * Safe to call concurrently from several processes: one installs, the others wait for it.
 */
export async function ensureRealN8n(options: EnsureOptions = {}): Promise<RealN8n> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const l = layout();
	const ready = readMarker(l);
	if (ready) return result(l, ready.nodeBin, ready.nodeVersion);

	fs.mkdirSync(l.cacheDir, { recursive: true });
	const release = await acquireLock(l, log, options.signal);
	try {
		// Another process may have finished the install while we waited for the lock.
		const again = readMarker(l);
		if (again) {
			log(`n8n ${N8N_VERSION} is now installed in ${l.installDir} (by another process)`);
			return result(l, again.nodeBin, again.nodeVersion);
		}
		return await install(l, log, options.signal);
	} finally {
		release();
	}
}

// ---------------------------------------------------------------------------------------------------
// lock

interface LockOwner {
	pid: number;
	host: string;
	since: string;
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function acquireLock(
	l: Layout,
	log: (line: string) => void,
	signal?: AbortSignal,
): Promise<() => void> {
	const ownerFile = path.join(l.lockDir, 'owner.json');
	let announced = false;
	const started = Date.now();
	let lastNote = 0;
	for (;;) {
		if (signal?.aborted) throw new Error('n8n install aborted');
		try {
			fs.mkdirSync(l.lockDir);
			const me: LockOwner = {
				pid: process.pid,
				host: os.hostname(),
				since: new Date().toISOString(),
			};
			fs.writeFileSync(ownerFile, JSON.stringify(me));
			let released = false;
			const release = (): void => {
				if (released) return;
				released = true;
				process.removeListener('exit', release);
				fs.rmSync(l.lockDir, { recursive: true, force: true });
			};
			process.once('exit', release);
			return release;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
		// Held by someone: is the holder still alive?
		let owner: LockOwner | undefined;
		try {
			owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as LockOwner;
		} catch {
			owner = undefined;
		}
		let stale = false;
		if (owner) {
			stale = owner.host === os.hostname() && !pidAlive(owner.pid);
		} else {
			// Created but never filled in: stale if it has been like that for a while.
			try {
				stale = Date.now() - fs.statSync(l.lockDir).mtimeMs > 30_000;
			} catch {
				stale = false; // vanished: retry at once
			}
		}
		if (stale) {
			log(`removing a stale install lock left by process ${owner?.pid ?? '?'}`);
			fs.rmSync(l.lockDir, { recursive: true, force: true });
			continue;
		}
		if (!announced) {
			log(
				`another process (pid ${owner?.pid ?? '?'}) is installing n8n ${N8N_VERSION} into ${l.installDir}; waiting for it…`,
			);
			announced = true;
		} else if (Date.now() - lastNote > 30_000) {
			log(`  still waiting for the other install (${formatDuration(Date.now() - started)})`);
			lastNote = Date.now();
		}
		if (lastNote === 0) lastNote = Date.now();
		await sleep(1000);
	}
}

// ---------------------------------------------------------------------------------------------------
// install

function writeScratchPackageJson(dir: string, name: string): void {
	fs.mkdirSync(dir, { recursive: true });
	// A package.json of its own so npm never walks up to some enclosing project.
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		`${JSON.stringify({ name, private: true, description: 'cache for n8n-nodes-privcards' }, null, 2)}\n`,
	);
}

/** Top-level packages in node_modules, and how many of them are already unpacked (have a package.json). */
function countPackages(dir: string): { total: number; unpacked: number } {
	const nm = path.join(dir, 'node_modules');
	let total = 0;
	let unpacked = 0;
	const visit = (d: string): void => {
		total++;
		if (fs.existsSync(path.join(d, 'package.json'))) unpacked++;
	};
	try {
		for (const name of fs.readdirSync(nm)) {
			if (name.startsWith('.')) continue;
			if (name.startsWith('@')) {
				for (const sub of fs.readdirSync(path.join(nm, name))) visit(path.join(nm, name, sub));
			} else visit(path.join(nm, name));
		}
	} catch {
		// not there yet
	}
	return { total, unpacked };
}

async function install(
	l: Layout,
	log: (line: string) => void,
	signal?: AbortSignal,
): Promise<RealN8n> {
	const t0 = Date.now();
	fs.mkdirSync(l.installDir, { recursive: true });
	log(
		`installing n8n ${N8N_VERSION} on Node ${NODE_MAJOR} into ${l.installDir} — first time only, about 6 minutes` +
			` (npm output: ${l.logFile})`,
	);
	const stepDone = (name: string): string => path.join(l.installDir, `.step-${name}.done`);

	const step = async (
		n: number,
		name: string,
		what: string,
		estimate: string,
		body: (heartbeat: () => string) => Promise<void>,
		progress: () => string = () => '',
	): Promise<void> => {
		if (fs.existsSync(stepDone(name))) {
			log(`  step ${n}/3 ${what}: already done`);
			return;
		}
		const ts = Date.now();
		log(`  step ${n}/3 ${what} (${estimate}) …`);
		const timer = setInterval(() => {
			const p = progress();
			log(
				`  step ${n}/3 ${what}: ${formatDuration(Date.now() - ts)} so far${p ? `, ${p}` : ''}` +
					` (total ${formatDuration(Date.now() - t0)})`,
			);
		}, 20_000);
		try {
			await body(progress);
		} finally {
			clearInterval(timer);
		}
		fs.writeFileSync(stepDone(name), new Date().toISOString());
		log(`  step ${n}/3 ${what}: done in ${formatDuration(Date.now() - ts)}`);
	};

	const npm = async (
		args: string[],
		cwd: string,
		env: NodeJS.ProcessEnv,
		what: string,
	): Promise<void> => {
		fs.appendFileSync(
			l.logFile,
			`\n=== ${new Date().toISOString()} (${cwd}) npm ${args.join(' ')}\n`,
		);
		const r = await run('npm', args, { cwd, env, logFile: l.logFile, signal });
		if (signal?.aborted) throw new Error('n8n install aborted');
		if (r.code !== 0) {
			const tail = (r.stderr || r.stdout).trim().split('\n').slice(-25).join('\n');
			throw new Error(
				`${what} failed (npm exit ${r.code ?? r.signal}). Last output:\n${tail}\nFull log: ${l.logFile}\n` +
					'Run the same command again to resume at this step.',
			);
		}
	};

	// 1/3 Node 24
	await step(1, 'node', `Node ${NODE_MAJOR} from the npm registry`, 'about 15 s', async () => {
		fs.rmSync(l.nodeDir, { recursive: true, force: true });
		writeScratchPackageJson(l.nodeDir, 'privcards-node-cache');
		// The `node` package picks its platform binary in an install script: scripts must run here.
		await npm(
			[
				'install',
				'--no-audit',
				'--no-fund',
				'--ignore-scripts=false',
				'--no-save',
				`node@${NODE_MAJOR}`,
			],
			l.nodeDir,
			cleanEnv(),
			`npm install node@${NODE_MAJOR}`,
		);
		if (!findNodeBin(l.nodeDir))
			throw new Error(`node@${NODE_MAJOR} installed but its binary was not found in ${l.nodeDir}`);
	});
	const nodeBin = findNodeBin(l.nodeDir);
	if (!nodeBin) {
		fs.rmSync(stepDone('node'), { force: true });
		throw new Error(
			`Node ${NODE_MAJOR} binary missing from ${l.nodeDir}; run again to reinstall it`,
		);
	}
	const env = node24Env(nodeBin);
	const nodeVersion = (await run(nodeBin, ['--version'], { env })).stdout.trim();
	if (!nodeVersion.startsWith(`v${NODE_MAJOR}.`)) {
		throw new Error(`expected Node ${NODE_MAJOR}, ${nodeBin} says ${nodeVersion || 'nothing'}`);
	}

	// 2/3 n8n
	await step(
		2,
		'n8n',
		`n8n ${N8N_VERSION} (about 760 MB download, 2.9 GB on disk)`,
		'about 4 minutes',
		async () => {
			// A half-finished tree from an interrupted run is not trusted: start clean.
			fs.rmSync(l.n8nDir, { recursive: true, force: true });
			writeScratchPackageJson(l.n8nDir, 'privcards-n8n-cache');
			await npm(
				[
					'install',
					'--no-audit',
					'--no-fund',
					'--ignore-scripts',
					'--no-save',
					`n8n@${N8N_VERSION}`,
				],
				l.n8nDir,
				// Installed with Node 24 first on PATH so engine checks see the Node that will run it.
				env,
				`npm install n8n@${N8N_VERSION}`,
			);
		},
		() => {
			const { total, unpacked } = countPackages(l.n8nDir);
			return total > 0 ? `${unpacked} of ${total} packages unpacked` : 'resolving dependencies';
		},
	);

	// 3/3 sqlite3 native module for Node 24
	await step(3, 'sqlite3', 'building sqlite3 for Node 24', 'about 2 minutes', async () => {
		await npm(
			['rebuild', '--ignore-scripts=false', 'sqlite3'],
			l.n8nDir,
			env,
			'npm rebuild sqlite3',
		);
	});

	// Verify before declaring success.
	const n8nBin = n8nBinOf(l);
	const v = await run(nodeBin, [n8nBin, '--version'], {
		env: {
			...env,
			N8N_USER_FOLDER: path.join(l.installDir, 'verify-user'),
			N8N_DIAGNOSTICS_ENABLED: 'false',
		},
		cwd: l.installDir,
		timeoutMs: 120_000,
	});
	const got = v.stdout.trim().split('\n').pop()?.trim() ?? '';
	fs.rmSync(path.join(l.installDir, 'verify-user'), { recursive: true, force: true });
	if (got !== N8N_VERSION) {
		throw new Error(
			`n8n --version printed ${JSON.stringify(got)}, expected ${N8N_VERSION}.\n${v.stderr.trim().split('\n').slice(-20).join('\n')}`,
		);
	}
	fs.writeFileSync(
		l.marker,
		`${JSON.stringify(
			{
				n8nVersion: N8N_VERSION,
				nodeVersion,
				installedAt: new Date().toISOString(),
				seconds: Math.round((Date.now() - t0) / 1000),
			},
			null,
			2,
		)}\n`,
	);
	log(`n8n ${N8N_VERSION} on Node ${nodeVersion} installed in ${formatDuration(Date.now() - t0)}`);
	return result(l, nodeBin, nodeVersion);
}

// Run directly: warm the cache.
if (require.main === module) {
	const t = Date.now();
	const ac = new AbortController();
	const onSignal = (): void => ac.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	ensureRealN8n({ signal: ac.signal })
		.then(async (r) => {
			const v = await run(r.nodeBin, [r.n8nBin, '--version'], {
				env: {
					...r.env,
					N8N_USER_FOLDER: path.join(os.tmpdir(), `privcards-n8n-version-${process.pid}`),
				},
			});
			fs.rmSync(path.join(os.tmpdir(), `privcards-n8n-version-${process.pid}`), {
				recursive: true,
				force: true,
			});
			process.stdout.write(
				`${JSON.stringify({ ...r, env: undefined, n8nVersionReported: v.stdout.trim(), ms: Date.now() - t }, null, 2)}\n`,
			);
		})
		.catch((e: unknown) => {
			process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
			process.exitCode = 1;
		});
}
