// End-to-end in n8n's queue mode: a main process (`n8n start`, production webhooks off), one webhook processor
// (`n8n webhook`) and two workers (`n8n worker`), on Postgres and Redis (Debian's packages, started here on
// loopback; see real-n8n/services), one encryption key, each process with its own user folder and the packed
// package installed there as n8n installs a community package. PrivCards delivers through a tap (a recording
// reverse proxy, as a load balancer would sit) to the webhook processor; see ./deliveries. Checks:
//   - the decline-alert example activates once: exactly one endpoint at the emulator;
//   - a signed delivery runs on a worker and reaches the sink; tampered, unsigned and wrongly signed copies get
//     401 and start nothing;
//   - the same signed event again 0.1 s, 1 s and 10 s after n8n answered it: one execution and one message each;
//   - 50 distinct events at once, then the same 50 deliveries again: 50 executions, 50 messages, nothing more;
//   - the workflow re-published with other events while declines stream in, several rounds: one endpoint left,
//     a new delivery to it verified and run once;
//   - deactivation: no endpoint left;
//   - the old endpoint state written back into the database by hand while the workflow is re-published (what a
//     delivery in flight writes back wherever n8n stores per-delivery static data): deliveries still verify, and
//     deactivation still leaves no endpoint;
//   - the auto-fund example, run on a worker, moves exactly the expected cents, once.

import { toCents } from '../../nodes/PrivCards/contract';
import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

import { setTimeout as sleep } from 'node:timers/promises';

import { NO_RATE_LIMITS, startEmulator } from '../../emulator/emulator';
import { ensureRealN8n } from '../../real-n8n/install';
import { freePort } from '../../real-n8n/ports';
import { formatDuration } from '../../real-n8n/proc';
import type { RunningN8n, StartOptions } from '../../real-n8n/running';
import { N8nUserFolder } from '../../real-n8n/user-folder';
import { startQueueServices, type QueueServices } from '../../real-n8n/services';
import { deliveryTests } from './delivery-checks';
import { declineAlertToSink, DeliveryRig, Report } from './delivery-rig';
import { Tap, type TapRecord } from './delivery-tap';
import {
	api,
	autoFundExample,
	e2eCredential,
	isOperation,
	listAll,
	packForE2e,
	prepare,
	startSink,
	type Card,
	type Emulator,
	type Endpoint,
	type Json,
	type Sink,
} from './support';
import { OWNER } from '../../real-n8n/workflow';

jest.setTimeout(5 * 60_000);

const DECLINE_ID = 'PrivCardsE2eQDcl';
const FUND_ID = 'PrivCardsE2eQFnd';
const FUND_PATH = 'privcards-e2e-auto-fund';
const ROLES = ['main', 'webhook', 'worker-1', 'worker-2'] as const;

const t0 = Date.now();
const report = new Report();
let services: QueueServices | undefined;
let emulator: Emulator | undefined;
let sink: Sink | undefined;
let tap: Tap | undefined;
const folders: N8nUserFolder[] = [];
const processes: RunningN8n[] = [];
let main: RunningN8n | undefined;
let receiver: RunningN8n | undefined;
let workers: RunningN8n[] = [];
let rig: DeliveryRig | undefined;
let packDir = '';

function ready(): DeliveryRig {
	if (!rig) throw new Error('set-up failed');
	return rig;
}

/** The auto-fund example with its hourly schedule swapped for a Webhook trigger, so a test decides when it runs. */
function autoFundOnWebhook(): { workflow: Json; topUpTarget: number } {
	const wf = prepare(autoFundExample(), FUND_ID);
	const schedule = wf.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	if (!schedule) throw new Error('the auto-fund example has no Schedule Trigger');
	Object.assign(schedule, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '0d6c1f5e-2b7a-4c3d-9e8f-a1b2c3d4e5f6',
		parameters: { httpMethod: 'POST', path: FUND_PATH, responseMode: 'onReceived', options: {} },
	});
	const topUp = wf.nodes.find((n) => isOperation(n, 'funding', 'topUp'));
	const target = Number(topUp?.parameters.targetBalance);
	if (!topUp || !Number.isFinite(target))
		throw new Error('the auto-fund example has no fixed top-up target');
	return { workflow: wf as unknown as Json, topUpTarget: target };
}

let topUpTarget = 0;

