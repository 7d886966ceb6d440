/**
 * The PrivCards Trigger end to end: n8n-core's own hook and webhook contexts (harness/trigger.ts), the
 * emulator as the API and as the signer of every delivery, and a loopback HTTP server as n8n's webhook URL.
 */
import { createHmac } from 'node:crypto';

import { HEADERS, ROUTES, TEST_KEY_PREFIX } from '../../nodes/PrivCards/contract';
import { secretFingerprint } from '../../nodes/PrivCards/trigger';
import type { Card, CreateWebhookBody, WebhookEvent } from '../../nodes/PrivCards/contract';
import { startEmulator } from '../../emulator/emulator';
import type { Emulator, EmulatorOptions } from '../../emulator/emulator';
import { TriggerHarness } from '../../harness/trigger';
import type { PostResult, ReceivedRequest, TriggerHarnessOptions } from '../../harness/trigger';
import { authorize, Client, createCard, pathOf } from '../emulator/helpers';

/** Retries after 6 ms, 30 ms, 180 ms, 720 ms instead of 1 min, 5 min, 30 min, 2 h. */
const RETRY_FACTOR = 0.0001;
const SIGNATURE = HEADERS.signature.toLowerCase();
const HOUR_MS = 3_600_000;

interface Bed {
	emulator: Emulator;
	client: Client;
	trigger: TriggerHarness;
	card: Card;
}

const running: Array<{ stop(): Promise<void> }> = [];

afterEach(async () => {
	await Promise.all(running.splice(0).map(async (item) => await item.stop()));
});

async function setUp(
	events: string[],
	options: { emulator?: EmulatorOptions; trigger?: Partial<TriggerHarnessOptions> } = {},
): Promise<Bed> {
	const emulator = await startEmulator({ deliveryRetryFactor: RETRY_FACTOR, ...options.emulator });
	running.push(emulator);
	const trigger = await TriggerHarness.start({
		credential: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
		events,
		...options.trigger,
	});
	running.push(trigger);
	const client = new Client(emulator);
	// A card with $10 on it: a $50 payment is declined, a $5 one authorized.
	const card = await createCard(client, { amount: 10 });
	return { emulator, client, trigger, card };
}

/**
 * A payment the card's balance refuses; resolves once every delivery (and retry) of its events is over, and what
 * n8n does after answering (stopping a test listener) too.
 */
async function decline(bed: Bed): Promise<WebhookEvent> {
	const transaction = await authorize(bed.client, bed.card, { amount: 50 });
	expect(transaction.type).toBe('decline');
	await bed.emulator.deliveriesSettled();
	await bed.trigger.idle();
	return lastEvent(bed.emulator, 'transaction.declined');
}

function lastEvent(emulator: Emulator, type: string): WebhookEvent {
	const event = [...emulator.events].reverse().find((candidate) => candidate.type === type);
	if (event === undefined) throw new Error(`The emulator emitted no ${type}`);
	return event;
}

function sign(rawBody: Buffer | string, secret: string): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** The delivered body with another event id: the same event content, not a replay of the delivered one. */
function withNewId(request: ReceivedRequest, id = 'evt_Fresh00001'): Buffer {
	const event = JSON.parse(request.rawBody.toString('utf8')) as WebhookEvent;
	return Buffer.from(JSON.stringify({ ...event, id }), 'utf8');
}

/** An activated trigger for declines that has received and run one real decline. */
async function withOneDecline(): Promise<Bed & { delivered: ReceivedRequest }> {
	const bed = await setUp(['transaction.declined']);
	await bed.trigger.activate();
	await decline(bed);
	expect(bed.trigger.executions).toHaveLength(1);
	const delivered = bed.trigger.received[0];
	return { ...bed, delivered };
}

