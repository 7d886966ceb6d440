/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tooling that runs a real n8n from plain Node, never inside n8n */
// End-to-end: the packed package inside a real n8n (the pinned version, on Node 24), against the emulator.
//
// Installs like a user: `npm run build`, `npm pack`, the tarball installed into a fresh user folder's
// `.n8n/nodes` the way n8n installs a community package. Then:
//   1. the auto-fund example runs with `n8n execute`, and the emulator's balances moved exactly as expected
//      (and a second run moves nothing);
//   2. the decline-alert example (its Slack node swapped for an HTTP Request to a sink this test runs),
//      published and started, registers its webhook with the emulator; a simulated decline is delivered,
//      verified and runs the workflow; a forged delivery is refused; deactivating through n8n's REST API
//      removes the endpoint at the emulator.
//
// The first run on a machine installs n8n into the cache (about 6 minutes); later runs take under a minute.


import * as fs from 'node:fs';
import * as path from 'node:path';

import { startEmulator } from '../../sandbox/emulator';
import { ensureRealN8n } from '../../sandbox/n8n/install';
import { N8nUserFolder, nodeOutput, PACKAGE_NAME, type RunningN8n } from '../../sandbox/n8n/instance';
import {
	ACTION,
	api as emulatorApi,
	cents,
	CREDENTIAL,
	e2eCredential,
	findExample,
	isOperation,
	listAll as emulatorList,
	packForE2e,
	prepare,
	slackToSink as swapSlack,
	startSink,
	TRIGGER,
	triggerEvents,
	waitFor as waitUntil,
	type Card,
	type Emulator,
	type Json,
	type Sink,
} from './support';

jest.setTimeout(5 * 60_000);

let emulator: Emulator | undefined;
let folder: N8nUserFolder | undefined;
let n8n: RunningN8n | undefined;
let sink: Sink | undefined;
let sinkUrl = '';
let sunk: Sink['received'] = [];
let packDir = '';

// ---------------------------------------------------------------------------------------------------
// helpers

const api = <T = Json>(method: string, pathPart: string, body?: unknown): Promise<T> =>
	emulatorApi<T>(emulator, method, pathPart, body);

const listAll = <T>(pathPart: string): Promise<T[]> => emulatorList<T>(emulator, pathPart);

const waitFor = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> =>
	waitUntil(what, probe, timeoutMs, () => (n8n ? `n8n said:\n${n8n.output(60)}` : ''));

const slackToSink = (wf: Parameters<typeof swapSlack>[0]): void => swapSlack(wf, sinkUrl);

// ---------------------------------------------------------------------------------------------------
// set-up and tear-down: nothing started here outlives the file

beforeAll(async () => {
	const t0 = Date.now();
	const real = await ensureRealN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });

	const packed = await packForE2e();
	packDir = packed.packDir;

	folder = N8nUserFolder.create(real, { prefix: 'privcards-e2e-' });
	const installed = await folder.installPackage(packed.tarball);
	expect(installed).toMatchObject({ name: PACKAGE_NAME });
	// What n8n itself would leave: no dev/peer deps in the installed package.json, the package recorded.
	const installedPkg = JSON.parse(
		fs.readFileSync(path.join(installed.dir, 'package.json'), 'utf8'),
	) as Json;
	expect(installedPkg.devDependencies).toBeUndefined();
	expect(installedPkg.peerDependencies).toBeUndefined();
	expect(fs.existsSync(path.join(installed.dir, 'node_modules', 'n8n-workflow'))).toBe(false);

	emulator = await startEmulator({ port: 0, host: '127.0.0.1' });

	sink = await startSink();
	sinkUrl = sink.url;
	sunk = sink.received;

	await folder.importCredentials([e2eCredential(emulator)]);
	process.stderr.write(
		`[e2e] set-up done in ${((Date.now() - t0) / 1000).toFixed(1)}s (user folder ${folder.root})\n`,
	);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await emulator?.stop();
	await sink?.close();
	if (process.env.PRIVCARDS_E2E_KEEP) {
		process.stderr.write(`[e2e] kept ${folder?.root ?? ''} (PRIVCARDS_E2E_KEEP)\n`);
	} else {
		folder?.remove();
	}
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
}, 60_000);

// ---------------------------------------------------------------------------------------------------

