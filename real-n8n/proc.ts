// Process helpers shared by the real-n8n tooling (install, instance, start).
//
// Every child is spawned in its own process group (`detached: true`) so that it and everything it
// starts (npm's node-gyp, n8n's task runner) can be stopped together with `kill(-pid)`. Each group is
// remembered until it exits; `killAllChildren()` (also run on process exit) leaves no orphans.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** Sends SIGKILL to every process group still running. Synchronous: safe in an 'exit' handler. */
function killAllChildren(): void {
	for (const child of live) killGroup(child, 'SIGKILL');
	live.clear();
}

process.once('exit', killAllChildren);

/** Spawns `command` in a new process group and tracks it until it exits. */
export function spawnGroup(
	command: string,
	args: string[],
	options: SpawnOptions = {},
): ChildProcess {
	const child = spawn(command, args, { ...options, detached: true });
	live.add(child);
	child.once('exit', () => live.delete(child));
	child.once('error', () => live.delete(child));
	return child;
}

/** Resolves with the exit code (or 128 + signal number style string) once the child has exited. */
export function waitForExit(
	child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
	}
	return new Promise((resolve) => {
		child.once('exit', (code, signal) => resolve({ code, signal }));
		child.once('error', () => resolve({ code: -1, signal: null }));
	});
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once the group leader has exited. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
		// The leader is gone, but a grandchild may still hold the group: make sure.
		if (child.pid !== undefined) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// nothing left
			}
		}
		live.delete(child);
		return;
	}
	const exited = waitForExit(child);
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// The leader exiting does not mean its children did (n8n's task runner): sweep the group.
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		// group already empty
	}
	live.delete(child);
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Appends both streams to this file instead of keeping them in memory only. */
	logFile?: string;
	/** Kills the process group when aborted. */
	signal?: AbortSignal;
	/** Kills the process group after this many milliseconds. */
	timeoutMs?: number;
	input?: string;
}

/** Runs a command to completion in its own process group and collects its output. Never throws on exit code. */
export async function run(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<RunResult> {
	const child = spawnGroup(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
	child.stdout?.on('data', (b: Buffer) => {
		out.push(b);
		log?.write(b);
	});
	child.stderr?.on('data', (b: Buffer) => {
		err.push(b);
		log?.write(b);
	});
	// A command that exits without reading its input closes the pipe: not an error of ours.
	child.stdin?.on('error', () => undefined);
	child.stdin?.end(options.input ?? '');
	const onAbort = (): void => void stopGroup(child, 2000);
	options.signal?.addEventListener('abort', onAbort, { once: true });
	const timer = options.timeoutMs ? setTimeout(onAbort, options.timeoutMs) : undefined;
	const { code, signal } = await waitForExit(child);
	// stdout/stderr may still hold buffered data after 'exit'.
	await Promise.all(
		[child.stdout, child.stderr].map(
			(s) => new Promise<void>((r) => (s && !s.readableEnded ? s.once('close', () => r()) : r())),
		),
	);
	if (timer) clearTimeout(timer);
	options.signal?.removeEventListener('abort', onAbort);
	// Sweep anything the command left behind in its group.
	if (child.pid !== undefined) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// group already empty
		}
	}
	if (log) await new Promise<void>((r) => log.end(() => r()));
	return {
		code,
		signal,
		stdout: Buffer.concat(out).toString('utf8'),
		stderr: Buffer.concat(err).toString('utf8'),
	};
}

/**
 * The current environment without what must not leak into the npm and n8n processes started here:
 * npm's `npm_*` variables (`npm start` / `npm test` export the project's npm config, e.g. this repo's
 * `ignore-scripts=true` and the machine's `nodedir`), and jest's `NODE_ENV=test` / `JEST_*` (with
 * `NODE_ENV=test` n8n 2.41 silences its logger and `n8n start` / `n8n execute` exit at once, printing nothing),
 * and the caller's own `N8N_*` settings: the n8n-core test harness sets `N8N_LOG_LEVEL=silent`, which hides the
 * line the tooling waits for, and a real n8n here gets every setting it needs from the user folder's `env()`.
 */
export function cleanEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(base)) {
		if (v === undefined) continue;
		if (/^npm_/i.test(k) || /^JEST_/.test(k) || /^N8N_/.test(k)) continue;
		if (k === 'INIT_CWD' || k === 'NODE_OPTIONS' || k === 'NODE_PATH' || k === 'NODE_ENV') continue;
		env[k] = v;
	}
	return env;
}

/** The last `lines` lines of a command's output (stdout, then stderr), for error messages. */
export function outputTail(r: RunResult, lines: number): string {
	return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

/** "3m 07s" / "12.3s" */
export function formatDuration(ms: number): string {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}
