// Installs a pinned real n8n (and the Node it needs) once, into a cache folder outside the repo.
//
// Steps (measured on these machines, see the project's notes on running real n8n):
//   1/3  `npm i node@24` in a scratch folder: Node 24 from the npm registry (n8n 2.x needs >= 24; the 1.x
//        line's expression engine, isolated-vm 6, ships prebuilds for Node 22 and 24 only)
//   2/3  `npm install --no-audit --no-fund --ignore-scripts n8n@<version>` (the Kafka client's install
//        script downloads from GitHub, hence --ignore-scripts; 1.x also needs an `xlsx` override because its
//        pinned xlsx is a tarball URL on a CDN outside the npm registry)
//   3/3  `npm rebuild sqlite3` with Node 24 first on PATH and npm_config_nodedir set to its headers
//
// Several n8n versions live side by side in the cache, each keyed by n8n version and Node major. Each step
// writes a marker only after it succeeded, and the whole install writes `installed.json` only after
// `n8n --version` answered with the pinned version, so an interrupted install resumes at the step that did
// not finish. A lock (proper-lockfile) per version keeps two concurrent runs (two terminals, parallel jest
// workers) from installing the same version at the same time; different versions install in parallel.
//
// The program that warms the cache is install-cli.ts (`npm run n8n:install`).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import * as lockfile from 'proper-lockfile';

import { cleanEnv, formatDuration, run } from './proc';

/** The default n8n: the 2.x line. */
export const N8N_VERSION = '2.41.1';
/** The newest 1.x release this registry serves (1.123.x still gets patch releases). */
export const N8N1_VERSION = '1.123.81';
/** Every n8n version the end-to-end suites run against, default first. */
export const TESTED_N8N_VERSIONS = [N8N_VERSION, N8N1_VERSION] as const;
const NODE_MAJOR = '24';

/** What installing one n8n line needs beyond `npm install n8n@<version>`. */
interface N8nLine {
	nodeMajor: string;
	/** npm `overrides` for the scratch package.json. */
	overrides?: Record<string, string>;
	/** Rough figures for the progress lines. */
	size: string;
	estimate: string;
}

function lineOf(version: string): N8nLine {
	const major = Number(version.split('.')[0]);
	if (major === 1) {
		return {
			nodeMajor: NODE_MAJOR,
			// n8n-nodes-base 1.x pins xlsx to a cdn.sheetjs.com tarball; 0.18.5 is the last xlsx on npm.
			// Only the spreadsheet nodes use it.
			overrides: { xlsx: '0.18.5' },
			size: '1.8 GB on disk',
			estimate: 'about 2.5 minutes',
		};
	}
	return {
		nodeMajor: NODE_MAJOR,
		size: 'about 760 MB download, 2.9 GB on disk',
		estimate: 'about 4 minutes',
	};
}

export interface RealN8n {
	/** The Node binary n8n runs on. */
	nodeBin: string;
	/** n8n's CLI entry (a JS file): run it as `nodeBin n8nBin <command>`. */
	n8nBin: string;
	/** Environment for n8n and npm commands: that Node first on PATH, npm_config_nodedir, no npm_* leaks. */
	env: NodeJS.ProcessEnv;
	n8nVersion: string;
	nodeVersion: string;
	/** The version-keyed folder holding this install. */
	installDir: string;
	/** The cache root (PRIVCARDS_N8N_CACHE or ~/.cache/n8n-nodes-privcards). */
	cacheDir: string;
}

export interface EnsureOptions {
	/** The n8n version; default N8N_VERSION (2.41.1). */
	version?: string;
	/** Progress lines; default: stderr. */
	log?: (line: string) => void;
	/** Aborting kills the running npm command (its whole process group). */
	signal?: AbortSignal;
	/** An npm cache folder of its own (`npm --cache`), e.g. to measure a cold install. */
	npmCache?: string;
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
	version: string;
	line: N8nLine;
	cacheDir: string;
	installDir: string;
	nodeDir: string;
	n8nDir: string;
	lockPath: string;
	marker: string;
	logFile: string;
}