test('the auto-fund example tops every active card up to the target with `n8n execute`', async () => {
	if (!folder) throw new Error('set-up failed');
	const example = findExample('auto-fund', (wf) =>
		wf.nodes.some((n) => isOperation(n, 'funding', 'topUp')),
	);
	const wf = prepare(example, 'PrivCardsE2eFund');

	// `n8n execute` starts at a Manual Trigger: a scheduled example gets one in place of its schedule.
	if (!wf.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')) {
		const schedule = wf.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
		if (!schedule) throw new Error('auto-fund example has neither a Manual nor a Schedule Trigger');
		Object.assign(schedule, {
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			parameters: {},
		});
	}
	const topUp = wf.nodes.find((n) => isOperation(n, 'funding', 'topUp'));
	if (!topUp) throw new Error('unreachable');
	// The example's own target when it is a plain number; otherwise pin one so the result is predictable.
	let target = Number(topUp.parameters.targetBalance);
	if (!Number.isFinite(target) || typeof topUp.parameters.targetBalance === 'string') {
		target = 100;
		topUp.parameters.targetBalance = target;
	}

	// A card below the target for sure, so that money has to move.
	const bins = await api<{ data: Array<{ id: string; max_transaction: number }> }>('GET', '/bins');
	const low = await api<Card>('POST', '/cards', {
		bin_id: bins.data[0].id,
		amount: 1,
		label: 'e2e low card',
	});
	expect(low.balance).toBeLessThan(target);

	const before = await listAll<Card>('/cards');
	const needed = before
		.filter((c) => c.status === 'active' && cents(c.balance) < cents(target))
		.reduce((sum, c) => sum + (cents(target) - cents(c.balance)), 0);
	// Enough in the wallet for every top-up (sandbox deposit, confirmed).
	let wallet = await api<{ balance: number }>('GET', '/wallet');
	if (cents(wallet.balance) < needed) {
		const deposit = await api<{ id: string }>('POST', '/sandbox/deposits', {
			currency: 'usdt',
			amount_usd: Math.ceil((needed - cents(wallet.balance)) / 100) + 10,
		});
		await api('POST', `/sandbox/deposits/${deposit.id}/confirm`);
		wallet = await api<{ balance: number }>('GET', '/wallet');
	}
	expect(needed).toBeGreaterThan(0);

	await folder.importWorkflows([wf as unknown as Json]);
	const result = await folder.execute('PrivCardsE2eFund');
	if (result.status !== 'success') {
		throw new Error(
			`auto-fund run ended ${result.status}: ${JSON.stringify(result.run.data?.resultData?.error ?? {}, null, 2)}\n${result.stderr.slice(-3000)}`,
		);
	}
	expect(nodeOutput(result.run, topUp.name).length).toBeGreaterThan(0);

	const after = new Map((await listAll<Card>('/cards')).map((c) => [c.id, c]));
	for (const card of before) {
		const now = after.get(card.id);
		expect(now).toBeDefined();
		const expected =
			card.status === 'active' ? Math.max(cents(card.balance), cents(target)) : cents(card.balance);
		expect({ id: card.id, status: card.status, balance: cents(now?.balance ?? NaN) }).toEqual({
			id: card.id,
			status: card.status,
			balance: expected,
		});
	}
	const walletAfter = await api<{ balance: number }>('GET', '/wallet');
	expect(cents(walletAfter.balance)).toBe(cents(wallet.balance) - needed);

	// Run again: every active card is at the target, so nothing moves.
	const again = await folder.execute('PrivCardsE2eFund');
	expect(again.status).toBe('success');
	const walletAgain = await api<{ balance: number }>('GET', '/wallet');
	expect(cents(walletAgain.balance)).toBe(cents(walletAfter.balance));
	for (const card of await listAll<Card>('/cards')) {
		expect(cents(card.balance)).toBe(cents(after.get(card.id)?.balance ?? NaN));
	}
});

test('the decline-alert example registers its webhook, alerts on a decline, and deactivation removes the endpoint', async () => {
	if (!folder || !emulator) throw new Error('set-up failed');
	const example = findExample('decline-alert', (wf) =>
		wf.nodes.some((n) => n.type === TRIGGER && triggerEvents(n).includes('transaction.declined')),
	);
	const wf = prepare(example, 'PrivCardsE2eDecl');

	slackToSink(wf);

	expect(await listAll('/webhooks')).toEqual([]);
	await folder.importWorkflows([wf as unknown as Json]);
	await folder.publish('PrivCardsE2eDecl');
	n8n = await folder.start();
	expect(folder.loadedNodeTypes()).toEqual(expect.arrayContaining([ACTION, TRIGGER]));

	// Activation at start: the trigger registered an endpoint at the emulator for n8n's webhook URL.
	const endpoint = await waitFor('the trigger to register its webhook', async () => {
		const list = await listAll<{ id: string; url: string; events: string[] }>('/webhooks');
		return list.length > 0 ? list : undefined;
	});
	expect(endpoint).toHaveLength(1);
	expect(endpoint[0].url.startsWith(`${n8n.baseUrl}/webhook/`)).toBe(true);
	expect(endpoint[0].events).toContain('transaction.declined');
	await n8n.waitForWebhook(endpoint[0].url);

	// A forged delivery is refused and runs nothing.
	const forged = await fetch(endpoint[0].url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-privcards-signature': 'ab'.repeat(32) },
		body: JSON.stringify({
			id: 'evt_forged0001',
			type: 'transaction.declined',
			created_at: new Date().toISOString(),
			data: {},
		}),
	});
	expect(forged.status).toBe(401);

	// A decline: a fresh card with 5.00 on it tries to spend 25.00.
	const bins = await api<{ data: Array<{ id: string }> }>('GET', '/bins');
	const card = await api<Card>('POST', '/cards', {
		bin_id: bins.data[0].id,
		amount: 5,
		label: 'E2E Ads Card',
	});
	const txn = await api<{
		id: string;
		type: string;
		decline_reason: string | null;
		amount: number;
	}>('POST', '/sandbox/authorizations', {
		card_id: card.id,
		amount: 25,
		merchant: { name: 'E2E Merchant Ltd', category: 'advertising', mcc: '7311', country: 'US' },
	});
	expect(txn.type).toBe('decline');
	expect(txn.decline_reason).toBeTruthy();

	const message = await waitFor(
		'the alert at the sink',
		async () => (sunk.length > 0 ? sunk[0] : undefined),
		60_000,
	);
	expect(sunk).toHaveLength(1); // the forged delivery sent nothing
	const body = message.body;
	expect(body).toContain('E2E Ads Card');
	expect(body).toContain(card.last4);
	expect(body).toContain('E2E Merchant Ltd');
	expect(body).toMatch(/25(\.00)?/);
	const reason = String(txn.decline_reason);
	expect(body.toLowerCase()).toMatch(new RegExp(`${reason}|${reason.replace(/_/g, ' ')}`, 'i'));

	// Deactivate through the running n8n: the trigger's delete removes the endpoint at the emulator.
	await n8n.ensureOwner({ email: 'e2e@privcards.test', password: 'E2e-Passw0rd-1' });
	await n8n.deactivate('PrivCardsE2eDecl');
	const gone = await waitFor(
		'the endpoint to be removed',
		async () => {
			const list = await listAll('/webhooks');
			return list.length === 0 ? list : undefined;
		},
		60_000,
	);
	expect(gone).toEqual([]);
	expect(emulator.requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([
		`/webhooks/${endpoint[0].id}`,
	]);

	const executions = await n8n.executions('PrivCardsE2eDecl');
	expect(executions.map((e) => e.status)).toEqual(['success']);
});

