// Postgres and Redis for n8n's queue mode in tests: Debian's `postgresql` and `redis-server` packages, each
// started on loopback on a free, non-default port with its own data folder under a temp dir, and stopped and
// removed afterwards. Nothing is installed here: a machine without them gets an error naming the packages
// (`.ci/run` installs them on a fresh machine).
//
// Postgres refuses to run as root, so when this runs as root (CI) `initdb` and `pg_ctl` run as the `postgres`
// OS user (which Debian's package creates) through `runuser`. The cluster accepts loopback connections
// without a password (`trust`), has no durability (fsync off: a test database), and listens on its own
// socket folder, never on the system's. Both servers detach (pg_ctl's postmaster, redis' --daemonize); each
// is remembered by its pid file, and a process-exit hook kills what is still running, so a crashed test run
// leaves no server behind.

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from './ports';
import { run, type RunResult } from './proc';

/** Servers started here and not stopped yet: pid file → the signal that stops it at once, and its folder. */
const running = new Map<string, { signal: NodeJS.Signals; root: string }>();

function pidFrom(pidFile: string): number | undefined {
	try {
		const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0].trim());
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

process.once('exit', () => {
	for (const [pidFile, { signal, root }] of running) {
		const pid = pidFrom(pidFile);
		if (pid !== undefined) {
			try {
				process.kill(pid, signal);
			} catch {
				// already gone
			}
		}
		fs.rmSync(root, { recursive: true, force: true });
	}
});

function tail(r: RunResult, lines = 30): string {
	return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

/** Waits until the process in `pidFile` is gone (SIGKILL after `timeoutMs`). */
async function waitGone(pidFile: string, timeoutMs: number): Promise<void> {
	const pid = pidFrom(pidFile);
	if (pid === undefined) return;
	const deadline = Date.now() + timeoutMs;
	while (alive(pid)) {
		if (Date.now() > deadline) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// gone meanwhile
			}
			return;
		}
		await sleep(100);
	}
}

/** True when every folder from `/` down to `dir` lets other users through (mode o+x). */
function traversable(dir: string): boolean {
	for (let d = path.resolve(dir); ; d = path.dirname(d)) {
		if ((fs.statSync(d).mode & 0o001) === 0) return false;
		if (path.dirname(d) === d) return true;
	}
}

/**
 * A folder for one server's files, readable by other users: the postgres user must reach its data folder, so when
 * the temp dir is private (a TMPDIR of mode 0700) the folder goes under /tmp instead.
 */
function serviceRoot(prefix: string): string {
	const base = traversable(os.tmpdir()) ? os.tmpdir() : '/tmp';
	const root = fs.mkdtempSync(path.join(base, prefix));
	fs.chmodSync(root, 0o755);
	return root;
}

// ---------------------------------------------------------------------------------------------------
// Postgres

interface Postgres {
	readonly host: string;
	readonly port: number;
	readonly database: string;
	readonly user: string;
	/** The `DB_*` environment that points n8n at this database. */
	readonly n8nEnv: Record<string, string>;
	/**
	 * Runs SQL through `psql` and returns its unaligned, tuples-only output (`-At`). `vars` become psql variables:
	 * write `:'name'` in the SQL for a quoted literal, so values need no escaping.
	 */
	sql(statement: string, vars?: Record<string, string>): Promise<string>;
	stop(): Promise<void>;
}

/** The folder with initdb, pg_ctl and psql: `$PRIVCARDS_PG_BIN`, Debian's newest /usr/lib/postgresql/N/bin, or PATH. */
function postgresBinDir(): string | undefined {
	const fromEnv = process.env.PRIVCARDS_PG_BIN;
	if (fromEnv && fs.existsSync(path.join(fromEnv, 'pg_ctl'))) return fromEnv;
	const debian = '/usr/lib/postgresql';
	const versions = fs.existsSync(debian)
		? fs
				.readdirSync(debian)
				.filter((v) => fs.existsSync(path.join(debian, v, 'bin', 'pg_ctl')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length > 0) return path.join(debian, versions[0], 'bin');
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (dir && fs.existsSync(path.join(dir, 'pg_ctl')) && fs.existsSync(path.join(dir, 'initdb')))
			return dir;
	}
	return undefined;
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
	const [u, g] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
	const uid = Number(u.stdout.trim());
	const gid = Number(g.stdout.trim());
	if (u.code !== 0 || g.code !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid)) {
		throw new Error(
			`Postgres cannot run as root and there is no "${name}" OS user to run it as (Debian's postgresql package creates it)`,
		);
	}
	return { uid, gid };
}