beforeAll(async () => {
	const real = await ensureRealN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
	const [queue, packed] = await Promise.all([startQueueServices(), packForE2e()]);
	services = queue;
	packDir = packed.packDir;
	report.add(
		`Postgres on ${queue.postgres.port}, Redis on ${queue.redis.port} (${formatDuration(Date.now() - t0)} with build and pack)`,
	);

	emulator = await startEmulator({
		deliveryRetryFactor: 0.001,
		rateLimits: NO_RATE_LIMITS,
	});
	sink = await startSink();
	tap = await Tap.start();

	// Every process: the same database, Redis and encryption key, its own user folder with the package.
	const shared = {
		...queue.n8nEnv,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_LOG_LEVEL: process.env.PRIVCARDS_E2E_LOG_LEVEL ?? 'info',
	};
	for (const role of ROLES)
		folders.push(
			N8nUserFolder.create(real, { prefix: `privcards-e2e-queue-${role}-`, env: shared }),
		);
	await Promise.all(folders.map((f) => f.installPackage(packed.tarball)));
	const mainFolder = folders[0];

	const decline = declineAlertToSink(DECLINE_ID, sink.url);
	const fund = autoFundOnWebhook();
	topUpTarget = fund.topUpTarget;

	await mainFolder.importCredentials([e2eCredential(emulator)]);
	await mainFolder.importWorkflows([decline.workflow as unknown as Json, fund.workflow]);
	await mainFolder.publish(DECLINE_ID);
	await mainFolder.publish(FUND_ID);
	report.add(
		`user folders, package installs, imports and publishing done at ${formatDuration(Date.now() - t0)}`,
	);

	const [mainPort, webhookPort, ...workerPorts] = await Promise.all(ROLES.map(() => freePort()));
	tap.upstreamPort = webhookPort;
	// Main builds the URL it registers from N8N_WEBHOOK_URL: the public address, here the tap in front of the
	// webhook processor. Every process gets the same.
	const webhookUrl = { N8N_WEBHOOK_URL: `${tap.url}/` };
	const starts: Array<[N8nUserFolder, StartOptions]> = [
		[
			mainFolder,
			{ port: mainPort, env: { ...webhookUrl, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } },
		],
		[folders[1], { command: 'webhook', port: webhookPort, env: webhookUrl }],
		...workerPorts.map((port, i): [N8nUserFolder, StartOptions] => [
			folders[2 + i],
			{
				command: 'worker',
				port,
				env: {
					...webhookUrl,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
			},
		]),
	];
	// Main first (it activates the published workflows), then the others side by side.
	main = await mainFolder.start(starts[0][1]);
	processes.push(main);
	const others = await Promise.allSettled(starts.slice(1).map(([f, options]) => f.start(options)));
	for (const o of others) if (o.status === 'fulfilled') processes.push(o.value);
	const failed = others.find((o): o is PromiseRejectedResult => o.status === 'rejected');
	if (failed) throw failed.reason;
	[receiver, ...workers] = others.map((o) => (o as PromiseFulfilledResult<RunningN8n>).value);
	await main.ensureOwner(OWNER);
	report.add(`main, webhook processor and 2 workers ready at ${formatDuration(Date.now() - t0)}`);

	rig = new DeliveryRig(
		{
			name: 'queue mode',
			emulator,
			tap,
			sink,
			main,
			receiver,
			workers,
			workflowId: DECLINE_ID,
			triggerName: decline.triggerName,
		},
		report,
	);
}, 20 * 60_000);

afterAll(async () => {
	await Promise.all(processes.map((p) => p.stop()));
	await emulator?.stop();
	await sink?.close();
	await tap?.close();
	await services?.stop();
	report.add(`whole suite: ${formatDuration(Date.now() - t0)}`);
	report.print('queue-mode suite: main + webhook processor + 2 workers, Postgres, Redis');
	if (process.env.PRIVCARDS_E2E_KEEP)
		process.stderr.write(`[e2e] kept ${folders.map((f) => f.root).join(' ')}\n`);
	else for (const f of folders) f.remove();
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
}, 60_000);

test('the decline-alert example activates once: exactly one endpoint at the emulator', async () => {
	const endpoint = await ready().waitForOnlyEndpoint(['transaction.declined']);
	expect(endpoint.url.startsWith(`${tap?.url}/webhook/`)).toBe(true);
	// Four processes started; the trigger registered once, and nothing more comes.
	await sleep(2000);
	expect((await ready().endpoints()).map((e) => e.id)).toEqual([endpoint.id]);
	expect(
		emulator?.requests.filter((r) => r.method === 'POST' && r.path === '/webhooks'),
	).toHaveLength(1);
});

test('a signed delivery runs on a worker and reaches the sink; tampered, unsigned and wrongly signed ones get 401 and start nothing', async () => {
	const r = ready();
	const eventId = await r.decline();
	const first = await r.firstDelivery(eventId);
	expect(first.status).toBe(200);
	await r.waitForSink([eventId]);
	const executionId = r.executionOf(eventId);
	expect(executionId).toBeDefined();
	expect(r.workersThatRan(String(executionId))).toHaveLength(1);

	const before = await r.settle();
	const atSink = sink?.received.length;
	const body = first.body.toString('utf8');
	// Fresh event IDs, so that only the signature can be what refuses them.
	const copy = (n: number): string => body.replace(eventId, `${eventId.slice(0, -2)}Z${n}`);
	const tampered = Buffer.from(copy(1).replace('"amount":25', '"amount":2500'));
	const unsigned = { ...first.headers };
	delete unsigned['x-privcards-signature'];
	const wrongKey = Buffer.from(copy(3));
	const forged: Array<Pick<TapRecord, 'path' | 'headers' | 'body'>> = [
		{ path: first.path, headers: first.headers, body: tampered },
		{ path: first.path, headers: unsigned, body: Buffer.from(copy(2)) },
		{
			path: first.path,
			headers: {
				...first.headers,
				'x-privcards-signature': createHmac('sha256', 'whsec_not_the_secret')
					.update(wrongKey)
					.digest('hex'),
			},
			body: wrongKey,
		},
	];
	const statuses: Array<number | null> = [];
	for (const f of forged) statuses.push(await r.d.tap.send(f));
	const after = await r.settle();
	report.add(
		`queue mode signed delivery: answered ${first.status}, ran on worker #${r
			.workersThatRan(String(executionId))
			.map((i) => i + 1)
			.join(',')}; ` +
			`tampered/unsigned/wrong key answered ${statuses.join('/')}, executions started by them ${after - before}`,
	);
	expect(statuses).toEqual([401, 401, 401]);
	expect(after).toBe(before);
	expect(sink?.received.length).toBe(atSink);
});

deliveryTests(ready);

// The old endpoint state written back by hand while the workflow is re-published: on an n8n that stores what a
// trigger writes during a delivery, a delivery in flight during a re-activation does exactly this.
let staleWritten = false;

async function staticDataOf(workflowId: string): Promise<string> {
	if (!services) throw new Error('set-up failed');
	return services.postgres.sql(`SELECT "staticData" FROM workflow_entity WHERE id = :'id'`, {
		id: workflowId,
	});
}

/** Waits until the stored static data differs from `from` and then has not changed for 2 s (10 s at most). */
async function settledStaticData(from: string): Promise<string> {
	const deadline = Date.now() + 10_000;
	let last = await staticDataOf(DECLINE_ID);
	let since = Date.now();
	while (Date.now() < deadline && (last === from || Date.now() - since < 2000)) {
		await sleep(250);
		const now = await staticDataOf(DECLINE_ID);
		if (now !== last) {
			last = now;
			since = Date.now();
		}
	}
	return last;
}

test('old endpoint state written back into the database during a re-publish: deliveries still verify', async () => {
	const r = ready();
	if (!services) throw new Error('set-up failed');
	await r.republish(['transaction.declined']);
	const first = await r.waitForOnlyEndpoint(['transaction.declined']);
	// Activation saves the trigger's state right after registering: wait (bounded) until it is stored.
	let stale = await staticDataOf(DECLINE_ID);
	for (let i = 0; i < 20 && !stale.includes(first.id); i++) {
		await sleep(250);
		stale = await staticDataOf(DECLINE_ID);
	}

	await r.republish(['transaction.declined', 'card.frozen']);
	const second = await r.waitForOnlyEndpoint(['transaction.declined', 'card.frozen'], [first.id]);
	// The stale state goes in after the activation's own writes: once the stored state changed and then stayed put
	// for 2 s (bounded: 10 s).
	await settledStaticData(stale);
	await services.postgres.sql(
		stale === ''
			? `UPDATE workflow_entity SET "staticData" = NULL WHERE id = :'id'`
			: `UPDATE workflow_entity SET "staticData" = :'stale' WHERE id = :'id'`,
		{ id: DECLINE_ID, stale },
	);
	staleWritten = true;
	expect(JSON.parse((await staticDataOf(DECLINE_ID)) || 'null')).toEqual(
		JSON.parse(stale || 'null'),
	);

	const eventId = await r.decline();
	const delivery = await r.firstDelivery(eventId);
	if (delivery.status === 200) await r.waitForSink([eventId], 30_000);
	await r.settle();
	report.add(
		`queue mode stale state: endpoint ${first.id} replaced by ${second.id}; static data written back ` +
			`(${stale.includes(first.id) ? `it names ${first.id}` : 'it names no endpoint'}); a new delivery answered ` +
			`${delivery.status}, emulator ${r.emulatorAttempts([eventId]).outcomes}, at the sink ${r.sinkCount(eventId)}×`,
	);
	expect(delivery.status).toBe(200);
	expect(r.sinkCount(eventId)).toBe(1);
});

test('old endpoint state written back into the database during a re-publish: deactivation leaves no endpoint', async () => {
	if (!staleWritten) throw new Error('the previous test did not write the stale state back');
	const left: Endpoint[] = await ready().deactivate();
	report.add(
		`queue mode stale state: deactivation left ${left.length} endpoint(s) ${left.map((e) => e.id).join(', ')}`,
	);
	expect(left).toEqual([]);
});

test('the auto-fund example run on a worker moves exactly the expected cents, once', async () => {
	const r = ready();
	if (!receiver || !main) throw new Error('set-up failed');
	const target = topUpTarget;
	const bins = await api<{ data: Array<{ id: string }> }>(emulator, 'GET', '/bins');
	await api<Card>(emulator, 'POST', '/cards', {
		bin_id: bins.data[0].id,
		amount: 1,
		label: 'e2e low card (queue)',
	});
	const before = await listAll<Card>(emulator, '/cards');
	const low = before.filter((c) => c.status === 'active' && toCents(c.balance) < toCents(target));
	const needed = low.reduce((sum, c) => sum + (toCents(target) - toCents(c.balance)), 0);
	let wallet = await api<{ balance: number }>(emulator, 'GET', '/wallet');
	if (toCents(wallet.balance) < needed) {
		const deposit = await api<{ id: string }>(emulator, 'POST', '/sandbox/deposits', {
			currency: 'usdt',
			amount_usd: Math.ceil((needed - toCents(wallet.balance)) / 100) + 10,
		});
		await api(emulator, 'POST', `/sandbox/deposits/${deposit.id}/confirm`);
		wallet = await api<{ balance: number }>(emulator, 'GET', '/wallet');
	}
	expect(needed).toBeGreaterThan(0);

	const runOnce = async (n: number): Promise<{ id: string; status: string }> => {
		const res = await fetch(receiver?.webhookUrl(FUND_PATH) ?? '', { method: 'POST' });
		expect(res.status).toBe(200);
		await res.arrayBuffer();
		return r.wait(
			`auto-fund execution #${n} to finish`,
			async () => {
				const list = (await main?.executions(FUND_ID)) ?? [];
				const done = list.filter((e) => e.status !== 'new' && e.status !== 'running');
				return done.length >= n ? done[0] : undefined;
			},
			60_000,
		);
	};

	const funds = (): number =>
		emulator?.requests.filter(
			(q) =>
				q.method === 'POST' &&
				/\/fund$/.test(q.path) &&
				q.status !== null &&
				q.status < 300 &&
				!q.replayed,
		).length ?? 0;
	const fundsBefore = funds();
	const execution = await runOnce(1);
	expect(execution.status).toBe('success');
	const ranOn = r.workersThatRan(execution.id);
	expect(ranOn).toHaveLength(1);
	const after = new Map((await listAll<Card>(emulator, '/cards')).map((c) => [c.id, c]));
	for (const card of before) {
		const expected =
			card.status === 'active'
				? Math.max(toCents(card.balance), toCents(target))
				: toCents(card.balance);
		expect({ id: card.id, balance: toCents(after.get(card.id)?.balance ?? NaN) }).toEqual({
			id: card.id,
			balance: expected,
		});
	}
	const walletAfter = await api<{ balance: number }>(emulator, 'GET', '/wallet');
	expect(toCents(wallet.balance) - toCents(walletAfter.balance)).toBe(needed);
	expect(funds() - fundsBefore).toBe(low.length);

	// Again: every card is at the target, nothing moves.
	const again = await runOnce(2);
	expect(again.status).toBe('success');
	const walletAgain = await api<{ balance: number }>(emulator, 'GET', '/wallet');
	expect(toCents(walletAgain.balance)).toBe(toCents(walletAfter.balance));
	expect(funds() - fundsBefore).toBe(low.length);
	report.add(
		`queue mode auto-fund: ${low.length} card(s) below ${target} USD, ${needed} cents moved in ${low.length} fund request(s) ` +
			`on worker #${ranOn[0] + 1}; a second run on worker #${r
				.workersThatRan(again.id)
				.map((i) => i + 1)
				.join(',')} moved ` +
			`${toCents(walletAfter.balance) - toCents(walletAgain.balance)} cents`,
	);
});