test("the credential's test in n8n accepts the sandbox key and refuses an unknown one", async () => {
	if (!n8n || !emulator) throw new Error('set-up failed: n8n is not running');
	await n8n.ensureOwner({ email: 'e2e@privcards.test', password: 'E2e-Passw0rd-1' });
	const testCredential = async (apiKey: string) =>
		await n8n?.rest<{ status: string; message: string }>('POST', 'credentials/test', {
			credentials: {
				id: CREDENTIAL.id,
				name: CREDENTIAL.name,
				type: 'privCardsApi',
				data: { apiKey, baseUrl: emulator?.baseUrl },
			},
		});
	emulator.clearRequests();
	const accepted = await testCredential(emulator.testKey);
	expect(accepted?.data).toMatchObject({ status: 'OK' });
	expect(emulator.requests.map((request) => [request.method, request.path, request.status])).toEqual([
		['GET', '/wallet', 200],
	]);

	const refused = await testCredential('sk_test_notakeythisemulatorknows');
	expect(refused?.data.status).toBe('Error');
	expect(refused?.data.message).toMatch(/API key was refused/);
});

test('the 3DS example forwards the one-time code of a challenge', async () => {
	if (!n8n || !emulator) throw new Error('set-up failed: n8n is not running');
	await n8n.ensureOwner({ email: 'e2e@privcards.test', password: 'E2e-Passw0rd-1' });
	const example = findExample('3DS code forward', (wf) =>
		wf.nodes.some((n) => n.type === TRIGGER && triggerEvents(n).includes('3ds.challenge')),
	);
	const wf = prepare(example, 'PrivCardsE2e3ds');
	slackToSink(wf);
	// n8n is running: the workflow is created and published through its REST API, as the editor does.
	const created = await n8n.rest<{ id: string }>('POST', 'workflows', {
		name: wf.name,
		nodes: wf.nodes,
		connections: wf.connections,
		settings: wf.settings ?? {},
	});
	expect(created.status).toBe(200);
	await n8n.activate(created.data.id);
	const endpoint = await waitFor('the 3DS trigger to register its webhook', async () => {
		const list = await listAll<{ id: string; url: string; events: string[] }>('/webhooks');
		return list.find((registered) => registered.events.includes('3ds.challenge'));
	});
	await n8n.waitForWebhook(endpoint.url);

	const alreadySunk = sunk.length;
	const card = await api<Card>('POST', '/cards', { bin_id: '491653', amount: 50, label: 'E2E 3DS card' });
	await api('POST', '/sandbox/authorizations', {
		card_id: card.id,
		amount: 9.99,
		merchant: { name: 'SPOTIFY', category: 'software' },
		require_3ds: true,
	});
	const challenges = await api<{ data: Array<{ otp: string; merchant: string }> }>('GET', `/3ds?card_id=${card.id}`);
	expect(challenges.data).toHaveLength(1);
	const message = await waitFor('the 3DS code at the sink', async () => sunk[alreadySunk], 60_000);
	expect(message.body).toContain(challenges.data[0].otp);
	expect(message.body).toContain('SPOTIFY');
	expect(message.body).toContain('9.99');

	await n8n.deactivate(created.data.id);
	await waitFor('the 3DS endpoint to be removed', async () => {
		const list = await listAll<{ id: string }>('/webhooks');
		return list.some((registered) => registered.id === endpoint.id) ? undefined : list;
	}, 60_000);
});
