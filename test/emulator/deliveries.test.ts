import { createHmac, timingSafeEqual } from 'node:crypto';

import { HEADERS, ROUTES, WEBHOOK_DELIVERY } from '../../nodes/PrivCards/contract';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { createdWebhookEndpointSchema, webhookEventSchema } from '../../emulator/schemas';
import { Client, createCard, expectAnswer, pathOf } from './helpers';
import { sleep, startReceiver, type Receiver } from './node-helpers';

/** The seed documentation's Python recipe, in node:crypto: HMAC-SHA256 hex of the raw body, compared in constant time. */
function verifyWebhook(payload: Buffer, signature: string, secret: string): boolean {
	const expected = Buffer.from(
		createHmac('sha256', Buffer.from(secret, 'utf8')).update(payload).digest('hex'),
	);
	const given = Buffer.from(signature);
	return expected.length === given.length && timingSafeEqual(expected, given);
}

async function subscribe(client: Client, url: string, events: string[], secret?: string) {
	const response = await client.post(ROUTES.createWebhook.path, { url, events, secret });
	return expectAnswer(response, 201, createdWebhookEndpointSchema);
}

describe('webhook deliveries', () => {
	let emulator: Emulator;
	let client: Client;
	const receivers: Receiver[] = [];

	async function start(statuses: number[] = [], retryFactor = 0.0001) {
		emulator = await startEmulator({ deliveryRetryFactor: retryFactor });
		client = new Client(emulator);
		const receiver = await startReceiver(statuses);
		receivers.push(receiver);
		return receiver;
	}

	afterEach(async () => {
		await emulator.stop();
		await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
	});

	it('POSTs the event signed over the exact raw body, verifiable with the documented recipe', async () => {
		const receiver = await start();
		const endpoint = await subscribe(client, receiver.url, ['card.created'], 'whsec_test_secret');
		const card = await createCard(client);
		await emulator.deliveriesSettled();

		expect(receiver.received).toHaveLength(1);
		const [{ headers, rawBody }] = receiver.received;
		const signature = String(headers[HEADERS.signature.toLowerCase()]);
		expect(signature).toMatch(/^[0-9a-f]{64}$/);
		expect(verifyWebhook(rawBody, signature, endpoint.secret)).toBe(true);
		expect(verifyWebhook(rawBody, signature, 'whsec_other')).toBe(false);
		expect(
			verifyWebhook(
				Buffer.from(rawBody.toString().replace('"active"', '"frozen"')),
				signature,
				endpoint.secret,
			),
		).toBe(false);

		const event = webhookEventSchema.parse(JSON.parse(rawBody.toString('utf8')));
		expect(event).toEqual(emulator.events[0]);
		expect(event).toMatchObject({ type: 'card.created', data: card });
		expect(headers['content-type']).toBe('application/json');
		expect(headers[HEADERS.event.toLowerCase()]).toBe('card.created');
		expect(headers[HEADERS.delivery.toLowerCase()]).toBe(event.id);
		expect(emulator.deliveries).toEqual([
			expect.objectContaining({
				endpointId: endpoint.id,
				eventId: event.id,
				attempt: 1,
				status: 200,
				error: null,
			}),
		]);
	});

	it('delivers only the subscribed types, all of them for "*", and nothing to a deleted endpoint', async () => {
		const receiver = await start();
		const other = await startReceiver();
		receivers.push(other);
		await subscribe(client, `${receiver.url}/frozen`, ['card.frozen']);
		await subscribe(client, `${receiver.url}/all`, ['*']);
		const gone = await subscribe(client, other.url, ['*']);
		await client.delete(pathOf(ROUTES.deleteWebhook, { webhookId: gone.id }));

		const card = await createCard(client);
		await client.post(pathOf(ROUTES.freezeCard, { cardId: card.id }));
		await emulator.deliveriesSettled();

		const seen = emulator.deliveries
			.map((attempt) => `${new URL(attempt.url).pathname} ${attempt.eventType}`)
			.sort();
		expect(seen).toEqual([
			'/hooks/all card.created',
			'/hooks/all card.frozen',
			'/hooks/frozen card.frozen',
		]);
		expect(other.received).toHaveLength(0);
	});

	it('retries the same event on the scaled schedule until a 2xx', async () => {
		const factor = 0.0002;
		const receiver = await start([500, 503], factor);
		await subscribe(client, receiver.url, ['card.created']);
		await createCard(client);
		await emulator.deliveriesSettled();

		expect(emulator.deliveries.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
			[1, 500],
			[2, 503],
			[3, 200],
		]);
		const bodies = new Set(receiver.received.map((delivery) => delivery.rawBody.toString()));
		const signatures = new Set(
			receiver.received.map((delivery) => delivery.headers[HEADERS.signature.toLowerCase()]),
		);
		expect([bodies.size, signatures.size, receiver.received.length]).toEqual([1, 1, 3]);
		const [first, second, third] = emulator.deliveries.map((attempt) => attempt.startedAt);
		const [firstDelay, secondDelay] = WEBHOOK_DELIVERY.retryDelaysSeconds.map(
			(seconds) => seconds * 1000 * factor,
		);
		expect(second - first).toBeGreaterThanOrEqual(Math.floor(firstDelay));
		expect(third - second).toBeGreaterThanOrEqual(Math.floor(secondDelay));
	});

	it('gives up after 5 attempts, and logs an unreachable endpoint as an error', async () => {
		const receiver = await start(Array(10).fill(500), 0.00001);
		await subscribe(client, receiver.url, ['card.created']);
		const unreachable = await startReceiver();
		await unreachable.close();
		await subscribe(client, unreachable.url, ['card.created']);
		await createCard(client);
		await emulator.deliveriesSettled();

		const byUrl = (url: string) => emulator.deliveries.filter((attempt) => attempt.url === url);
		expect(byUrl(receiver.url).map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4, 5]);
		expect(receiver.received).toHaveLength(5);
		expect(byUrl(unreachable.url)).toHaveLength(5);
		expect(byUrl(unreachable.url)[0]).toMatchObject({ status: null, error: 'ECONNREFUSED' });
	});

	it('cancels pending retries on stop', async () => {
		const firstRetryMs = 100;
		const receiver = await start(
			[500],
			firstRetryMs / 1000 / WEBHOOK_DELIVERY.retryDelaysSeconds[0],
		);
		await subscribe(client, receiver.url, ['card.created']);
		await createCard(client);
		while (emulator.deliveries.length === 0) await sleep(5);
		await emulator.stop();
		await sleep(firstRetryMs * 2);
		expect(emulator.deliveries).toHaveLength(1);
		expect(receiver.received).toHaveLength(1);
		await emulator.deliveriesSettled();
	});
});