function layout(version: string): Layout {
	if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not an exact n8n version: ${version}`);
	const line = lineOf(version);
	const cacheDir = cacheRoot();
	const key = `n8n-${version}-node${line.nodeMajor}`;
	const installDir = path.join(cacheDir, key);
	return {
		version,
		line,
		cacheDir,
		installDir,
		nodeDir: path.join(installDir, 'node'),
		n8nDir: path.join(installDir, 'n8n'),
		lockPath: path.join(cacheDir, `${key}.install-lock`),
		marker: path.join(installDir, 'installed.json'),
		logFile: path.join(installDir, 'install.log'),
	};
}

/** The Node binary inside the `node` npm package (its arch-specific package, nested or hoisted). */
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

/** Environment for commands that must run on the installed Node. */
function node24Env(nodeBin: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env = cleanEnv(base);
	const binDir = path.dirname(nodeBin);
	env.PATH = [binDir, env.PATH ?? ''].filter(Boolean).join(path.delimiter);
	// The machine's npm config points node-gyp at Node 20's headers; the node package ships its own.
	env.npm_config_nodedir = path.dirname(binDir);
	return env;
}

function readMarker(l: Layout): { nodeBin: string; nodeVersion: string } | undefined {
	try {
		const m = JSON.parse(fs.readFileSync(l.marker, 'utf8')) as {
			n8nVersion?: string;
			nodeVersion?: string;
		};
		const nodeBin = findNodeBin(l.nodeDir);
		if (m.n8nVersion !== l.version || !m.nodeVersion || !nodeBin) return undefined;
		if (!fs.existsSync(n8nBinOf(l))) return undefined;
		return { nodeBin, nodeVersion: m.nodeVersion };
	} catch {
		return undefined;
	}
}

function result(l: Layout, nodeBin: string, nodeVersion: string): RealN8n {
	return {
		nodeBin,
		n8nBin: n8nBinOf(l),
		env: node24Env(nodeBin),
		n8nVersion: l.version,
		nodeVersion,
		installDir: l.installDir,
		cacheDir: l.cacheDir,
	};
}

/** True when that n8n version is already installed (no lock taken, nothing printed). */
export function isRealN8nInstalled(version: string = N8N_VERSION): boolean {
	return readMarker(layout(version)) !== undefined;
}

/**
 * Returns the cached Node + n8n of `options.version` (default 2.41.1), installing them first if needed
 * (minutes, once per machine and version). Safe to call concurrently from several processes: one installs,
 * the others wait for it.
 */
export async function ensureRealN8n(options: EnsureOptions = {}): Promise<RealN8n> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const l = layout(options.version ?? N8N_VERSION);
	const ready = readMarker(l);
	if (ready) return result(l, ready.nodeBin, ready.nodeVersion);

	fs.mkdirSync(l.cacheDir, { recursive: true });
	// Aborted by the caller, or by the lock library when it finds the lock compromised (another process
	// may then be installing into the same folder: stop rather than race it).
	const lost = new AbortController();
	const signal = options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal;
	const release = await acquireLock(l, log, signal, (e) => lost.abort(e));
	try {
		// Another process may have finished the install while we waited for the lock.
		const again = readMarker(l);
		if (again) {
			log(`n8n ${l.version} is now installed in ${l.installDir} (by another process)`);
			return result(l, again.nodeBin, again.nodeVersion);
		}
		return await install(l, log, signal, options.npmCache);
	} finally {
		await release().catch(() => undefined);
	}
}

// ---------------------------------------------------------------------------------------------------
// lock: proper-lockfile's mkdir lock, kept fresh by its holder (mtime updates); a holder that died leaves
// a lock that goes stale after 30 s and is taken over.

async function acquireLock(
	l: Layout,
	log: (line: string) => void,
	signal: AbortSignal,
	onCompromised: (e: Error) => void,
): Promise<() => Promise<void>> {
	const started = Date.now();
	let lastNote = 0;
	for (;;) {
		signal.throwIfAborted();
		try {
			return await lockfile.lock(l.installDir, {
				realpath: false,
				lockfilePath: l.lockPath,
				stale: 30_000,
				update: 5_000,
				onCompromised: (e) => {
					log(
						`the install lock ${l.lockPath} was compromised (${e.message}); stopping this install`,
					);
					onCompromised(e);
				},
			});
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
		}
		if (lastNote === 0) {
			log(`another process is installing n8n ${l.version} into ${l.installDir}; waiting for it…`);
			lastNote = Date.now();
		} else if (Date.now() - lastNote > 30_000) {
			log(`  still waiting for the other install (${formatDuration(Date.now() - started)})`);
			lastNote = Date.now();
		}
		await sleep(1000, undefined, { signal });
	}
}

// ---------------------------------------------------------------------------------------------------
// install

function writeScratchPackageJson(
	dir: string,
	name: string,
	overrides?: Record<string, string>,
): void {
	fs.mkdirSync(dir, { recursive: true });
	// A package.json of its own so npm never walks up to some enclosing project.
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		`${JSON.stringify({ name, private: true, description: 'cache for n8n-nodes-privcards', overrides }, null, 2)}\n`,
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
	signal: AbortSignal,
	npmCache: string | undefined,
): Promise<RealN8n> {
	const t0 = Date.now();
	const { nodeMajor } = l.line;
	fs.mkdirSync(l.installDir, { recursive: true });
	log(
		`installing n8n ${l.version} on Node ${nodeMajor} into ${l.installDir} — first time only, a few minutes` +
			` (npm output: ${l.logFile})`,
	);
	const stepDone = (name: string): string => path.join(l.installDir, `.step-${name}.done`);

	const step = async (
		n: number,
		name: string,
		what: string,
		estimate: string,
		body: () => Promise<void>,
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
			await body();
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
		const all = npmCache ? [...args, '--cache', npmCache] : args;
		fs.appendFileSync(
			l.logFile,
			`\n=== ${new Date().toISOString()} (${cwd}) npm ${all.join(' ')}\n`,
		);
		const r = await run('npm', all, { cwd, env, logFile: l.logFile, signal });
		signal.throwIfAborted();
		if (r.code !== 0) {
			const tail = (r.stderr || r.stdout).trim().split('\n').slice(-25).join('\n');
			throw new Error(
				`${what} failed (npm exit ${r.code ?? r.signal}). Last output:\n${tail}\nFull log: ${l.logFile}\n` +
					'Run the same command again to resume at this step.',
			);
		}
	};

	// 1/3 Node
	await step(1, 'node', `Node ${nodeMajor} from the npm registry`, 'about 15 s', async () => {
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
				`node@${nodeMajor}`,
			],
			l.nodeDir,
			cleanEnv(),
			`npm install node@${nodeMajor}`,
		);
		if (!findNodeBin(l.nodeDir))
			throw new Error(`node@${nodeMajor} installed but its binary was not found in ${l.nodeDir}`);
	});
	const nodeBin = findNodeBin(l.nodeDir);
	if (!nodeBin) {
		fs.rmSync(stepDone('node'), { force: true });
		throw new Error(
			`Node ${nodeMajor} binary missing from ${l.nodeDir}; run again to reinstall it`,
		);
	}
	const env = node24Env(nodeBin);
	const nodeVersion = (await run(nodeBin, ['--version'], { env })).stdout.trim();
	if (!nodeVersion.startsWith(`v${nodeMajor}.`)) {
		throw new Error(`expected Node ${nodeMajor}, ${nodeBin} says ${nodeVersion || 'nothing'}`);
	}

	// 2/3 n8n
	await step(
		2,
		'n8n',
		`n8n ${l.version} (${l.line.size})`,
		l.line.estimate,
		async () => {
			// A half-finished tree from an interrupted run is not trusted: start clean.
			fs.rmSync(l.n8nDir, { recursive: true, force: true });
			writeScratchPackageJson(l.n8nDir, 'privcards-n8n-cache', l.line.overrides);
			await npm(
				['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', `n8n@${l.version}`],
				l.n8nDir,
				// Installed with that Node first on PATH so engine checks see the Node that will run it.
				env,
				`npm install n8n@${l.version}`,
			);
		},
		() => {
			const { total, unpacked } = countPackages(l.n8nDir);
			return total > 0 ? `${unpacked} of ${total} packages unpacked` : 'resolving dependencies';
		},
	);

	// 3/3 sqlite3 native module for that Node
	await step(
		3,
		'sqlite3',
		`building sqlite3 for Node ${nodeMajor}`,
		'about 2 minutes',
		async () => {
			await npm(
				['rebuild', '--ignore-scripts=false', 'sqlite3'],
				l.n8nDir,
				env,
				'npm rebuild sqlite3',
			);
		},
	);

	// Verify before declaring success.
	const verifyUser = path.join(l.installDir, 'verify-user');
	const v = await run(nodeBin, [n8nBinOf(l), '--version'], {
		env: { ...env, N8N_USER_FOLDER: verifyUser, N8N_DIAGNOSTICS_ENABLED: 'false' },
		cwd: l.installDir,
		timeoutMs: 120_000,
		signal,
	});
	const got = v.stdout.trim().split('\n').pop()?.trim() ?? '';
	fs.rmSync(verifyUser, { recursive: true, force: true });
	if (got !== l.version) {
		throw new Error(
			`n8n --version printed ${JSON.stringify(got)}, expected ${l.version}.\n${v.stderr.trim().split('\n').slice(-20).join('\n')}`,
		);
	}
	const seconds = Math.round((Date.now() - t0) / 1000);
	fs.writeFileSync(
		l.marker,
		`${JSON.stringify({ n8nVersion: l.version, nodeVersion, installedAt: new Date().toISOString(), seconds }, null, 2)}\n`,
	);
	log(`n8n ${l.version} on Node ${nodeVersion} installed in ${formatDuration(Date.now() - t0)}`);
	return result(l, nodeBin, nodeVersion);
}
