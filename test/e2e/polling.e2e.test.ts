// End-to-end, one n8n process on SQLite: the polling decline-alert example (Slack swapped for an HTTP Request to
// a local sink), published with Poll Times every minute, in n8n's classic poll mode and with durable poll cursors
// (N8N_SCHEDULER_ENABLED, N8N_SCHEDULER_POLL_TRIGGERS_ENABLED, N8N_POLLER_DURABLE_CURSORS_ENABLED). In each:
// declines before a poll; declines just after a poll, then n8n stopped; declines while it is down; n8n started
// again; declines after the restart. Every decline reaches the sink exactly once. Then the same in queue mode
// (Postgres, Redis, a main process that polls and a worker that runs the executions; the main restarted).
//
// Durable mode does not seed its cursor from the activation poll's static data (see the README), so its
// workflow sets Start From to its publishing time: the first scheduled poll starts there.

import * as fs from 'node:fs';

import { randomBytes } from 'node:crypto';

import { NO_RATE_LIMITS, startEmulator } from '../../emulator/emulator';
import { ensureRealN8n, type RealN8n } from '../../real-n8n/install';
import { freePort } from '../../real-n8n/ports';
import { formatDuration } from '../../real-n8n/proc';
import type { RunningN8n } from '../../real-n8n/running';
import { startQueueServices, type QueueServices } from '../../real-n8n/services';
import { N8nUserFolder } from '../../real-n8n/user-folder';
import {
	api,
	declinePollingExample,
	e2eCredential,
	packForE2e,
	POLL_TRIGGER,
	prepare,
	slackToSink,
	startSink,
	waitFor,
	type Emulator,
	type Json,
	type Sink,
} from './support';

jest.setTimeout(10 * 60_000);

const TRANSACTION_HEADER = 'x-privcards-e2e-transaction';
const DURABLE = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
};
/** Longer than a minute's poll interval, with room for n8n's start and the workflow's run. */
const POLL_WAIT_MS = 150_000;

const t0 = Date.now();
const figures: string[] = [];
let real: RealN8n | undefined;
let tarball = '';
let emulator: Emulator | undefined;
let folder: N8nUserFolder | undefined;
let n8n: RunningN8n | undefined;
let worker: RunningN8n | undefined;
let queue: { services: QueueServices; folders: N8nUserFolder[] } | undefined;
let sink: Sink | undefined;
let packDir = '';
let cardId = '';