interface PostgresOptions {
	/** Database n8n uses (created here). Default `n8n`. */
	database?: string;
	/** Port; default a free one. */
	port?: number;
}

/** `initdb` + `pg_ctl start` of a throw-away cluster on 127.0.0.1, and a database for n8n in it. */
async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
	const bin = postgresBinDir();
	if (!bin) {
		throw new Error(
			'Postgres server binaries (initdb, pg_ctl) not found: install Debian\'s "postgresql" package (apt-get install -y postgresql), or set PRIVCARDS_PG_BIN to their folder',
		);
	}
	const asRoot = process.getuid?.() === 0;
	const owner = asRoot ? await osUser('postgres') : undefined;
	const root = serviceRoot('privcards-postgres-');
	const data = path.join(root, 'data');
	const socketDir = path.join(root, 'socket');
	const logFile = path.join(root, 'postgres.log');
	for (const dir of [data, socketDir]) fs.mkdirSync(dir, { mode: 0o700 });
	fs.writeFileSync(logFile, '');
	if (owner) for (const p of [data, socketDir, logFile]) fs.chownSync(p, owner.uid, owner.gid);

	// As root: the same command as the postgres user (runuser is util-linux, on every Debian).
	const pg = (tool: string, args: string[]): Promise<RunResult> =>
		asRoot
			? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { cwd: root })
			: run(path.join(bin, tool), args, { cwd: root });

	const init = await pg('initdb', [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'--encoding=UTF8',
		'--locale=C',
		'--no-sync',
	]);
	if (init.code !== 0) {
		fs.rmSync(root, { recursive: true, force: true });
		throw new Error(`initdb failed (exit ${init.code ?? init.signal}):\n${tail(init)}`);
	}

	const port = options.port ?? (await freePort());
	const settings = [
		`-p ${port}`,
		'-c listen_addresses=127.0.0.1',
		`-c unix_socket_directories=${socketDir}`,
		'-c fsync=off',
		'-c synchronous_commit=off',
		'-c full_page_writes=off',
		'-c max_connections=200',
	].join(' ');
	const pidFile = path.join(data, 'postmaster.pid');
	running.set(pidFile, { signal: 'SIGQUIT', root }); // SIGQUIT: Postgres' immediate shutdown
	const started = await pg('pg_ctl', [
		'-D',
		data,
		'-l',
		logFile,
		'-o',
		settings,
		'-w',
		'-t',
		'60',
		'start',
	]);
	const stopCluster = async (): Promise<void> => {
		await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
		await waitGone(pidFile, 10_000);
		running.delete(pidFile);
		fs.rmSync(root, { recursive: true, force: true });
	};
	if (started.code !== 0) {
		const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
		await stopCluster();
		throw new Error(
			`pg_ctl start failed (exit ${started.code ?? started.signal}):\n${tail(started)}\n${log}`,
		);
	}

	const host = '127.0.0.1';
	const user = 'postgres';
	const database = options.database ?? 'n8n';
	const psql = (
		statement: string,
		vars: Record<string, string> = {},
		db = database,
	): Promise<RunResult> =>
		run(
			path.join(bin, 'psql'),
			[
				'-X',
				'-q',
				'-At',
				'-v',
				'ON_ERROR_STOP=1',
				'-h',
				host,
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				db,
				...Object.entries(vars).flatMap(([name, value]) => ['-v', `${name}=${value}`]),
				'-f',
				'-',
			],
			{ input: statement, env: { ...process.env, PGCONNECT_TIMEOUT: '10' } },
		);
	const created = await psql(`CREATE DATABASE "${database}"`, {}, 'postgres');
	if (created.code !== 0) {
		await stopCluster();
		throw new Error(`creating database ${database} failed:\n${tail(created)}`);
	}

	let stopping: Promise<void> | undefined;
	return {
		host,
		port,
		database,
		user,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: host,
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			// The cluster trusts loopback connections; n8n wants a password all the same.
			DB_POSTGRESDB_PASSWORD: 'privcards-test',
			DB_POSTGRESDB_SCHEMA: 'public',
		},
		sql: async (statement, vars) => {
			const r = await psql(statement, vars);
			if (r.code !== 0) throw new Error(`psql failed (exit ${r.code ?? r.signal}):\n${tail(r)}`);
			return r.stdout.trim();
		},
		stop: () => (stopping ??= stopCluster()),
	};
}

