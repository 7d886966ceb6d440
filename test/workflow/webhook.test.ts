import { ALL_EVENTS, HEADERS } from '../../nodes/PrivCards/contract';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '../../nodes/PrivCards/contract';
import {
	expectNotFound,
	expectPaging,
	expectRefused,
	MANY,
	path,
	repeat,
	route,
	startTestApi,
} from './fixtures';
import type { TestApi } from './fixtures';

let api: TestApi;

const create = { resource: 'webhook', operation: 'create' };

async function createEndpoint(url = 'https://example.com/hooks'): Promise<CreatedWebhookEndpoint> {
	return await api.call<CreatedWebhookEndpoint>(
		route('createWebhook'),
		{},
		{ url, events: ['card.created'] },
	);
}

beforeAll(async () => {
	api = await startTestApi();
});

afterAll(async () => await api.stop());

describe('webhook.create', () => {
	it('posts the URL, events and secret with an idempotency key, and outputs the endpoint with its secret', async () => {
		api.clearRequests();
		const result = await api.run({
			...create,
			url: 'https://example.com/privcards',
			events: ['transaction.declined', '3ds.challenge'],
			secret: 'my-own-signing-secret',
		});

		expect(result.error).toBeUndefined();
		const [request] = api.requests();
		expect(api.requests()).toHaveLength(1);
		expect([request.method, request.path, request.status]).toEqual([
			'POST',
			route('createWebhook').path,
			201,
		]);
		expect(request.body).toEqual({
			url: 'https://example.com/privcards',
			events: ['transaction.declined', '3ds.challenge'],
			secret: 'my-own-signing-secret',
		});
		expect(request.headers[HEADERS.idempotencyKey.toLowerCase()]).toMatch(/^n8n_/);
		expect(result.items).toEqual([
			{
				json: {
					id: expect.stringMatching(/^wh_/),
					url: 'https://example.com/privcards',
					events: ['transaction.declined', '3ds.challenge'],
					status: 'enabled',
					created_at: expect.any(String),
					secret: 'my-own-signing-secret',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends only "*" when All Events is among the choices, and outputs the generated secret', async () => {
		api.clearRequests();
		const result = await api.run({
			...create,
			url: 'https://example.com/all',
			events: ['card.created', ALL_EVENTS],
		});

		expect(api.requests().map((request) => request.body)).toEqual([
			{ url: 'https://example.com/all', events: [ALL_EVENTS] },
		]);
		expect(result.items[0].json.secret).toMatch(/^whsec_/);
	});

	it('takes events from an expression as a comma-separated list', async () => {
		api.clearRequests();
		const result = await api.run({
			...create,
			url: 'https://example.com/expr',
			events: '={{ "card.frozen, card.unfrozen" }}',
		});

		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => (request.body as { events: string[] }).events)).toEqual([
			['card.frozen', 'card.unfrozen'],
		]);
	});

	it('accepts plain http on a loopback host, for local testing', async () => {
		for (const url of [
			'http://127.0.0.1:5678/webhook/abc',
			'http://localhost:5678/webhook/abc',
			'http://[::1]:5678/webhook/abc',
		]) {
			api.clearRequests();
			const result = await api.run({ ...create, url, events: ['deposit.confirmed'] });

			expect(result.error).toBeUndefined();
			expect(
				api.requests().map((request) => [request.status, (request.body as { url: string }).url]),
			).toEqual([[201, url]]);
		}
	});

	it('refuses plain http on a public host, before any request', async () => {
		await expectRefused(
			api,
			{ ...create, url: 'http://example.com/hooks', events: ['card.created'] },
			'URL',
			/must use https/,
		);
		await expectRefused(
			api,
			{ ...create, url: 'ftp://example.com/hooks', events: ['card.created'] },
			'URL',
			/https/,
		);
		await expectRefused(
			api,
			{ ...create, url: 'example.com/hooks', events: ['card.created'] },
			'URL',
			/full URL/,
		);
	});

	it('refuses an unknown event, or none, before any request', async () => {
		await expectRefused(
			api,
			{ ...create, url: 'https://example.com/hooks', events: ['card.created', 'card.exploded'] },
			'Events',
			/unknown event type "card\.exploded"/,
		);
		await expectRefused(
			api,
			{ ...create, url: 'https://example.com/hooks', events: '={{ [] }}' },
			'Events',
			/at least one/,
		);
	});
});

describe('webhook.getMany', () => {
	it('walks every page with Return All and stops at the limit; no secrets', async () => {
		await repeat(MANY, async (index) => await createEndpoint(`https://example.com/hooks/${index}`));
		const total = api.emulator.state.webhooks().length;
		expect(total).toBeGreaterThan(MANY);

		await expectPaging(
			api,
			{ resource: 'webhook', operation: 'getMany' },
			route('listWebhooks'),
			total,
		);
		const result = await api.run({ resource: 'webhook', operation: 'getMany', limit: 5 });
		expect(result.items.map((item) => item.json)).toEqual(
			api.emulator.state.webhooks().slice(0, 5),
		);
		expect(result.items.some((item) => 'secret' in item.json)).toBe(false);
	});
});

describe('webhook.get', () => {
	it('gets an endpoint by ID, without its secret', async () => {
		const { secret, ...endpoint } = await createEndpoint();
		api.clearRequests();
		const result = await api.run({ resource: 'webhook', operation: 'get', webhookId: endpoint.id });

		expect(api.requests().map((request) => [request.method, request.path])).toEqual([
			['GET', path(route('getWebhook'), { webhookId: endpoint.id })],
		]);
		expect(result.items).toEqual([
			{ json: endpoint satisfies WebhookEndpoint, pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(result.items)).not.toContain(secret);
	});

	it('maps a 404 to an error with the request ID', async () => {
		await expectNotFound(
			api,
			{ resource: 'webhook', operation: 'get', webhookId: 'wh_0000000000' },
			path(route('getWebhook'), { webhookId: 'wh_0000000000' }),
			'wh_0000000000',
		);
	});
});

describe('webhook.delete', () => {
	it('deletes the endpoint and outputs { deleted: true, id }', async () => {
		const endpoint = await createEndpoint();
		api.clearRequests();
		const result = await api.run({
			resource: 'webhook',
			operation: 'delete',
			webhookId: endpoint.id,
		});

		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => [request.method, request.path, request.status])).toEqual(
			[['DELETE', path(route('deleteWebhook'), { webhookId: endpoint.id }), 200]],
		);
		expect(result.items).toEqual([
			{ json: { deleted: true, id: endpoint.id }, pairedItem: { item: 0 } },
		]);
		expect(api.emulator.state.webhooks().some((webhook) => webhook.id === endpoint.id)).toBe(false);
	});

	it('refuses a path-traversing ID before any request', async () => {
		await expectRefused(
			api,
			{ resource: 'webhook', operation: 'delete', webhookId: 'wh_../../wallet' },
			'Webhook ID',
			/letters and digits/,
		);
	});
});
