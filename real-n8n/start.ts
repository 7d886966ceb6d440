// `npm start`: the whole sandbox in one command.
//
//   1. builds the package (`npm run build`)
//   2. starts the offline PrivCards emulator
//   3. makes sure the pinned n8n and Node 24 are installed in the cache (minutes, first time only)
//   4. packs the package and installs the tarball into a kept n8n user folder, as n8n installs a
//      community package (reinstalled on every start, so the editor always runs the code just built)
//   5. imports a PrivCards credential pointing at the emulator, and the workflows in examples/*.json
//   6. starts n8n, creates a local owner account, prints the editor URL, the login and the sandbox key
//   7. on Ctrl-C (SIGINT) or SIGTERM stops n8n and the emulator
//
// Options (`npm start -- --help`): --fresh (new user folder), --port <n8n port>, --emulator-port <port>,
// --empty (an emulator with no sandbox data), --n8n <version> (default 2.41.1), --verbose (n8n's log).

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { startEmulator } from '../emulator/emulator';
import { DEFAULT_SANDBOX_PORT } from '../emulator/simulate';
import { tryTheExamples } from './examples-help';
import {
	cacheRoot,
	ensureRealN8n,
	isRealN8nInstalled,
	N8N_VERSION,
	TESTED_N8N_VERSIONS,
	type RealN8n,
} from './install';
import { mcpTokenCredential, mcpUrl, publishMcpServers, useMcpToken } from './mcp';
import { buildPackage, packPackage, PACKAGE_NAME } from './package';
import { freePort, isPortFree } from './ports';
import { formatDuration } from './proc';
import type { RunningN8n } from './running';
import { N8nUserFolder } from './user-folder';

export const CREDENTIAL_ID = 'PrivCardsSandbox';
export const CREDENTIAL_NAME = 'PrivCards sandbox (emulator)';
const OWNER_EMAIL = 'sandbox@privcards.test';
const PREFERRED_N8N_PORT = 5678;
const MCP_CREDENTIAL = { id: 'PrivCardsMcpTokn', name: 'PrivCards MCP token (sandbox)' };

interface SandboxState {
	ownerPassword?: string;
	credential?: string;
	examples?: Record<string, string>;
	n8nPort?: number;
	emulatorPort?: number;
	mcpToken?: string;
}

const USAGE = `npm start [-- [--fresh] [--port N] [--emulator-port N] [--empty] [--n8n VERSION] [--verbose]]
  --fresh            start from a new n8n user folder (forget workflows, executions, login)
  --port N           n8n editor port (default 5678, or a free one)
  --emulator-port N  PrivCards emulator port (default: the last one, or a free one)
  --empty            start the emulator without its sandbox data
  --n8n VERSION      the n8n to run: ${TESTED_N8N_VERSIONS.join(' (default) or ')}, or another exact version
  -v, --verbose      print n8n's own log
  -h, --help         this text
`;

interface Args {
	fresh: boolean;
	verbose: boolean;
	empty: boolean;
	n8nVersion: string;
	port?: number;
	emulatorPort?: number;
}

function portValue(name: string, raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	const n = Number(raw);
	if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
		throw new Error(`--${name}: expected a port number, got ${raw}`);
	return n;
}