// ---------------------------------------------------------------------------------------------------
// Redis

interface Redis {
	readonly host: string;
	readonly port: number;
	/** The `QUEUE_BULL_REDIS_*` environment that points n8n at this server. */
	readonly n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

/** One command over Redis' protocol; resolves with the first reply line (e.g. `+PONG`). */
function redisCommand(port: number, command: string, timeoutMs = 2000): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let reply = '';
		socket.setTimeout(timeoutMs, () => socket.destroy(new Error('redis did not answer')));
		socket.once('error', reject);
		socket.on('data', (chunk: Buffer) => {
			reply += chunk.toString('utf8');
			const end = reply.indexOf('\r\n');
			if (end >= 0) {
				socket.end();
				resolve(reply.slice(0, end));
			}
		});
		socket.once('connect', () => socket.write(`${command}\r\n`));
		socket.once('close', () => resolve(reply));
	});
}

/** `redis-server` on 127.0.0.1 with no persistence, detached, remembered by its pid file. */
async function startRedis(options: { port?: number } = {}): Promise<Redis> {
	const probe = await run('redis-server', ['--version']);
	if (probe.code !== 0) {
		throw new Error(
			'redis-server not found: install Debian\'s "redis-server" package (apt-get install -y redis-server)',
		);
	}
	const root = serviceRoot('privcards-redis-');
	const port = options.port ?? (await freePort());
	const pidFile = path.join(root, 'redis.pid');
	const logFile = path.join(root, 'redis.log');
	running.set(pidFile, { signal: 'SIGKILL', root }); // nothing to keep: no persistence
	const r = await run('redis-server', [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--daemonize',
		'yes',
		'--pidfile',
		pidFile,
		'--dir',
		root,
		'--logfile',
		logFile,
	]);
	const stopServer = async (): Promise<void> => {
		const pid = pidFrom(pidFile);
		if (pid !== undefined && alive(pid)) {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				// gone meanwhile
			}
			await waitGone(pidFile, 5000);
		}
		running.delete(pidFile);
		fs.rmSync(root, { recursive: true, force: true });
	};
	const deadline = Date.now() + 15_000;
	for (;;) {
		const pong = r.code === 0 ? await redisCommand(port, 'PING').catch(() => '') : '';
		if (pong === '+PONG') break;
		if (r.code !== 0 || Date.now() > deadline) {
			const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
			await stopServer();
			throw new Error(`redis-server did not start on port ${port}:\n${tail(r)}\n${log}`);
		}
		await sleep(100);
	}
	let stopping: Promise<void> | undefined;
	return {
		host: '127.0.0.1',
		port,
		n8nEnv: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop: () => (stopping ??= stopServer()),
	};
}

// ---------------------------------------------------------------------------------------------------

export interface QueueServices {
	postgres: Postgres;
	redis: Redis;
	/** Everything n8n's queue mode needs to reach both: `DB_*`, `QUEUE_BULL_REDIS_*`, `EXECUTIONS_MODE=queue`. */
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

/** Postgres and Redis side by side; if one fails to start, the other is stopped again. */
export async function startQueueServices(): Promise<QueueServices> {
	const [postgres, redis] = await Promise.allSettled([startPostgres(), startRedis()]);
	if (postgres.status === 'rejected' || redis.status === 'rejected') {
		if (postgres.status === 'fulfilled') await postgres.value.stop();
		if (redis.status === 'fulfilled') await redis.value.stop();
		throw postgres.status === 'rejected'
			? postgres.reason
			: (redis as PromiseRejectedResult).reason;
	}
	return {
		postgres: postgres.value,
		redis: redis.value,
		n8nEnv: { ...postgres.value.n8nEnv, ...redis.value.n8nEnv, EXECUTIONS_MODE: 'queue' },
		stop: async () => {
			await Promise.all([postgres.value.stop(), redis.value.stop()]);
		},
	};
}