describe('activation', () => {
	it('registers exactly one endpoint for the production URL, with the chosen events and a fresh 32-byte secret', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined', '3ds.challenge']);

		expect(await trigger.activate()).toEqual({ existed: false });

		const endpoints = emulator.state.webhooks();
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0]).toMatchObject({
			url: trigger.webhookUrl,
			events: ['3ds.challenge', 'transaction.declined'],
		});
		const creates = emulator.requests.filter(
			(request) => request.method === 'POST' && request.path === ROUTES.createWebhook.path,
		);
		expect(creates).toHaveLength(1);
		const body = creates[0].body as CreateWebhookBody;
		expect(body.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
		expect(trigger.nodeStaticData).toEqual({
			production: {
				endpointId: endpoints[0].id,
				url: trigger.webhookUrl,
				events: ['3ds.challenge', 'transaction.declined'],
				secretFingerprint: secretFingerprint(body.secret as string),
			},
		});
	});

	it('finds its endpoint again on the next start and registers nothing more', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const endpointId = trigger.recordedEndpointId;

		expect(await trigger.activate('init')).toEqual({ existed: true });

		expect(emulator.state.webhooks().map((endpoint) => endpoint.id)).toEqual([endpointId]);
		expect(trigger.recordedEndpointId).toBe(endpointId);
	});

	it('registers "*" alone when all events are chosen', async () => {
		const { emulator, trigger } = await setUp(['*', 'card.created']);
		await trigger.activate();
		expect(emulator.state.webhooks()[0].events).toEqual(['*']);
	});

	it('refuses to activate without events, before any request', async () => {
		const { emulator, trigger } = await setUp([]);
		emulator.clearRequests();
		await expect(trigger.activate()).rejects.toThrow('Choose at least one event');
		expect(emulator.requests.filter((request) => request.method === 'POST')).toEqual([]);
		expect(emulator.state.webhooks()).toEqual([]);
	});

	it('re-creates an endpoint deleted behind n8n’s back, with the same derived secret, and its deliveries verify', async () => {
		const bed = await setUp(['transaction.declined']);
		const { emulator, client, trigger } = bed;
		await trigger.activate();
		const oldId = trigger.recordedEndpointId as string;
		const oldSecret = trigger.signingSecret;
		expect((await client.delete(pathOf(ROUTES.deleteWebhook, { webhookId: oldId }))).status).toBe(
			200,
		);

		expect(await trigger.activate('init')).toEqual({ existed: false });

		const endpoints = emulator.state.webhooks();
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0].id).not.toBe(oldId);
		expect(trigger.recordedEndpointId).toBe(endpoints[0].id);

		expect(
			emulator.requests.filter((request) => request.method === 'POST').at(-1)?.body,
		).toMatchObject({
			secret: oldSecret,
		});
		await decline(bed);
		expect(trigger.executions).toHaveLength(1);
	});

	it('replaces the endpoint when the chosen events changed: the stale one is deleted, one remains', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const oldId = trigger.recordedEndpointId;

		trigger.setEvents(['transaction.authorized', 'transaction.declined']);
		expect(await trigger.activate('update')).toEqual({ existed: false });

		const endpoints = emulator.state.webhooks();
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0].id).not.toBe(oldId);
		expect(endpoints[0].events).toEqual(['transaction.authorized', 'transaction.declined']);
	});

	it('deletes an endpoint at its URL whose secret it does not know (static data lost) and registers a new one', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const oldId = trigger.recordedEndpointId;
		trigger.storedStaticData = {};

		expect(await trigger.activate('init')).toEqual({ existed: false });

		const endpoints = emulator.state.webhooks();
		expect(endpoints.map((endpoint) => endpoint.id)).toEqual([trigger.recordedEndpointId]);
		expect(endpoints[0].id).not.toBe(oldId);
	});
});

