import { ROUTES, WEBHOOK_SECRET_PREFIX } from '../../nodes/PrivCards/contract';
import {
	createdWebhookEndpointSchema,
	deletedWebhookEndpointSchema,
	listPageSchema,
	webhookEndpointSchema,
} from '../../emulator/schemas';
import { expectAnswer, expectError, pathOf, useEmulator } from './helpers';

describe('POST /webhooks', () => {
	const bed = useEmulator();

	it('creates an enabled endpoint and answers its generated whsec_ secret once', async () => {
		const response = await bed.client.post(ROUTES.createWebhook.path, {
			url: 'https://yourapp.com/hooks',
			events: ['transaction.authorized', '3ds.challenge'],
		});
		const endpoint = expectAnswer(response, 201, createdWebhookEndpointSchema);
		expect(endpoint).toMatchObject({
			url: 'https://yourapp.com/hooks',
			events: ['transaction.authorized', '3ds.challenge'],
			status: 'enabled',
		});
		expect(endpoint.secret.startsWith(WEBHOOK_SECRET_PREFIX)).toBe(true);
		expect(endpoint.secret.length).toBeGreaterThan(WEBHOOK_SECRET_PREFIX.length + 20);
		const again = await bed.client.post(ROUTES.createWebhook.path, {
			url: 'https://yourapp.com/hooks',
			events: ['*'],
		});
		expect(expectAnswer(again, 201, createdWebhookEndpointSchema).secret).not.toBe(endpoint.secret);
	});

	it('keeps a custom secret, and takes http:// only on loopback hosts', async () => {
		const custom = await bed.client.post(ROUTES.createWebhook.path, {
			url: 'http://127.0.0.1:5678/webhook/abc',
			events: ['*'],
			secret: 'my-secret',
		});
		expect(expectAnswer(custom, 201, createdWebhookEndpointSchema).secret).toBe('my-secret');
		for (const url of ['http://localhost/x', 'http://[::1]:8080/x']) {
			const loopback = await bed.client.post(ROUTES.createWebhook.path, { url, events: ['*'] });
			expect({ url, status: loopback.status }).toEqual({ url, status: 201 });
		}
		const remoteHttp = await bed.client.post(ROUTES.createWebhook.path, {
			url: 'http://example.com/hooks',
			events: ['*'],
		});
		expectError(remoteHttp, 400, 'invalid_request', 'url');
		const ftp = await bed.client.post(ROUTES.createWebhook.path, {
			url: 'ftp://127.0.0.1/hooks',
			events: ['*'],
		});
		expectError(ftp, 400, 'invalid_request', 'url');
	});

	it('refuses a missing url, no events, an unknown event type and an empty secret', async () => {
		const post = (body: object) =>
			bed.client.post(ROUTES.createWebhook.path, {
				url: 'https://a.example/h',
				events: ['*'],
				...body,
			});
		expectError(await post({ url: undefined }), 400, 'invalid_request', 'url');
		expectError(await post({ url: 'not a url' }), 400, 'invalid_request', 'url');
		expectError(await post({ events: [] }), 400, 'invalid_request', 'events');
		expectError(
			await post({ events: ['card.created', 'card.exploded'] }),
			400,
			'invalid_request',
			'events.1',
		);
		expectError(await post({ secret: '' }), 400, 'invalid_request', 'secret');
		expect(bed.emulator.state.webhooks()).toEqual([]);
	});
});

describe('GET /webhooks, GET /webhooks/{webhookId}, DELETE /webhooks/{webhookId}', () => {
	const bed = useEmulator();

	async function createEndpoint(url: string) {
		return expectAnswer(
			await bed.client.post(ROUTES.createWebhook.path, { url, events: ['card.created'] }),
			201,
			createdWebhookEndpointSchema,
		);
	}

	it('lists endpoints newest first and paginated, never with their secret', async () => {
		const first = await createEndpoint('https://a.example/1');
		const second = await createEndpoint('https://a.example/2');
		const page = expectAnswer(
			await bed.client.get(ROUTES.listWebhooks.path, { per_page: 1 }),
			200,
			listPageSchema(webhookEndpointSchema),
		);
		expect(page).toMatchObject({ total: 2, has_more: true, data: [{ id: second.id }] });
		const rest = await bed.client.get(ROUTES.listWebhooks.path, { per_page: 1, page: 2 });
		expect(expectAnswer(rest, 200, listPageSchema(webhookEndpointSchema)).data).toEqual([
			{
				id: first.id,
				url: first.url,
				events: first.events,
				status: 'enabled',
				created_at: first.created_at,
			},
		]);
	});

	it('gets one endpoint without its secret, or 404', async () => {
		const endpoint = await createEndpoint('https://a.example/1');
		const one = await bed.client.get(pathOf(ROUTES.getWebhook, { webhookId: endpoint.id }));
		const answer = expectAnswer(one, 200, webhookEndpointSchema);
		expect(answer).not.toHaveProperty('secret');
		expect(answer.id).toBe(endpoint.id);
		expectError(
			await bed.client.get(pathOf(ROUTES.getWebhook, { webhookId: 'wh_0000000000' })),
			404,
			'not_found',
		);
	});

	it('deletes an endpoint: {id, deleted: true}, then 404', async () => {
		const endpoint = await createEndpoint('https://a.example/1');
		const path = pathOf(ROUTES.deleteWebhook, { webhookId: endpoint.id });
		expect(expectAnswer(await bed.client.delete(path), 200, deletedWebhookEndpointSchema)).toEqual({
			id: endpoint.id,
			deleted: true,
		});
		expectError(await bed.client.get(path), 404, 'not_found');
		expectError(await bed.client.delete(path), 404, 'not_found');
	});
});
