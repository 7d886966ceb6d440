// A started `n8n start` and its REST client (the internal `/rest` API the editor uses). The calls used here
// are the same on n8n 1.123 and 2.41 (1.123 already has workflow versions and POST activate/deactivate).

import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { PACKAGE_NAME } from './package';
import { freePort } from './ports';
import { spawnGroup, stopGroup, waitForExit } from './proc';
import type { RealN8n } from './install';

/**
 * What starting n8n needs of a user folder. `N8nUserFolder` (user-folder.ts) is one, and starts n8n through
 * `startN8n`: this interface keeps the two files free of an import circle.
 */
export interface N8nFolder {
	readonly real: RealN8n;
	readonly root: string;
	readonly logDir: string;
	readonly nodesDir: string;
	env(extra?: Record<string, string>): NodeJS.ProcessEnv;
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

/** `n8n start` (or `options.command`) of a user folder on free loopback ports; resolves once it is ready. */
export async function startN8n(folder: N8nFolder, options: StartOptions = {}): Promise<RunningN8n> {
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const command = options.command ?? 'start';
	const logFile = path.join(folder.logDir, `n8n-${command}-${port}.log`);
	const child = spawnGroup(folder.real.nodeBin, [folder.real.n8nBin, command], {
		cwd: folder.root,
		env: folder.env({
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_WEBHOOK_URL: `${baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			...options.env,
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const instance = new RunningN8n(
		child,
		folder,
		port,
		brokerPort,
		logFile,
		options.onLine,
		command !== 'start',
	);
	const required =
		options.requirePackage === false
			? undefined
			: (options.requirePackage ??
				(fs.existsSync(path.join(folder.nodesDir, 'node_modules', PACKAGE_NAME))
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

/** A running `n8n start`. */
export class RunningN8n {
	readonly baseUrl: string;
	private readonly lines: string[] = [];
	private cookie: string | undefined;
	private readonly browserId = `privcards-${process.pid}-${Date.now()}`;
	private readonly log: fs.WriteStream;
	private exited = false;
	private editorAccessible = false;

	constructor(
		private readonly child: ChildProcess,
		readonly folder: N8nFolder,
		readonly port: number,
		readonly brokerPort: number,
		readonly logFile: string,
		onLine?: (line: string) => void,
		/** A webhook processor or a worker serves no editor: readiness alone tells it is up. */
		servesNoEditor = false,
	) {
		this.editorAccessible = servesNoEditor;
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
					if (line.includes('Editor is now accessible via')) this.editorAccessible = true;
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

	/**
	 * Waits until `/healthz/readiness` answers 200 and n8n printed "Editor is now accessible via": on 1.x
	 * readiness only means the database is migrated, and the REST API, the community packages and the
	 * active workflows' webhooks come up to tens of seconds later; both lines print that line when they are.
	 */
	async waitReady(timeoutMs: number): Promise<void> {
		await this.poll(`n8n ready (readiness 200, editor accessible)`, timeoutMs, 250, async () => {
			if (this.exited) throw new Error(`n8n exited before it was ready:\n${this.output()}`);
			if (!this.editorAccessible) return false;
			try {
				const res = await fetch(`${this.baseUrl}/healthz/readiness`, {
					signal: AbortSignal.timeout(2000),
				});
				await res.arrayBuffer();
				return res.status === 200;
			} catch {
				return false; // not listening yet
			}
		});
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
		await this.poll(`webhook ${url} live`, timeoutMs, 200, async () => {
			if (this.exited) throw new Error(`n8n exited:\n${this.output()}`);
			return this.webhookRegistered(url, method);
		});
	}

	/** Polls until the webhook at `url` is no longer registered. */
	async waitForWebhookGone(url: string, timeoutMs = 30_000, method = 'POST'): Promise<void> {
		await this.poll(`webhook ${url} gone`, timeoutMs, 200, async () => {
			return !(await this.webhookRegistered(url, method));
		});
	}

	private async poll(
		what: string,
		timeoutMs: number,
		everyMs: number,
		done: () => Promise<boolean>,
	): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!(await done())) {
			if (Date.now() > deadline)
				throw new Error(`not ${what} after ${timeoutMs} ms:\n${this.output()}`);
			await sleep(everyMs);
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

	private requireLogin(what: string): void {
		if (!this.cookie) throw new Error(`call ensureOwner() before ${what}()`);
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
		this.requireLogin('deactivate');
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

	/**
	 * Activates (publishes) a workflow through the REST API: its draft, or `versionId` when given. Its
	 * triggers register shortly after the answer on 2.41 (the publication outbox). Needs `ensureOwner` first.
	 */
	async activate(workflowId: string, versionId?: string): Promise<void> {
		this.requireLogin('activate');
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

	/**
	 * Creates a workflow through the REST API, as the editor does, inactive (REST; needs ensureOwner).
	 * 1.x stores the body as it comes and needs `active` (NOT NULL column); 2.x drops the field.
	 */
	async createWorkflow(workflow: {
		name: unknown;
		nodes: unknown;
		connections: unknown;
		settings?: unknown;
	}): Promise<StoredWorkflow> {
		this.requireLogin('createWorkflow');
		const res = await this.rest<StoredWorkflow>('POST', 'workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? {},
			active: false,
		});
		if (res.status !== 200)
			throw new Error(
				`creating workflow ${String(workflow.name)}: HTTP ${res.status} ${res.raw.slice(0, 500)}`,
			);
		return res.data;
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