describe('deactivation', () => {
	it('leaves no endpoint behind after 50 activate/deactivate cycles', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		emulator.clearRequests();

		for (let cycle = 0; cycle < 50; cycle++) {
			await trigger.activate();
			expect(emulator.state.webhooks()).toHaveLength(1);
			await trigger.deactivate();
			expect(trigger.nodeStaticData).toEqual({});
		}

		expect(emulator.state.webhooks()).toEqual([]);
		const calls = (method: string) =>
			emulator.requests.filter(
				(request) =>
					request.method === method &&
					request.path.startsWith('/webhooks') &&
					(request.status ?? 500) < 300,
			).length;
		expect({ creates: calls('POST'), deletes: calls('DELETE') }).toEqual({
			creates: 50,
			deletes: 50,
		});
	});

	it('clears static data when its endpoint is already gone, deleting nothing else', async () => {
		const { client, emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const endpointId = trigger.recordedEndpointId as string;
		await client.delete(pathOf(ROUTES.deleteWebhook, { webhookId: endpointId }));

		await trigger.deactivate();

		const deletes = emulator.requests.filter((request) => request.method === 'DELETE');
		expect(deletes.map((request) => request.status)).toEqual([200]);
		expect(trigger.nodeStaticData).toEqual({});
		expect(emulator.state.webhooks()).toEqual([]);
	});

	it('deletes every endpoint at its URL whatever static data says (lost, or an older endpoint’s state)', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const older = JSON.parse(
			JSON.stringify(trigger.storedStaticData),
		) as typeof trigger.storedStaticData;
		trigger.setEvents(['transaction.declined', 'card.frozen']);
		await trigger.activate('update');
		expect(emulator.state.webhooks()).toHaveLength(1);
		trigger.storedStaticData = older;

		await trigger.deactivate();

		expect(emulator.state.webhooks()).toEqual([]);
	});

	it('surfaces any other failure and keeps the endpoint in static data', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const endpointId = trigger.recordedEndpointId;
		const revokedKey = `${TEST_KEY_PREFIX}revoked0000000000`;
		trigger.credential = { ...trigger.credential, apiKey: revokedKey };

		await expect(trigger.deactivate()).rejects.toMatchObject({ httpCode: '401' });

		expect(trigger.recordedEndpointId).toBe(endpointId);
		expect(emulator.state.webhooks()).toHaveLength(1);
	});
});

describe('listening for a test event while the workflow is active', () => {
	function urls(emulator: Emulator): string[] {
		return emulator.state
			.webhooks()
			.map((endpoint) => endpoint.url)
			.sort();
	}

	it('registers a second endpoint at the test URL, then removes only that one', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const production = { ...trigger.nodeStaticData };

		expect(await trigger.listenForTestEvent()).toEqual({ existed: false });
		expect(urls(emulator)).toEqual([trigger.webhookUrl, trigger.webhookTestUrl].sort());
		expect(trigger.nodeStaticData).toEqual(production);

		await trigger.stopListening();
		expect(urls(emulator)).toEqual([trigger.webhookUrl]);
		expect(trigger.nodeStaticData).toEqual(production);
	});

	it('leaves the production endpoint alone when n8n removes the test webhook with the production state in hand', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		await trigger.listenForTestEvent();

		await trigger.stopListening('stored');
		expect(urls(emulator)).toContain(trigger.webhookUrl);

		// The test endpoint left behind is replaced at the next listen, and removed with it.
		await trigger.listenForTestEvent();
		expect(urls(emulator)).toEqual([trigger.webhookUrl, trigger.webhookTestUrl].sort());
		await trigger.stopListening();
		expect(urls(emulator)).toEqual([trigger.webhookUrl]);
	});

	it('runs each event once in the test run and once in the published workflow: the production delivery is not swallowed', async () => {
		const bed = await setUp(['transaction.declined']);
		const { emulator, trigger } = bed;
		await trigger.activate();
		await trigger.listenForTestEvent();

		const event = await decline(bed);

		expect(emulator.deliveries.map((attempt) => attempt.status)).toEqual([200, 200]);
		const ids = (executions: Array<Array<{ json: { id?: unknown } }>>) =>
			executions.map((items) => items.map((item) => item.json.id));
		expect({ production: ids(trigger.executions), test: ids(trigger.testExecutions) }).toEqual({
			production: [[event.id]],
			test: [[event.id]],
		});
		// n8n stops listening once the test delivery ran: the test endpoint is gone, production's is kept.
		expect(urls(emulator)).toEqual([trigger.webhookUrl]);
		expect(trigger.recordedEndpointId).toBe(emulator.state.webhooks()[0].id);

		// A repeat to production is still dropped, and production keeps running new events.
		const production = trigger.received.find((request) => request.kind === 'production');
		if (production === undefined) throw new Error('no production delivery');
		const replay = await trigger.resend(production);
		expect(JSON.parse(replay.body)).toEqual({ received: true, ignored: 'replayed' });
		const next = await decline(bed);
		expect(ids(trigger.executions)).toEqual([[event.id], [next.id]]);
		expect(trigger.testExecutions).toHaveLength(1);
	});

	it('keeps test and production runs apart in n8n’s deduplication store too (a repeat reaching another process)', async () => {
		const bed = await setUp(['transaction.declined']);
		const { trigger } = bed;
		await trigger.activate();
		await trigger.listenForTestEvent();
		const event = await decline(bed);
		const item = { json: event as unknown as Record<string, never> };
		const fresh = { json: { ...item.json, id: 'evt_OtherProc01' } };

		// The same event again, each kind's execution on a process that never saw it: dropped in both.
		expect(await trigger.runExecution([item], 'production')).toEqual([]);
		expect(await trigger.runExecution([item], 'test')).toEqual([]);
		// A new event a test run took first still runs once in production, and once only.
		expect((await trigger.runExecution([fresh], 'test')).map((passed) => passed.json.id)).toEqual([
			'evt_OtherProc01',
		]);
		expect(
			(await trigger.runExecution([fresh], 'production')).map((passed) => passed.json.id),
		).toEqual(['evt_OtherProc01']);
		expect(await trigger.runExecution([fresh], 'production')).toEqual([]);
	});

	it('keeps the production record when static data written by the test registration is saved', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		const productionId = trigger.recordedEndpointId;

		await trigger.listenForTestEvent({ saveStaticData: true });

		expect(trigger.recordedEndpointId).toBe(productionId);
		expect(await trigger.activate('init')).toEqual({ existed: true });
		await trigger.stopListening();
		expect(emulator.state.webhooks().map((endpoint) => endpoint.id)).toEqual([productionId]);
		expect(await trigger.activate('init')).toEqual({ existed: true });
	});
});

