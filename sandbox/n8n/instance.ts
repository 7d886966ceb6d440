/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- tooling that runs a real n8n from plain Node, never inside n8n */
// Helpers to drive a real n8n (the pinned version from ./install) the way a user runs it:
// a user folder of its own, this package installed into `.n8n/nodes` exactly as n8n installs a community
// package, credentials and workflows imported through n8n's CLI, `n8n execute`, `n8n publish:workflow`,
// `n8n start` on free loopback ports, and deactivation through n8n's REST API (the running instance then
// calls the trigger's `delete`, which removes the endpoint at the API).
//
// Every process started here runs in its own process group and is stopped with its children.

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import type { RealN8n } from './install';
import { cleanEnv, run, sleep, spawnGroup, stopGroup, waitForExit, type RunResult } from './proc';

export const PACKAGE_NAME = 'n8n-nodes-privcards';

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
		});
	});
}

/** `npm run build` in the package folder (Node of the caller, no npm_* leaks). Throws with the output tail. */
export async function buildPackage(packageDir: string): Promise<void> {
	const r = await run('npm', ['run', 'build'], { cwd: packageDir, env: cleanEnv() });
	if (r.code !== 0)
		throw new Error(`npm run build failed (exit ${r.code ?? r.signal}):\n${tail(r, 40)}`);
}

/** `npm pack` of the package into `destDir`; returns the tarball's path. */
export async function packPackage(packageDir: string, destDir: string): Promise<string> {
	fs.mkdirSync(destDir, { recursive: true });
	const r = await run('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: packageDir,
		env: cleanEnv(),
	});
	if (r.code !== 0)
		throw new Error(`npm pack failed (exit ${r.code ?? r.signal}):\n${tail(r, 40)}`);
	const start = r.stdout.indexOf('[');
	const parsed = JSON.parse(r.stdout.slice(start)) as Array<{ filename: string }>;
	const file = parsed[0]?.filename;
	if (!file) throw new Error(`npm pack printed no file name:\n${r.stdout}`);
	// npm 10 prints the bare name; scoped names come out as scope-name-x.y.z.tgz.
	return path.join(destDir, path.basename(file.replace(/^@/, '').replace(/\//, '-')));
}

function tail(r: RunResult, lines: number): string {
	return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

export interface ExecuteResult {
	/** n8n's run status: 'success', 'error', … (judge by this, not by the exit code: it may exit 139). */
	status: string;
	/** The full IRun JSON n8n printed. */
	run: N8nRun;
	exitCode: number | null;
	stdout: string;
	stderr: string;
}

export interface N8nRun {
	status?: string;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{
					data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
					error?: unknown;
				}>
			>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string };
		};
	};
	[k: string]: unknown;
}

/** The items a node produced on its first output in its last run (empty when it did not run). */
export function nodeOutput(
	runResult: N8nRun,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const runs = runResult.data?.resultData?.runData?.[nodeName];
	const last = runs?.[runs.length - 1];
	return (last?.data?.main?.[output] ?? []).map((i) => i.json);
}

/** The JSON object n8n prints after its log lines: from the first line starting with `{` to the first line `}`. */
function parseCliJson(stdout: string): N8nRun | undefined {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (!lines[i].startsWith('{')) continue;
		for (let j = i; j < lines.length; j++) {
			if (lines[j].trimEnd() !== '}' && !(j === i && lines[j].trimEnd().endsWith('}'))) continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n')) as N8nRun;
			} catch {
				// keep looking: this was not the end of the object
			}
		}
	}
	return undefined;
}

export interface UserFolderOptions {
	/** Use (and create) this folder; default: a fresh one under the OS temp dir. */
	dir?: string;
	/** Remove the folder's contents first. */
	fresh?: boolean;
	/** Name prefix for the temp folder. */
	prefix?: string;
	/** Extra environment for every n8n command. */
	env?: Record<string, string>;
}

export interface StartOptions {
	port?: number;
	/** Milliseconds to wait for /healthz/readiness. */
	readyTimeoutMs?: number;
	/** Receives every line n8n prints (default: kept in the log file only). */
	onLine?: (line: string) => void;
	env?: Record<string, string>;
	/**
	 * Fail the start when n8n reports it could not load this community package (default: this package,
	 * when it is installed in the folder). `false` to allow it.
	 */
	requirePackage?: string | false;
	/**
	 * The n8n command: `start` (default), or for queue mode `webhook` (a webhook processor) or `worker`. A worker
	 * serves only its health check: give it `QUEUE_HEALTH_CHECK_ACTIVE=true` and `QUEUE_HEALTH_CHECK_PORT` = `port`
	 * in `env`, and readiness is polled there.
	 */
	command?: 'start' | 'webhook' | 'worker';
}