beforeAll(async () => {
	real = await ensureRealN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
	const packed = await packForE2e();
	packDir = packed.packDir;
	tarball = packed.tarball;
	folder = N8nUserFolder.create(real, { prefix: 'privcards-e2e-polling-' });
	await folder.installPackage(tarball);
	emulator = await startEmulator({ rateLimits: NO_RATE_LIMITS });
	sink = await startSink();
	await folder.importCredentials([e2eCredential(emulator)]);
	cardId = (await api<{ id: string }>(emulator, 'POST', '/cards', { bin_id: '491653', amount: 10 }))
		.id;
	figures.push(`set-up (build, pack, install, import): ${formatDuration(Date.now() - t0)}`);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await worker?.stop();
	await queue?.services.stop();
	await emulator?.stop();
	await sink?.close();
	figures.push(`whole suite: ${formatDuration(Date.now() - t0)}`);
	process.stderr.write(`[e2e] polling suite\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
	if (process.env.PRIVCARDS_E2E_KEEP) process.stderr.write(`[e2e] kept ${folder?.root ?? ''}\n`);
	else for (const f of [folder, ...(queue?.folders ?? [])]) f?.remove();
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
}, 60_000);

/** Declines `count` payments on the e2e card; their transaction ids. */
async function declines(count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let index = 0; index < count; index++) {
		const body = {
			card_id: cardId,
			amount: 4000,
			merchant: { name: 'META ADS', category: 'advertising' },
		};
		ids.push((await api<{ id: string }>(emulator, 'POST', '/sandbox/authorizations', body)).id);
	}
	return ids;
}

/** Transaction id → how many messages the sink got for it. */
function sunk(): Map<string, number> {
	const counts = new Map<string, number>();
	for (const message of sink?.received ?? []) {
		const id = String(message.headers[TRANSACTION_HEADER]);
		counts.set(id, (counts.get(id) ?? 0) + 1);
	}
	return counts;
}

async function allSunk(what: string, ids: string[]): Promise<void> {
	await waitFor(
		what,
		async () => (ids.every((id) => sunk().has(id)) ? true : undefined),
		POLL_WAIT_MS,
		() => `sink has ${sunk().size} of ${ids.length}; n8n said:\n${n8n?.output(40) ?? ''}`,
	);
}

/** How a scenario starts and stops n8n: one process, or a queue-mode main with its worker. */
interface Processes {
	/** The folder whose database holds the workflows. */
	folder: N8nUserFolder;
	startMain(): Promise<RunningN8n>;
	/** Anything besides the main process (a worker), started once. */
	startOthers?(): Promise<void>;
}

async function scenario(workflowId: string, processes: Processes, startFrom?: string) {
	if (!sink) throw new Error('set-up failed');
	const { folder: home } = processes;
	sink.received.length = 0;
	const workflow = prepare(declinePollingExample(), workflowId);
	const trigger = workflow.nodes.find((node) => node.type === POLL_TRIGGER);
	if (!trigger) throw new Error('the polling example has no PrivCards Poll Trigger');
	if (startFrom !== undefined) trigger.parameters.options = { startFrom };
	slackToSink(workflow, sink.url, {
		[TRANSACTION_HEADER]: `={{ $('${trigger.name}').item.json.data.id }}`,
	});
	await home.importWorkflows([workflow as unknown as Json]);
	await home.publish(workflowId);

	const started = Date.now();
	n8n = await processes.startMain();
	await processes.startOthers?.();
	await new Promise((resolve) => setTimeout(resolve, 3000)); // the activation poll has set the cursor
	const before = await declines(3);
	await allSunk('the declines before the first poll', before);
	figures.push(`  first alert ${formatDuration(Date.now() - started)} after n8n start`);

	const justAfterPoll = await declines(3);
	await n8n.stop();
	const whileDown = await declines(3);
	const restarted = Date.now();
	n8n = await processes.startMain();
	const afterRestart = await declines(3);
	const all = [...before, ...justAfterPoll, ...whileDown, ...afterRestart];
	await allSunk('every decline, after the restart', all);
	figures.push(`  all 12 alerts ${formatDuration(Date.now() - restarted)} after the restart`);
	await new Promise((resolve) => setTimeout(resolve, 5000)); // a late duplicate would come now
	await n8n.stop();
	n8n = undefined;
	await home.unpublish(workflowId);

	const counts = sunk();
	expect(all.map((id) => [id, counts.get(id)])).toEqual(all.map((id) => [id, 1]));
	expect(counts.size).toBe(all.length);
}

function singleProcess(env: Record<string, string>): Processes {
	if (!folder) throw new Error('set-up failed');
	const home = folder;
	return { folder: home, startMain: async () => await home.start({ env }) };
}

test('classic poll mode: every decline once, across a restart between two polls', async () => {
	const t = Date.now();
	await scenario('PrivCardsE2ePoll1', singleProcess({}));
	figures.push(`classic mode: ${formatDuration(Date.now() - t)}`);
});

test('durable poll cursors: every decline once, across a restart between two polls', async () => {
	const t = Date.now();
	await scenario('PrivCardsE2ePoll2', singleProcess(DURABLE), new Date().toISOString());
	figures.push(`durable mode: ${formatDuration(Date.now() - t)}`);
});

test('queue mode: the main process polls, a worker runs; every decline once across a restart of the main', async () => {
	if (!real || !emulator) throw new Error('set-up failed');
	const t = Date.now();
	const services = await startQueueServices();
	const shared = { ...services.n8nEnv, N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex') };
	const folders = ['main', 'worker'].map((role) =>
		N8nUserFolder.create(real as RealN8n, {
			prefix: `privcards-e2e-polling-${role}-`,
			env: shared,
		}),
	);
	queue = { services, folders };
	await Promise.all(folders.map((f) => f.installPackage(tarball)));
	await folders[0].importCredentials([e2eCredential(emulator)]);
	figures.push(`  queue set-up (Postgres, Redis, two installs): ${formatDuration(Date.now() - t)}`);
	await scenario('PrivCardsE2ePoll3', {
		folder: folders[0],
		startMain: async () => await folders[0].start(),
		startOthers: async () => {
			const port = await freePort();
			worker = await folders[1].start({
				command: 'worker',
				port,
				env: {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
			});
		},
	});
	figures.push(`queue mode: ${formatDuration(Date.now() - t)}`);
});