describe('deliveries', () => {
	it('turns a simulated decline into one item { id, type, created_at, data }', async () => {
		const bed = await setUp(['transaction.declined']);
		await bed.trigger.activate();

		const event = await decline(bed);

		expect(bed.trigger.executions).toHaveLength(1);
		const [items] = bed.trigger.executions;
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			id: event.id,
			type: 'transaction.declined',
			created_at: event.created_at,
			data: event.data,
		});
		expect(items[0].json.data).toMatchObject({
			type: 'decline',
			decline_reason: 'insufficient_balance',
			card_id: bed.card.id,
		});
		expect(bed.emulator.deliveries.map((attempt) => attempt.status)).toEqual([200]);
	});

	it('outputs only the event’s data when asked to', async () => {
		const bed = await setUp(['transaction.declined'], {
			trigger: { options: { outputDataOnly: true } },
		});
		await bed.trigger.activate();

		const event = await decline(bed);

		expect(bed.trigger.executions.map((items) => items.map((item) => item.json))).toEqual([
			[event.data],
		]);
	});

	it('runs a delivery retried after n8n was down once, and acknowledges it', async () => {
		const bed = await setUp(['transaction.declined']);
		await bed.trigger.activate();
		bed.trigger.refuseNext = 2;

		await decline(bed);

		expect(bed.emulator.deliveries.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
		expect(bed.trigger.executions).toHaveLength(1);
	});

	it('answers a repeat reaching the same process 200 and starts nothing, writing no static data', async () => {
		const { trigger, delivered } = await withOneDecline();
		const saves = trigger.staticDataSaves;

		const replay = await trigger.resend(delivered);

		expect({ status: replay.status, body: JSON.parse(replay.body) }).toEqual({
			status: 200,
			body: { received: true, ignored: 'replayed' },
		});
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.staticDataSaves).toBe(saves);
		expect(trigger.nodeStaticData).not.toHaveProperty('seenEvents');
	});

	it('drops, in its step of the execution, a repeat another n8n process accepted: the next node gets nothing', async () => {
		const { trigger, delivered } = await withOneDecline();
		const event = JSON.parse(delivered.rawBody.toString('utf8')) as WebhookEvent;
		const item = { json: event as unknown as Record<string, never> };

		expect(await trigger.runExecution([item])).toEqual([]);
		const other = await trigger.runExecution([{ json: { ...item.json, id: 'evt_Another001' } }]);
		expect(other.map((passed) => passed.json.id)).toEqual(['evt_Another001']);
	});

	it('verifies deliveries whatever static data says: lost, or overwritten with an older endpoint’s state', async () => {
		const { trigger, delivered } = await withOneDecline();
		const older = { ...trigger.storedStaticData };
		trigger.setEvents(['transaction.declined', 'card.frozen']);
		await trigger.activate('update');

		const secret = trigger.signingSecret;
		const signed = (id: string): Promise<PostResult> => {
			const rawBody = withNewId(delivered, id);
			return trigger.resend(delivered, {
				rawBody,
				headers: { [SIGNATURE]: sign(rawBody, secret) },
			});
		};

		trigger.storedStaticData = {};
		const afterLoss = await signed('evt_AfterLoss1');
		trigger.storedStaticData = older;
		const afterOverwrite = await signed('evt_AfterOld01');

		expect([afterLoss.status, afterOverwrite.status]).toEqual([200, 200]);
		expect(trigger.executions.map((items) => items.map((item) => item.json.id))).toEqual([
			[JSON.parse(delivered.rawBody.toString('utf8')).id],
			['evt_AfterLoss1'],
			['evt_AfterOld01'],
		]);
	});

	it('accepts another event signed with its secret, with or without a sha256= prefix (the control for the refusals)', async () => {
		const { trigger, delivered } = await withOneDecline();
		const secret = trigger.signingSecret;
		const first = withNewId(delivered, 'evt_Control001');
		const second = withNewId(delivered, 'evt_Control002');

		expect(
			(
				await trigger.resend(delivered, {
					rawBody: first,
					headers: { [SIGNATURE]: sign(first, secret) },
				})
			).status,
		).toBe(200);
		expect(
			(
				await trigger.resend(delivered, {
					rawBody: second,
					headers: { [SIGNATURE]: `sha256=${sign(second, secret)}` },
				})
			).status,
		).toBe(200);

		expect(trigger.executions).toHaveLength(3);
	});

	it('answers 401 and starts nothing for a tampered body', async () => {
		const { trigger, delivered } = await withOneDecline();
		const tampered = Buffer.from(
			delivered.rawBody.toString('utf8').replace('"amount":50', '"amount":5'),
			'utf8',
		);
		expect(tampered.equals(delivered.rawBody)).toBe(false);

		const result = await trigger.resend(delivered, { rawBody: tampered });

		expect(result.status).toBe(401);
		expect(trigger.executions).toHaveLength(1);
	});

	it('answers 401 and starts nothing for a body signed with another secret', async () => {
		const { trigger, delivered } = await withOneDecline();
		const body = withNewId(delivered);

		const result = await trigger.resend(delivered, {
			rawBody: body,
			headers: { [SIGNATURE]: sign(body, 'whsec_not_the_secret') },
		});

		expect(result.status).toBe(401);
		expect(trigger.executions).toHaveLength(1);
	});

	it('answers 401 and starts nothing without a signature header', async () => {
		const { trigger, delivered } = await withOneDecline();

		const result = await trigger.resend(delivered, {
			rawBody: withNewId(delivered),
			headers: { [SIGNATURE]: undefined },
		});

		expect(result.status).toBe(401);
		expect(trigger.executions).toHaveLength(1);
	});

	it('answers 400 and starts nothing for a validly signed body that is not an event', async () => {
		const { trigger, delivered } = await withOneDecline();
		const secret = trigger.signingSecret;

		for (const body of [
			'{"hello":"world"}',
			'[]',
			'{"id":"evt_Fresh00001","type":"transaction.declined","data":{}}',
		]) {
			const result = await trigger.resend(delivered, {
				rawBody: Buffer.from(body),
				headers: { [SIGNATURE]: sign(body, secret) },
			});
			expect(result.status).toBe(400);
		}
		const text = await trigger.resend(delivered, {
			rawBody: Buffer.from('not json'),
			headers: { [SIGNATURE]: sign('not json', secret), 'content-type': 'text/plain' },
		});
		expect(text.status).toBe(400);
		expect(trigger.executions).toHaveLength(1);
	});

	it('acknowledges and drops an event whose created_at is older than the tolerance', async () => {
		const sevenHoursAgo = () => new Date(Date.now() - 7 * HOUR_MS);
		const bed = await setUp(['transaction.declined'], { emulator: { now: sevenHoursAgo } });
		await bed.trigger.activate();

		await decline(bed);

		expect(bed.trigger.received.map((request) => request.status)).toEqual([200]);
		expect(bed.emulator.deliveries.map((attempt) => attempt.status)).toEqual([200]);
		expect(bed.trigger.executions).toEqual([]);
	});

	it('runs that same 7-hour-old event when the tolerance is 8 hours (the control)', async () => {
		const sevenHoursAgo = () => new Date(Date.now() - 7 * HOUR_MS);
		const bed = await setUp(['transaction.declined'], {
			emulator: { now: sevenHoursAgo },
			trigger: { options: { toleranceMinutes: 8 * 60 } },
		});
		await bed.trigger.activate();

		await decline(bed);

		expect(bed.trigger.executions).toHaveLength(1);
	});

	it('acknowledges and drops an event type that is not chosen', async () => {
		const bed = await setUp(['transaction.declined', 'transaction.authorized']);
		await bed.trigger.activate();
		// The workflow now wants declines only; the endpoint still subscribes to both.
		bed.trigger.setEvents(['transaction.declined']);

		const payment = await authorize(bed.client, bed.card, { amount: 5 });
		expect(payment.type).toBe('authorization');
		await bed.emulator.deliveriesSettled();
		expect(bed.emulator.deliveries.map((attempt) => [attempt.eventType, attempt.status])).toEqual([
			['transaction.authorized', 200],
		]);
		expect(bed.trigger.executions).toEqual([]);

		await decline(bed);
		expect(bed.trigger.executions.map((items) => items[0].json.type)).toEqual([
			'transaction.declined',
		]);
	});

	it('is no longer served once deactivated (404), starting nothing', async () => {
		const { trigger, delivered } = await withOneDecline();
		await trigger.deactivate();

		const result = await trigger.resend(delivered, { rawBody: withNewId(delivered) });

		expect(result.status).toBe(404);
		expect(trigger.executions).toHaveLength(1);
	});
});

