// End-to-end, one n8n process on SQLite: the polling decline-alert example (Slack swapped for an HTTP Request to
// a local sink), published with Poll Times every minute, in n8n's classic poll mode and with durable poll cursors
// (N8N_SCHEDULER_ENABLED, N8N_SCHEDULER_POLL_TRIGGERS_ENABLED, N8N_POLLER_DURABLE_CURSORS_ENABLED). In each:
// declines before a poll; declines just after a poll, then n8n stopped; declines while it is down; n8n started
// again; declines after the restart. Every decline reaches the sink exactly once.
//
// Durable mode does not seed its cursor from the activation poll's static data (see the README), so its
// workflow sets Start From to its publishing time: the first scheduled poll starts there.

import * as fs from 'node:fs';

import { startEmulator } from '../../sandbox/emulator';
import { ensureRealN8n } from '../../sandbox/n8n/install';
import { formatDuration } from '../../sandbox/n8n/proc';
import type { RunningN8n } from '../../sandbox/n8n/running';
import { N8nUserFolder } from '../../sandbox/n8n/user-folder';
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
let emulator: Emulator | undefined;
let folder: N8nUserFolder | undefined;
let n8n: RunningN8n | undefined;
let sink: Sink | undefined;
let packDir = '';
let cardId = '';

beforeAll(async () => {
	const real = await ensureRealN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
	const packed = await packForE2e();
	packDir = packed.packDir;
	folder = N8nUserFolder.create(real, { prefix: 'privcards-e2e-polling-' });
	await folder.installPackage(packed.tarball);
	emulator = await startEmulator({ generalRateLimit: { max: 100_000, windowMs: 1000 } });
	sink = await startSink();
	await folder.importCredentials([e2eCredential(emulator)]);
	cardId = (await api<{ id: string }>(emulator, 'POST', '/cards', { bin_id: '491653', amount: 10 }))
		.id;
	figures.push(`set-up (build, pack, install, import): ${formatDuration(Date.now() - t0)}`);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await emulator?.stop();
	await sink?.close();
	figures.push(`whole suite: ${formatDuration(Date.now() - t0)}`);
	process.stderr.write(`[e2e] polling suite\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
	if (process.env.PRIVCARDS_E2E_KEEP) process.stderr.write(`[e2e] kept ${folder?.root ?? ''}\n`);
	else folder?.remove();
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

async function scenario(workflowId: string, env: Record<string, string>, startFrom?: string) {
	if (!folder || !sink) throw new Error('set-up failed');
	sink.received.length = 0;
	const workflow = prepare(declinePollingExample(), workflowId);
	const trigger = workflow.nodes.find((node) => node.type === POLL_TRIGGER);
	if (!trigger) throw new Error('the polling example has no PrivCards Poll Trigger');
	if (startFrom !== undefined) trigger.parameters.options = { startFrom };
	slackToSink(workflow, sink.url, {
		[TRANSACTION_HEADER]: `={{ $('${trigger.name}').item.json.data.id }}`,
	});
	await folder.importWorkflows([workflow as unknown as Json]);
	await folder.publish(workflowId);

	const started = Date.now();
	n8n = await folder.start({ env });
	await new Promise((resolve) => setTimeout(resolve, 3000)); // the activation poll has set the cursor
	const before = await declines(3);
	await allSunk('the declines before the first poll', before);
	figures.push(`  first alert ${formatDuration(Date.now() - started)} after n8n start`);

	const justAfterPoll = await declines(3);
	await n8n.stop();
	const whileDown = await declines(3);
	const restarted = Date.now();
	n8n = await folder.start({ env });
	const afterRestart = await declines(3);
	const all = [...before, ...justAfterPoll, ...whileDown, ...afterRestart];
	await allSunk('every decline, after the restart', all);
	figures.push(`  all 12 alerts ${formatDuration(Date.now() - restarted)} after the restart`);
	await new Promise((resolve) => setTimeout(resolve, 5000)); // a late duplicate would come now
	await n8n.stop();
	n8n = undefined;
	await folder.unpublish(workflowId);

	const counts = sunk();
	expect(all.map((id) => [id, counts.get(id)])).toEqual(all.map((id) => [id, 1]));
	expect(counts.size).toBe(all.length);
}

test('classic poll mode: every decline once, across a restart between two polls', async () => {
	const t = Date.now();
	await scenario('PrivCardsE2ePoll1', {});
	figures.push(`classic mode: ${formatDuration(Date.now() - t)}`);
});

test('durable poll cursors: every decline once, across a restart between two polls', async () => {
	const t = Date.now();
	await scenario('PrivCardsE2ePoll2', DURABLE, new Date().toISOString());
	figures.push(`durable mode: ${formatDuration(Date.now() - t)}`);
});
