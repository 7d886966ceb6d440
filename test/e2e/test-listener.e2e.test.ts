// End-to-end, one real n8n 2.41.1 process: "listen for test event" on a published workflow must not swallow the
// published workflow's events.
//
// The decline-alert example (Slack swapped for an HTTP Request to a local sink that also says which event and
// which kind of execution each message came from) is published and n8n started; then the test listener is started
// through the REST call the editor makes when you click "Execute workflow" on the trigger
// (`POST /rest/workflows/:id/run` with `triggerToStartFrom`), which registers a second endpoint at the test URL.
// One decline reaches both endpoints: the production run and the manual (test) run each alert once, n8n stops the
// listener and the trigger deletes the test endpoint only, and a later decline still reaches the published workflow.

import * as fs from 'node:fs';

import { startEmulator } from '../../emulator/emulator';
import { ensureRealN8n } from '../../real-n8n/install';
import type { RunningN8n } from '../../real-n8n/running';
import { N8nUserFolder } from '../../real-n8n/user-folder';
import {
	api,
	declineAlertExample,
	e2eCredential,
	listAll,
	packForE2e,
	prepare,
	slackToSink,
	startSink,
	TRIGGER,
	waitFor,
	type Card,
	type Emulator,
	type Endpoint,
	type Json,
	type Sink,
	EVENT_HEADER,
} from './support';
import { OWNER } from '../../real-n8n/workflow';

jest.setTimeout(5 * 60_000);

const WORKFLOW_ID = 'PrivCardsE2eTest';
const MODE_HEADER = 'x-privcards-e2e-mode';

let emulator: Emulator | undefined;
let folder: N8nUserFolder | undefined;
let n8n: RunningN8n | undefined;
let sink: Sink | undefined;
let packDir = '';
let triggerName = '';

const context = (): string => (n8n ? `n8n said:\n${n8n.output(60)}` : '');

/** Waits until the emulator lists exactly `count` endpoints, and answers them. */
async function endpointsOnceThere(what: string, count: number): Promise<Endpoint[]> {
	return await waitFor(
		what,
		async () => {
			const list = await listAll<Endpoint>(emulator, '/webhooks');
			return list.length === count ? list : undefined;
		},
		60_000,
		context,
	);
}

/** Waits until `count` messages about `eventId` reached the sink and every delivery is over; answers their modes. */
async function sinkModesOnceThere(what: string, eventId: string, count: number): Promise<string[]> {
	await waitFor(
		what,
		async () => (modesAtSink(eventId).length >= count ? true : undefined),
		60_000,
		context,
	);
	await emulator?.deliveriesSettled();
	return modesAtSink(eventId);
}

/** A card with 5.00 on it tries to spend 25.00; resolves with the event id of its decline. */
async function decline(): Promise<string> {
	const bins = await api<{ data: Array<{ id: string }> }>(emulator, 'GET', '/bins');
	const card = await api<Card>(emulator, 'POST', '/cards', {
		bin_id: bins.data[0].id,
		amount: 5,
		label: 'E2E listener card',
	});
	const txn = await api<{ type: string }>(emulator, 'POST', '/sandbox/authorizations', {
		card_id: card.id,
		amount: 25,
		merchant: { name: 'E2E Merchant Ltd', category: 'advertising' },
	});
	expect(txn.type).toBe('decline');
	const event = [...(emulator?.events ?? [])]
		.reverse()
		.find((candidate) => candidate.type === 'transaction.declined');
	if (event === undefined) throw new Error('the emulator emitted no decline');
	return event.id;
}

/** The execution modes (`$execution.mode`: `production` or `test`) of the sink's messages about `eventId`. */
function modesAtSink(eventId: string): string[] {
	return (sink?.received ?? [])
		.filter((message) => message.headers[EVENT_HEADER] === eventId)
		.map((message) => String(message.headers[MODE_HEADER]))
		.sort();
}

beforeAll(async () => {
	const real = await ensureRealN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
	const packed = await packForE2e();
	packDir = packed.packDir;
	folder = N8nUserFolder.create(real, { prefix: 'privcards-e2e-listener-' });
	await folder.installPackage(packed.tarball);
	emulator = await startEmulator({ deliveryRetryFactor: 0.001 });
	sink = await startSink();

	const workflow = prepare(declineAlertExample(), WORKFLOW_ID);
	const trigger = workflow.nodes.find((node) => node.type === TRIGGER);
	if (!trigger) throw new Error('the decline-alert example has no PrivCards Trigger');
	triggerName = trigger.name;
	slackToSink(workflow, sink.url, {
		[EVENT_HEADER]: `={{ $('${trigger.name}').item.json.id }}`,
		[MODE_HEADER]: '={{ $execution.mode }}',
	});
	await folder.importCredentials([e2eCredential(emulator)]);
	await folder.importWorkflows([workflow as unknown as Json]);
	await folder.publish(WORKFLOW_ID);
	n8n = await folder.start();
	await n8n.ensureOwner(OWNER);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await emulator?.stop();
	await sink?.close();
	if (process.env.PRIVCARDS_E2E_KEEP) process.stderr.write(`[e2e] kept ${folder?.root ?? ''}\n`);
	else folder?.remove();
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
}, 60_000);

test('listening for a test event on a published workflow: the test run and the production run each get the event', async () => {
	if (!n8n || !emulator) throw new Error('set-up failed');
	const running = n8n;
	const [production] = await endpointsOnceThere(
		'the published trigger to register its endpoint',
		1,
	);
	await running.waitForWebhook(production.url);

	// What the editor sends when you click "Execute workflow" with the trigger as the start.
	const run = await running.rest<{ waitingForWebhook?: boolean }>(
		'POST',
		`workflows/${WORKFLOW_ID}/run`,
		{ triggerToStartFrom: { name: triggerName } },
	);
	expect({ status: run.status, data: run.data }).toEqual({
		status: 200,
		data: { waitingForWebhook: true },
	});
	const both = await endpointsOnceThere('the test listener to register its endpoint', 2);
	const test = both.find((endpoint) => endpoint.id !== production.id);
	expect(test?.url).toContain('/webhook-test/');

	const eventId = await decline();

	expect(await sinkModesOnceThere('a message from each run', eventId, 2)).toEqual([
		'production',
		'test',
	]);
	expect(
		emulator.deliveries
			.filter((attempt) => attempt.eventId === eventId)
			.map((attempt) => attempt.status),
	).toEqual([200, 200]);
	const executions = await waitFor(
		'a manual and a webhook execution',
		async () => {
			const list = await running.executions(WORKFLOW_ID);
			return list.length >= 2 && list.every((execution) => execution.status === 'success')
				? list
				: undefined;
		},
		30_000,
		context,
	);
	expect(executions.map((execution) => execution.mode).sort()).toEqual(['manual', 'webhook']);

	// n8n stopped the listener after its run: only the test endpoint is gone.
	const left = await endpointsOnceThere('the test endpoint to be deleted', 1);
	expect(left.map((endpoint) => endpoint.id)).toEqual([production.id]);

	// The published workflow goes on: the next decline runs it once, and only it.
	const next = await decline();
	expect(await sinkModesOnceThere('the next decline at the sink', next, 1)).toEqual(['production']);

	await running.deactivate(WORKFLOW_ID);
	await endpointsOnceThere('deactivation to delete the endpoint', 0);
});