describe('the signing secret', () => {
	const SECOND_KEY = `${TEST_KEY_PREFIX}rotated0second000`;

	/** A fresh event like `request`'s, signed with `secret`, sent to the production URL. */
	async function signedWith(
		trigger: TriggerHarness,
		request: ReceivedRequest,
		secret: string,
		id: string,
	): Promise<PostResult> {
		const rawBody = withNewId(request, id);
		return await trigger.resend(request, {
			rawBody,
			headers: { [SIGNATURE]: sign(rawBody, secret) },
		});
	}

	/** The secrets the trigger registered endpoints with, oldest first, as the API received them. */
	function registeredSecrets(emulator: Emulator): string[] {
		return emulator.requests
			.filter((request) => request.method === 'POST' && request.path === ROUTES.createWebhook.path)
			.map((request) => (request.body as CreateWebhookBody).secret as string);
	}

	it('keeps no secret in static data, only its fingerprint', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined']);
		await trigger.activate();
		await trigger.listenForTestEvent({ saveStaticData: true });

		const secrets = registeredSecrets(emulator);
		expect(secrets).toHaveLength(2);
		const stored = JSON.stringify(trigger.storedStaticData);
		for (const secret of secrets) {
			expect(stored).not.toContain(secret.slice('whsec_'.length, 'whsec_'.length + 16));
		}
		expect(secrets).toEqual([
			trigger.signingSecretOf('production'),
			trigger.signingSecretOf('test'),
		]);
	});

	it('after the API key changed: the old secret stops verifying at once, and activation registers under the new key', async () => {
		const bed = await setUp(['transaction.declined'], {
			emulator: { apiKeys: [`${TEST_KEY_PREFIX}emulator0offline00000`, SECOND_KEY] },
		});
		const { emulator, trigger } = bed;
		await trigger.activate();
		await decline(bed);
		const delivered = trigger.received[0];
		const [oldSecret] = registeredSecrets(emulator);
		const oldId = trigger.recordedEndpointId;

		trigger.credential = { ...trigger.credential, apiKey: SECOND_KEY };
		const warn = jest.spyOn(await trigger.contextLogger(), 'warn');
		const forged = await signedWith(trigger, delivered, oldSecret, 'evt_OldSecret1');
		expect(forged.status).toBe(401);
		expect(warn.mock.calls.map(([message]) => message)).toEqual([
			expect.stringContaining("the credential's API key changed"),
		]);
		warn.mockRestore();

		expect(await trigger.activate('init')).toEqual({ existed: false });
		const endpoints = emulator.state.webhooks();
		expect(endpoints.map((endpoint) => endpoint.id)).toEqual([trigger.recordedEndpointId]);
		expect(endpoints[0].id).not.toBe(oldId);
		expect((await signedWith(trigger, delivered, oldSecret, 'evt_OldSecret2')).status).toBe(401);
		await decline(bed);
		expect(trigger.executions).toHaveLength(2);
		expect(await trigger.activate('init')).toEqual({ existed: true });
		expect(registeredSecrets(emulator).at(-1)).toBe(
			trigger.signingSecretOf('production', SECOND_KEY),
		);
	});

	it('verifies in a process that builds another webhook URL (no WEBHOOK_URL) even with static data lost', async () => {
		const bed = await setUp(['transaction.declined']);
		const { trigger } = bed;
		await trigger.activate();
		trigger.receiverWebhookBaseUrl = 'http://localhost:5678/webhook';
		trigger.storedStaticData = {};

		await decline(bed);

		expect(bed.emulator.deliveries.map((attempt) => attempt.status)).toEqual([200]);
		expect(trigger.executions).toHaveLength(1);
	});
});