/**
 * One n8n user folder (`N8N_USER_FOLDER`), with its own TMPDIR. All n8n commands for it go through here.
 */
export class N8nUserFolder {
	readonly tmpDir: string;
	readonly n8nDir: string;
	readonly nodesDir: string;
	readonly logDir: string;
	private readonly extraEnv: Record<string, string>;

	private constructor(
		readonly real: RealN8n,
		readonly root: string,
		extraEnv: Record<string, string>,
	) {
		this.tmpDir = path.join(root, 'tmp');
		this.n8nDir = path.join(root, '.n8n');
		this.nodesDir = path.join(this.n8nDir, 'nodes');
		this.logDir = path.join(root, 'logs');
		this.extraEnv = extraEnv;
		for (const d of [this.tmpDir, this.n8nDir, this.logDir]) fs.mkdirSync(d, { recursive: true });
	}

	static create(real: RealN8n, options: UserFolderOptions = {}): N8nUserFolder {
		let root: string;
		if (options.dir) {
			root = path.resolve(options.dir);
			if (options.fresh) fs.rmSync(root, { recursive: true, force: true });
			fs.mkdirSync(root, { recursive: true });
		} else {
			root = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'privcards-real-n8n-'));
		}
		return new N8nUserFolder(real, root, options.env ?? {});
	}

	/** The environment every n8n process of this folder gets (ports filled in per process). */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return {
			...cleanEnv(this.real.env),
			// node24Env's nodedir is for building native modules; n8n itself does not need it, npm does.
			npm_config_nodedir: this.real.env.npm_config_nodedir,
			PATH: this.real.env.PATH,
			HOME: process.env.HOME ?? os.homedir(),
			TMPDIR: this.tmpDir,
			N8N_USER_FOLDER: this.root,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_SECURE_COOKIE: 'false',
			// Silences the "default will change" warning; community packages are what this is about.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			...this.extraEnv,
			...extra,
		};
	}

	/** Runs `n8n <args>` to completion (own broker port: `execute` starts a task runner). */
	async cli(
		args: string[],
		options: { timeoutMs?: number; env?: Record<string, string> } = {},
	): Promise<RunResult> {
		const brokerPort = await freePort();
		const name = args[0].replace(/[^a-z0-9]+/gi, '-');
		return run(this.real.nodeBin, [this.real.n8nBin, ...args], {
			cwd: this.root,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env }),
			timeoutMs: options.timeoutMs ?? 180_000,
			logFile: path.join(this.logDir, `cli-${name}.log`),
		});
	}

	private async cliOk(args: string[], what: string): Promise<RunResult> {
		const r = await this.cli(args);
		if (r.code !== 0)
			throw new Error(
				`${what} failed (n8n ${args.join(' ')} exit ${r.code ?? r.signal}):\n${tail(r, 40)}`,
			);
		return r;
	}

	/**
	 * Installs a packed tarball of the package the way n8n installs a community package: extract into
	 * `.n8n/nodes/node_modules/<name>`, drop devDependencies/peerDependencies/optionalDependencies, run
	 * `npm install` there with n8n's flags, and record the package in `.n8n/nodes/package.json`.
	 * Replaces any earlier install of the same package.
	 */
	async installPackage(tarball: string): Promise<{ name: string; version: string; dir: string }> {
		const nodeModules = path.join(this.nodesDir, 'node_modules');
		const staging = fs.mkdtempSync(path.join(this.tmpDir, 'pkg-'));
		try {
			const x = await run(
				'tar',
				['-xzf', path.resolve(tarball), '-C', staging, '--strip-components=1'],
				{},
			);
			if (x.code !== 0) throw new Error(`tar -xzf ${tarball} failed:\n${tail(x, 20)}`);
			const pkgJsonPath = path.join(staging, 'package.json');
			const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
				fs.readFileSync(pkgJsonPath, 'utf8'),
			) as Record<string, unknown> & { name: string; version: string };
			void devDependencies;
			void peerDependencies;
			void optionalDependencies;
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
				{ cwd: dir, env: this.env(), logFile: path.join(this.logDir, 'community-install.log') },
			);
			if (npm.code !== 0) throw new Error(`npm install in ${dir} failed:\n${tail(npm, 30)}`);
			// n8n's own record of installed community packages.
			const recordPath = path.join(this.nodesDir, 'package.json');
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

	/** `n8n import:credentials`; a `data` object is encrypted by n8n on import. Same id = replaced. */
	async importCredentials(
		credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>,
	): Promise<void> {
		const file = path.join(this.tmpDir, `credentials-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		try {
			await this.cliOk(['import:credentials', `--input=${file}`], 'importing credentials');
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow` of one or more workflow objects (each needs an `id`; same id = replaced). */
	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
		for (const wf of workflows) {
			if (typeof wf.id !== 'string' || wf.id === '')
				throw new Error(`workflow ${String(wf.name)} has no id`);
		}
		const file = path.join(this.tmpDir, `workflows-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
		try {
			await this.cliOk(['import:workflow', `--input=${file}`], 'importing workflows');
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`. Returns the parsed run. Throws only when no JSON came out
	 * (n8n sometimes exits 139 after a correct result: the status decides).
	 */
	async execute(workflowId: string, options: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			timeoutMs: options.timeoutMs ?? 180_000,
		});
		const parsed = parseCliJson(r.stdout) ?? parseCliJson(r.stderr);
		if (!parsed) {
			throw new Error(
				`n8n execute --id=${workflowId} printed no run JSON (exit ${r.code ?? r.signal}):\n${tail(r, 60)}`,
			);
		}
		return {
			status: String(parsed.status ?? 'unknown'),
			run: parsed,
			exitCode: r.code,
			stdout: r.stdout,
			stderr: r.stderr,
		};
	}

	/** `n8n publish:workflow --id=<id>`: takes effect at the next `n8n start`. */
	async publish(workflowId: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${workflowId}`], 'publishing workflow');
	}

	/**
	 * `n8n unpublish:workflow --id=<id>`: changes the database only. A running n8n does not notice, and no
	 * trigger `delete` runs; use `RunningN8n.deactivate` to remove a live endpoint.
	 */
	async unpublish(workflowId: string): Promise<void> {
		await this.cliOk(['unpublish:workflow', `--id=${workflowId}`], 'unpublishing workflow');
	}

	/** `n8n start` (or `options.command`) on free loopback ports; resolves once /healthz/readiness answers 200. */
	async start(options: StartOptions = {}): Promise<RunningN8n> {
		const command = options.command ?? 'start';
		const port = options.port ?? (await freePort());
		const brokerPort = await freePort();
		const baseUrl = `http://127.0.0.1:${port}`;
		const logFile = path.join(this.logDir, `n8n-${command}-${port}.log`);
		const child = spawnGroup(this.real.nodeBin, [this.real.n8nBin, command], {
			cwd: this.root,
			env: this.env({
				N8N_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				N8N_WEBHOOK_URL: `${baseUrl}/`,
				N8N_EDITOR_BASE_URL: `${baseUrl}/`,
				...options.env,
			}),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const instance = new RunningN8n(child, this, port, brokerPort, logFile, options.onLine);
		const required =
			options.requirePackage === false
				? undefined
				: (options.requirePackage ??
					(fs.existsSync(path.join(this.nodesDir, 'node_modules', PACKAGE_NAME))
						? PACKAGE_NAME
						: undefined));
		try {
			await instance.waitReady(options.readyTimeoutMs ?? 120_000);
			if (required) {
				const failure = instance.packageLoadFailure(required);
				if (failure)
					throw new Error(`n8n could not load the community package ${required}:\n${failure}`);
			}
		} catch (e) {
			await instance.stop();
			throw e;
		}
		return instance;
	}

	/** Node type names n8n wrote to its types cache (`<folder>/.cache/n8n/public/types/nodes.json`). */
	loadedNodeTypes(): string[] {
		try {
			const types = JSON.parse(
				fs.readFileSync(
					path.join(this.root, '.cache', 'n8n', 'public', 'types', 'nodes.json'),
					'utf8',
				),
			) as Array<{ name: string }>;
			return [...new Set(types.map((t) => t.name))];
		} catch {
			return [];
		}
	}

	/** Deletes the folder (stop running instances first). */
	remove(): void {
		fs.rmSync(this.root, { recursive: true, force: true });
	}
}

export interface StoredWorkflow {
	id: string;
	name: string;
	versionId: string;
	activeVersionId: string | null;
	active: boolean;
	nodes: Array<{ name: string; type: string }>;
}

export interface OwnerLogin {
	email: string;
	password: string;
	firstName?: string;
	lastName?: string;
}

/** A running `n8n start`. */
export class RunningN8n {
	readonly baseUrl: string;
	private readonly lines: string[] = [];
	private cookie: string | undefined;
	private readonly browserId = `privcards-${process.pid}-${Date.now()}`;
	private readonly log: fs.WriteStream;
	private exited = false;

	constructor(
		private readonly child: ChildProcess,
		readonly folder: N8nUserFolder,
		readonly port: number,
		readonly brokerPort: number,
		readonly logFile: string,
		onLine?: (line: string) => void,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.log = fs.createWriteStream(logFile, { flags: 'a' });
		const feed = (stream: NodeJS.ReadableStream | null): void => {
			let buf = '';
			stream?.on('data', (b: Buffer) => {
				this.log.write(b);
				buf += b.toString('utf8');
				let nl: number;
				while ((nl = buf.indexOf('\n')) >= 0) {
					const line = buf.slice(0, nl);
					buf = buf.slice(nl + 1);
					this.lines.push(line);
					if (this.lines.length > 2000) this.lines.shift();
					onLine?.(line);
				}
			});
		};
		feed(child.stdout);
		feed(child.stderr);
		void waitForExit(child).then(() => {
			this.exited = true;
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return !this.exited;
	}

	/** The last lines n8n printed. */
	output(last = 80): string {
		return this.lines.slice(-last).join('\n');
	}

	/** n8n's message (and the lines after it) when it failed to load `packageName`; undefined when it did not. */
	packageLoadFailure(packageName: string): string | undefined {
		const i = this.lines.findIndex((l) => l.includes(`Failed to load package "${packageName}"`));
		return i < 0 ? undefined : this.lines.slice(i, i + 4).join('\n');
	}

	/** The production webhook base, e.g. `http://127.0.0.1:PORT/webhook/`. */
	webhookUrl(pathPart: string): string {
		return `${this.baseUrl}/webhook/${pathPart.replace(/^\/+/, '')}`;
	}

	async waitReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.exited) throw new Error(`n8n exited before it was ready:\n${this.output()}`);
			try {
				const res = await fetch(`${this.baseUrl}/healthz/readiness`, {
					signal: AbortSignal.timeout(2000),
				});
				if (res.status === 200) return;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline)
				throw new Error(`n8n not ready after ${timeoutMs} ms:\n${this.output()}`);
			await sleep(250);
		}
	}

	/** True when a production webhook is registered at `url` (OPTIONS with Origin: 204, else 404). */
	async webhookRegistered(url: string, method = 'POST'): Promise<boolean> {
		try {
			const res = await fetch(url, {
				method: 'OPTIONS',
				headers: { Origin: this.baseUrl, 'Access-Control-Request-Method': method },
				signal: AbortSignal.timeout(5000),
			});
			await res.arrayBuffer();
			return res.status >= 200 && res.status < 300;
		} catch {
			return false;
		}
	}

	/** Polls until the webhook at `url` is live (production webhooks go live shortly after readiness). */
	async waitForWebhook(url: string, timeoutMs = 30_000, method = 'POST'): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!(await this.webhookRegistered(url, method))) {
			if (this.exited) throw new Error(`n8n exited:\n${this.output()}`);
			if (Date.now() > deadline)
				throw new Error(`webhook ${url} not live after ${timeoutMs} ms:\n${this.output()}`);
			await sleep(200);
		}
	}

	/** A call to n8n's internal REST API (`/rest/...`) with the session cookie, if logged in. */
	async rest<T = unknown>(
		method: string,
		pathPart: string,
		body?: unknown,
	): Promise<{ status: number; data: T; raw: string }> {
		const headers: Record<string, string> = {
			'browser-id': this.browserId,
			accept: 'application/json',
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const res = await fetch(`${this.baseUrl}/rest/${pathPart.replace(/^\/+/, '')}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) {
			const [pair] = c.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
		const raw = await res.text();
		let parsed: unknown = raw;
		try {
			parsed = JSON.parse(raw);
		} catch {
			// not JSON
		}
		const data = (
			parsed && typeof parsed === 'object' && 'data' in parsed
				? (parsed as { data: unknown }).data
				: parsed
		) as T;
		return { status: res.status, data, raw };
	}

	/** Creates the instance owner if there is none yet, else logs in. Afterwards `rest()` is authenticated. */
	async ensureOwner(login: OwnerLogin): Promise<'created' | 'logged-in'> {
		const setup = await this.rest('POST', 'owner/setup', {
			email: login.email,
			password: login.password,
			firstName: login.firstName ?? 'Sandbox',
			lastName: login.lastName ?? 'Owner',
		});
		if (setup.status === 200 && this.cookie) return 'created';
		const res = await this.rest('POST', 'login', {
			emailOrLdapLoginId: login.email,
			password: login.password,
		});
		if (res.status !== 200 || !this.cookie) {
			throw new Error(
				`n8n owner setup (${setup.status}: ${setup.raw.slice(0, 300)}) and login (${res.status}: ${res.raw.slice(0, 300)}) both failed`,
			);
		}
		return 'logged-in';
	}

	/**
	 * Deactivates (unpublishes) a workflow through the running instance's REST API, so n8n removes its
	 * triggers' webhooks (the trigger's `delete` runs). Needs `ensureOwner` first.
	 * n8n 2.41 tears the active version down through its publication outbox, a few milliseconds after the
	 * HTTP answer: pass `webhookUrl` to wait until that webhook is no longer registered.
	 */
	async deactivate(
		workflowId: string,
		options: { webhookUrl?: string; timeoutMs?: number } = {},
	): Promise<void> {
		if (!this.cookie) throw new Error('call ensureOwner() before deactivate()');
		const res = await this.rest(
			'POST',
			`workflows/${encodeURIComponent(workflowId)}/deactivate`,
			{},
		);
		if (res.status !== 200)
			throw new Error(
				`deactivating workflow ${workflowId}: HTTP ${res.status} ${res.raw.slice(0, 500)}`,
			);
		if (options.webhookUrl) await this.waitForWebhookGone(options.webhookUrl, options.timeoutMs);
	}

	/** Polls until the webhook at `url` is no longer registered. */
	async waitForWebhookGone(url: string, timeoutMs = 30_000, method = 'POST'): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (await this.webhookRegistered(url, method)) {
			if (Date.now() > deadline)
				throw new Error(`webhook ${url} still registered after ${timeoutMs} ms:\n${this.output()}`);
			await sleep(200);
		}
	}

	/**
	 * Activates (publishes) a workflow through the REST API: its draft, or `versionId` when given. Its
	 * triggers register shortly after the answer (n8n 2.41's publication outbox). Needs `ensureOwner` first.
	 */
	async activate(workflowId: string, versionId?: string): Promise<void> {
		if (!this.cookie) throw new Error('call ensureOwner() before activate()');
		const version = versionId ?? (await this.workflow(workflowId)).versionId;
		const res = await this.rest('POST', `workflows/${encodeURIComponent(workflowId)}/activate`, {
			versionId: version,
		});
		if (res.status !== 200) {
			throw new Error(
				`activating workflow ${workflowId}: HTTP ${res.status} ${res.raw.slice(0, 500)}`,
			);
		}
	}

	/** A stored workflow (REST; needs ensureOwner). */
	async workflow(workflowId: string): Promise<StoredWorkflow> {
		const res = await this.rest<StoredWorkflow>(
			'GET',
			`workflows/${encodeURIComponent(workflowId)}`,
		);
		if (res.status !== 200) {
			throw new Error(
				`reading workflow ${workflowId}: HTTP ${res.status} ${res.raw.slice(0, 500)}`,
			);
		}
		return res.data;
	}

	/** Ids of the workflows n8n holds active (REST; needs ensureOwner). */
	async activeWorkflowIds(): Promise<string[]> {
		const res = await this.rest<string[]>('GET', 'active-workflows');
		if (res.status !== 200)
			throw new Error(`listing active workflows: HTTP ${res.status} ${res.raw.slice(0, 500)}`);
		return res.data;
	}

	/** Executions n8n stored for a workflow (REST; needs ensureOwner). */
	async executions(
		workflowId: string,
	): Promise<Array<{ id: string; status: string; mode: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const res = await this.rest<{ results?: Array<{ id: string; status: string; mode: string }> }>(
			'GET',
			`executions?filter=${filter}`,
		);
		return res.data.results ?? [];
	}

	/** SIGTERM to n8n and its task runner (SIGKILL after the grace period). */
	async stop(graceMs = 10_000): Promise<void> {
		await stopGroup(this.child, graceMs);
		this.exited = true;
		await new Promise<void>((r) => this.log.end(() => r()));
	}
}
