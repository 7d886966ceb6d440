// One n8n user folder (`N8N_USER_FOLDER`) for a real n8n from ./install: its environment, this package
// installed into `.n8n/nodes` as n8n installs a community package, and n8n's CLI run against it
// (credential and workflow import, `n8n execute`, activation for the next start, `n8n start`).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { activateArgs, deactivateArgs, n8nMajor, parseCliJson, type ExecuteResult } from './cli';
import type { RealN8n } from './install';
import { installCommunityPackage, type InstalledPackage } from './package';
import { freePort } from './ports';
import { cleanEnv, outputTail, run, type RunResult } from './proc';
import { startN8n, type RunningN8n, type StartOptions } from './running';

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

	/** The n8n version this folder runs. */
	get version(): string {
		return this.real.n8nVersion;
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
			// Stops 2.x's lookups of n8n's hosts; 1.x has no such module and refuses an unknown name.
			...(n8nMajor(this.version) >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_SECURE_COOKIE: 'false',
			// Silences the "default will change" warning; community packages are what this is about.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// No list of n8n's vetted community nodes to fetch offline (the ENOTFOUND and "Strapi" errors otherwise).
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
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
				`${what} failed (n8n ${this.version}: n8n ${args.join(' ')} exit ${r.code ?? r.signal}):\n${outputTail(r, 40)}`,
			);
		return r;
	}

	/**
	 * Installs a packed tarball of the package the way n8n installs a community package (see
	 * `installCommunityPackage`). Replaces any earlier install of the same package.
	 */
	async installPackage(tarball: string): Promise<InstalledPackage> {
		return installCommunityPackage(tarball, {
			nodesDir: this.nodesDir,
			tmpDir: this.tmpDir,
			logFile: path.join(this.logDir, 'community-install.log'),
			env: this.env(),
		});
	}

	/** `n8n import:credentials`; a `data` object is encrypted by n8n on import. Same id = replaced. */
	async importCredentials(
		credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>,
	): Promise<void> {
		await this.withJsonFile('credentials', credentials, (file) =>
			this.cliOk(['import:credentials', `--input=${file}`], 'importing credentials'),
		);
	}

	/** `n8n import:workflow` of one or more workflow objects (each needs an `id`; same id = replaced). */
	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
		for (const wf of workflows) {
			if (typeof wf.id !== 'string' || wf.id === '')
				throw new Error(`workflow ${String(wf.name)} has no id`);
		}
		await this.withJsonFile('workflows', workflows, (file) =>
			this.cliOk(['import:workflow', `--input=${file}`], 'importing workflows'),
		);
	}

	private async withJsonFile(
		what: string,
		content: unknown,
		use: (file: string) => Promise<unknown>,
	): Promise<void> {
		const file = path.join(this.tmpDir, `${what}-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(content, null, 2));
		try {
			await use(file);
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
				`n8n execute --id=${workflowId} printed no run JSON (exit ${r.code ?? r.signal}):\n${outputTail(r, 60)}`,
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

	/**
	 * Makes the workflow active at the next `n8n start`: `n8n publish:workflow` on 2.x,
	 * `n8n update:workflow --active=true` on 1.x.
	 */
	async publish(workflowId: string): Promise<void> {
		await this.cliOk(activateArgs(this.version, workflowId), 'publishing workflow');
	}

	/**
	 * The reverse of `publish`: changes the database only. A running n8n does not notice, and no trigger
	 * `delete` runs; use `RunningN8n.deactivate` to remove a live endpoint.
	 */
	async unpublish(workflowId: string): Promise<void> {
		await this.cliOk(deactivateArgs(this.version, workflowId), 'unpublishing workflow');
	}

	/** `n8n start` on free loopback ports; resolves once /healthz/readiness answers 200. */
	async start(options: StartOptions = {}): Promise<RunningN8n> {
		return startN8n(this, options);
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