describe('finding its endpoint in the API’s list', () => {
	const webhookCalls = (emulator: Emulator, method: string): number =>
		emulator.requests.filter(
			(request) => request.method === method && request.path.startsWith('/webhooks'),
		).length;

	it('keeps one endpoint when the API stores the URL normalised (trailing slash added): no duplicate, no orphan', async () => {
		const bed = await setUp(['transaction.declined'], {
			emulator: { webhookEndpoints: { normalizeUrls: true } },
		});
		const { emulator, trigger } = bed;
		await trigger.activate();
		expect(emulator.state.webhooks().map((endpoint) => endpoint.url)).toEqual([
			`${trigger.webhookUrl}/`,
		]);

		expect(await trigger.activate('init')).toEqual({ existed: true });
		await decline(bed);
		expect(trigger.executions).toHaveLength(1);
		await trigger.listenForTestEvent();
		await trigger.stopListening();
		expect(emulator.state.webhooks().map((endpoint) => endpoint.id)).toEqual([
			trigger.recordedEndpointId,
		]);

		await trigger.deactivate();
		expect(emulator.state.webhooks()).toEqual([]);
		expect(webhookCalls(emulator, 'POST')).toBe(webhookCalls(emulator, 'DELETE'));
	});

	it('recognises its endpoint by the ID it recorded when the API rewrote the URL beyond recognition', async () => {
		const { emulator, trigger } = await setUp(['transaction.declined'], {
			emulator: {
				webhookEndpoints: { normalizeUrls: (url) => url.replace('/webhook/', '/Webhook/') },
			},
		});
		await trigger.activate();
		const endpointId = trigger.recordedEndpointId;

		expect(await trigger.activate('init')).toEqual({ existed: true });
		expect(emulator.state.webhooks().map((endpoint) => endpoint.id)).toEqual([endpointId]);
		trigger.setEvents(['transaction.declined', 'card.frozen']);
		expect(await trigger.activate('update')).toEqual({ existed: false });
		expect(emulator.state.webhooks().map((endpoint) => endpoint.id)).toEqual([
			trigger.recordedEndpointId,
		]);

		await trigger.deactivate();
		expect(emulator.state.webhooks()).toEqual([]);
	});

	it.each([
		['with has_more', { maxPerPage: 2 }],
		['without has_more', { maxPerPage: 2, omitHasMore: true }],
	])(
		'reads every page when the API answers fewer per page than asked (%s)',
		async (_, webhookEndpoints) => {
			const { client, emulator, trigger } = await setUp(['transaction.declined'], {
				emulator: { webhookEndpoints },
			});
			await trigger.activate();
			const endpointId = trigger.recordedEndpointId;
			// Newer endpoints of other URLs push the trigger's own onto the last page (lists are newest first).
			for (let index = 0; index < 5; index++) {
				const created = await client.post(ROUTES.createWebhook.path, {
					url: `https://example.com/other-${index}`,
					events: ['card.created'],
				});
				expect(created.status).toBe(201);
			}

			expect(await trigger.activate('init')).toEqual({ existed: true });
			expect(emulator.state.webhooks()).toHaveLength(6);
			await trigger.deactivate();
			const left = emulator.state.webhooks();
			expect(left).toHaveLength(5);
			expect(left.map((endpoint) => endpoint.id)).not.toContain(endpointId);
		},
	);
});