/** The command line (strict: an unknown option or a stray argument is an error); undefined after --help. */
function readArgs(argv: string[]): Args | undefined {
	const { values } = parseArgs({
		args: argv,
		options: {
			fresh: { type: 'boolean', default: false },
			port: { type: 'string' },
			'emulator-port': { type: 'string' },
			empty: { type: 'boolean', default: false },
			n8n: { type: 'string', default: N8N_VERSION },
			verbose: { type: 'boolean', short: 'v', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
		strict: true,
		allowPositionals: false,
	});
	if (values.help) {
		process.stdout.write(USAGE);
		return undefined;
	}
	return {
		fresh: values.fresh,
		verbose: values.verbose,
		empty: values.empty,
		n8nVersion: values.n8n,
		port: portValue('port', values.port),
		emulatorPort: portValue('emulator-port', values['emulator-port']),
	};
}

/** The folder holding this package's package.json (works from real-n8n and from .build/real-n8n). */
export function findPackageRoot(from: string = __dirname): string {
	let dir = from;
	for (;;) {
		const pj = path.join(dir, 'package.json');
		if (fs.existsSync(pj)) {
			try {
				if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === PACKAGE_NAME)
					return dir;
			} catch {
				// keep walking
			}
		}
		const up = path.dirname(dir);
		if (up === dir)
			throw new Error(`could not find the ${PACKAGE_NAME} package folder above ${from}`);
		dir = up;
	}
}

async function pickPort(
	wanted: number | undefined,
	preferred: number | undefined,
): Promise<number> {
	if (wanted !== undefined && wanted !== 0) {
		if (!(await isPortFree(wanted))) throw new Error(`port ${wanted} on 127.0.0.1 is in use`);
		return wanted;
	}
	if (preferred && (await isPortFree(preferred))) return preferred;
	return freePort();
}

function sha(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** A stable 16-character workflow id for an example file without one. */
function exampleId(file: string): string {
	return `pcx${sha(path.basename(file)).slice(0, 13)}`;
}

/** Reads examples/*.json and points every PrivCards node at the sandbox credential. */
export function loadExamples(
	packageRoot: string,
	credential: { id: string; name: string },
): Array<{ file: string; workflow: Record<string, unknown>; hash: string }> {
	const dir = path.join(packageRoot, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			const file = path.join(dir, f);
			const text = fs.readFileSync(file, 'utf8');
			const workflow = JSON.parse(text) as Record<string, unknown> & {
				nodes?: Array<Record<string, unknown>>;
			};
			if (typeof workflow.id !== 'string' || workflow.id === '') workflow.id = exampleId(f);
			workflow.active = false;
			for (const node of workflow.nodes ?? []) {
				if (typeof node.type === 'string' && node.type.startsWith(`${PACKAGE_NAME}.`)) {
					node.credentials = {
						...((node.credentials as object | undefined) ?? {}),
						privCardsApi: credential,
					};
				}
			}
			return { file: f, workflow, hash: sha(JSON.stringify(workflow)) };
		});
}

async function main(): Promise<void> {
	const args = readArgs(process.argv.slice(2));
	if (!args) return;
	const version = args.n8nVersion;
	const t0 = Date.now();
	const say = (line: string): void => {
		process.stdout.write(`${line}\n`);
	};
	const step = (line: string): void =>
		say(`[${formatDuration(Date.now() - t0).padStart(6)}] ${line}`);

	// Everything started is stopped on Ctrl-C, whatever phase we are in.
	const abort = new AbortController();
	const cleanups: Array<() => Promise<void>> = [];
	let stopping: Promise<void> | undefined;
	const shutdown = (code: number): Promise<void> => {
		if (!stopping) {
			stopping = (async () => {
				abort.abort();
				for (const c of cleanups.reverse()) {
					try {
						await c();
					} catch (e) {
						process.stderr.write(`while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
					}
				}
				process.exit(code);
			})();
		}
		return stopping;
	};
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(sig, () => {
			say(`\n${sig === 'SIGINT' ? 'Ctrl-C' : sig}: stopping n8n and the emulator…`);
			void shutdown(sig === 'SIGINT' ? 130 : 143);
		});
	}

	const packageRoot = findPackageRoot();
	say(`PrivCards sandbox: n8n ${version} with ${PACKAGE_NAME}, against the offline emulator`);

	// 1. build
	step('building the package (npm run build)…');
	await buildPackage(packageRoot);

	// 2. user folder and its remembered state
	const userRoot = path.join(cacheRoot(), `sandbox-n8n-${version}`);
	if (args.fresh && fs.existsSync(userRoot)) {
		step(`--fresh: removing the old n8n user folder ${userRoot}`);
		fs.rmSync(userRoot, { recursive: true, force: true });
	}
	const stateFile = path.join(userRoot, 'privcards-sandbox.json');
	let state: SandboxState = {};
	try {
		state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as SandboxState;
	} catch {
		state = {};
	}
	const saveState = (): void => {
		fs.mkdirSync(userRoot, { recursive: true });
		fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
	};

	// 3. emulator (in this process)
	const emulatorPort = await pickPort(
		args.emulatorPort,
		state.emulatorPort ?? DEFAULT_SANDBOX_PORT,
	);
	step('starting the PrivCards emulator…');
	const emulator = await startEmulator({
		empty: args.empty,
		port: emulatorPort,
		host: '127.0.0.1',
	});
	cleanups.push(() => emulator.stop());
	state.emulatorPort = emulatorPort;

	// 4. n8n itself
	if (!isRealN8nInstalled(version))
		step(`n8n ${version} is not installed yet: installing it once (a few minutes)…`);
	const real: RealN8n = await ensureRealN8n({
		version,
		signal: abort.signal,
		log: (line) => step(line.trimStart()),
	});
	step(`n8n ${real.n8nVersion} on Node ${real.nodeVersion} ready (${real.installDir})`);

	// 5. the package, installed like a community package
	const folder = N8nUserFolder.create(real, { dir: userRoot });
	step('packing the package and installing it into n8n (as a community package)…');
	const packDir = path.join(folder.tmpDir, 'pack');
	fs.rmSync(packDir, { recursive: true, force: true });
	const tarball = await packPackage(packageRoot, packDir);
	const installed = await folder.installPackage(tarball);
	fs.rmSync(packDir, { recursive: true, force: true });

	// 6. credential and examples (each only when changed: an n8n CLI call costs a few seconds)
	const credential = {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: 'privCardsApi',
		data: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
	};
	state.mcpToken ??= randomBytes(24).toString('base64url');
	const credentials = [credential, mcpTokenCredential(MCP_CREDENTIAL, state.mcpToken)];
	const credentialHash = sha(JSON.stringify(credentials));
	if (state.credential !== credentialHash) {
		step(`importing the credential "${CREDENTIAL_NAME}" (points at the emulator)…`);
		await folder.importCredentials(credentials);
		state.credential = credentialHash;
		saveState();
	}
	const examples = loadExamples(packageRoot, { id: CREDENTIAL_ID, name: CREDENTIAL_NAME });
	const mcpServers = useMcpToken(
		examples.map((e) => e.workflow),
		MCP_CREDENTIAL,
	);
	const changed = examples.filter((e) => state.examples?.[e.file] !== e.hash);
	if (changed.length > 0) {
		step(
			`importing ${changed.length} example workflow(s): ${changed.map((e) => e.file).join(', ')}…`,
		);
		await folder.importWorkflows(changed.map((e) => e.workflow));
		state.examples = {
			...(state.examples ?? {}),
			...Object.fromEntries(changed.map((e) => [e.file, e.hash])),
		};
		saveState();
	}

	// 7. n8n start
	const port = await pickPort(args.port, state.n8nPort ?? PREFERRED_N8N_PORT);
	step(`starting n8n on http://127.0.0.1:${port} …`);
	const n8n: RunningN8n = await folder.start({
		port,
		onLine: (line) => {
			// n8n's own log goes to the log file; errors are shown (minus the optional Python runner notice).
			if (args.verbose || (/\b(error|failed)\b/i.test(line) && !/Python task runner/.test(line)))
				say(`  n8n │ ${line}`);
		},
	});
	cleanups.push(() => n8n.stop());
	state.n8nPort = port;
	saveState();

	// A local owner account, so the editor opens straight to a login with known credentials.
	let login = '';
	if (!state.ownerPassword) {
		state.ownerPassword = `Sandbox-${randomBytes(6).toString('hex')}-1A`;
		saveState();
	}
	let loggedIn = false;
	try {
		await n8n.ensureOwner({ email: OWNER_EMAIL, password: state.ownerPassword });
		login = `${OWNER_EMAIL} / ${state.ownerPassword}`;
		loggedIn = true;
	} catch {
		login = 'the owner account you created in this n8n (use --fresh to start over)';
	}

	// The emulator starts afresh on every run, but n8n does not re-register the webhooks of workflows that
	// stayed published since the last run: publish those again so their triggers register with this emulator.
	if (loggedIn) {
		const republished: string[] = [];
		for (const id of await n8n.activeWorkflowIds()) {
			const wf = await n8n.workflow(id);
			if (!wf.nodes.some((node) => node.type === `${PACKAGE_NAME}.privCardsTrigger`)) continue;
			await n8n.deactivate(id);
			await n8n.activate(id, wf.activeVersionId ?? undefined);
			republished.push(wf.name);
		}
		if (republished.length > 0) {
			step(
				`re-published ${republished.join(', ')}: its trigger registered again with the fresh emulator`,
			);
		}
		for (const name of await publishMcpServers(n8n, mcpServers)) step(`published ${name}`);
	} else {
		step(
			'not signed in to n8n: published PrivCards Trigger workflows must be published again by hand',
		);
	}

	const types = folder.loadedNodeTypes().filter((t) => t.startsWith(`${PACKAGE_NAME}.`));
	say('');
	say(`PrivCards sandbox is running (ready in ${formatDuration(Date.now() - t0)})`);
	say(`  n8n editor     ${n8n.baseUrl}`);
	say(`  sign in as     ${login}`);
	say(`  emulator API   ${emulator.baseUrl}   (offline PrivCards; nothing leaves this machine)`);
	say(`  sandbox key    ${emulator.testKey}`);
	say(`  credential     "${CREDENTIAL_NAME}" (already points at the emulator)`);
	say(
		`  package        ${installed.name}@${installed.version}: ${types.length > 0 ? types.join(', ') : 'loaded'}`,
	);
	if (examples.length === 0) say('  examples       none in examples/');
	for (const [index, example] of examples.entries()) {
		const label = index === 0 ? '  examples     ' : '               ';
		say(
			`${label}  ${n8n.baseUrl}/workflow/${String(example.workflow.id)}   ${String(example.workflow.name ?? example.file)}`,
		);
	}
	for (const server of mcpServers)
		say(
			`  MCP server     ${mcpUrl(n8n.baseUrl, server.path)}   (header Authorization: Bearer ${state.mcpToken})`,
		);
	say(`  n8n log        ${n8n.logFile}`);
	say('');
	const workflows = examples.map((example) => example.workflow);
	for (const line of tryTheExamples(workflows, emulator.state.cards(), emulator.baseUrl)) say(line);
	say('Press Ctrl-C to stop.');

	// If n8n dies on its own, take the emulator down too and say why.
	const n8nChild = n8n;
	const watch = setInterval(() => {
		if (!n8nChild.running && !stopping) {
			clearInterval(watch);
			process.stderr.write(`\nn8n stopped unexpectedly. Last lines:\n${n8nChild.output(40)}\n`);
			void shutdown(1);
		}
	}, 1000);
	cleanups.push(async () => clearInterval(watch));
}

if (require.main === module) {
	main().catch((e: unknown) => {
		process.stderr.write(`\nnpm start failed: ${e instanceof Error ? e.message : String(e)}\n`);
		// proc's exit handler kills any child still running.
		process.exit(1);
	});
}
