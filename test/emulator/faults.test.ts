import { HEADERS, ROUTES } from '../../nodes/PrivCards/contract';
import { NO_RATE_LIMITS } from '../../emulator/emulator';
import { cardAndWalletSchema } from '../../emulator/schemas';
import {
	createCard,
	expectAnswer,
	expectError,
	pathOf,
	useEmulator,
	withEmulator,
} from './helpers';

const keyed = (key: string) => ({ [HEADERS.idempotencyKey]: key });

describe('fault injection', () => {
	const bed = useEmulator();

	it('answers an injected status the given number of times, with Retry-After, and no effect', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const fault = bed.emulator.faults.inject({
			method: 'POST',
			path: '/cards/*/fund',
			status: 503,
			times: 2,
			retryAfterSeconds: 2,
		});
		const path = pathOf(ROUTES.fundCard, { cardId: card.id });
		const answers = [];
		for (let attempt = 0; attempt < 3; attempt++)
			answers.push(await bed.client.post(path, { amount: 50 }, keyed('fund')));
		expectError(answers[0], 503, 'service_unavailable');
		expect(answers.map((answer) => [answer.status, answer.headers.get('retry-after')])).toEqual([
			[503, '2'],
			[503, '2'],
			[200, null],
		]);
		expect(answers[2].headers.get('idempotent-replayed')).toBeNull();
		expect(expectAnswer(answers[2], 200, cardAndWalletSchema).card.balance).toBe(150);
		expect(fault.remaining).toBe(0);
		expect(bed.emulator.events.filter((event) => event.type === 'card.funded')).toHaveLength(1);
	});

	it('matches by method and by a route pattern, and answers a custom slug, message or raw body', async () => {
		const card = await createCard(bed.client);
		bed.emulator.faults.inject({
			method: 'POST',
			path: ROUTES.freezeCard.path,
			status: 429,
			error: 'rate_limited',
			message: 'Slow down',
		});
		expect((await bed.client.get(pathOf(ROUTES.getCard, { cardId: card.id }))).status).toBe(200);
		const limited = await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: card.id }));
		expectError(limited, 429, 'rate_limited');
		expect((limited.body as { message: string }).message).toBe('Slow down');

		bed.emulator.faults.inject({ path: '/wallet', status: 502, body: { upstream: 'down' } });
		const raw = await bed.client.get(ROUTES.getWallet.path);
		expect({ status: raw.status, body: raw.body }).toEqual({
			status: 502,
			body: { upstream: 'down' },
		});
		expect(raw.headers.get('x-request-id')).toMatch(/^req_/);
		expect((await bed.client.get(ROUTES.getWallet.path)).status).toBe(200);
	});

	it('adds latency with delayMs', async () => {
		bed.emulator.faults.inject({ path: '/bins', delayMs: 120 });
		const started = Date.now();
		expect((await bed.client.get(ROUTES.listBins.path)).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(115);
	});

	it('resets the connection before processing: no answer and no effect', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		bed.emulator.faults.inject({
			path: '/cards/{cardId}/fund',
			resetConnection: 'beforeProcessing',
		});
		await expect(
			bed.client.post(pathOf(ROUTES.fundCard, { cardId: card.id }), { amount: 50 }, keyed('f')),
		).rejects.toThrow();
		expect(bed.emulator.state.cards()[0].balance).toBe(100);
		expect(bed.emulator.requests.at(-1)).toMatchObject({ status: null, connectionReset: true });
		const retried = await bed.client.post(
			pathOf(ROUTES.fundCard, { cardId: card.id }),
			{ amount: 50 },
			keyed('f'),
		);
		expect(retried.headers.get('idempotent-replayed')).toBeNull();
		expect(expectAnswer(retried, 200, cardAndWalletSchema).card.balance).toBe(150);
	});

	it('resets the connection after commit: the effect stands and a retry with the key gets the replay', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const path = pathOf(ROUTES.fundCard, { cardId: card.id });
		bed.emulator.faults.inject({
			method: 'POST',
			path: '/cards/*/fund',
			resetConnection: 'afterCommit',
		});
		await expect(bed.client.post(path, { amount: 50 }, keyed('lost'))).rejects.toThrow();
		expect(bed.emulator.state.cards()[0].balance).toBe(150);
		expect(bed.emulator.requests.at(-1)).toMatchObject({ status: 200, connectionReset: true });
		const retried = await bed.client.post(path, { amount: 50 }, keyed('lost'));
		expect(retried.headers.get('idempotent-replayed')).toBe('true');
		expect(expectAnswer(retried, 200, cardAndWalletSchema).card.balance).toBe(150);
		expect(bed.emulator.state.cards()[0].balance).toBe(150);
	});

	it('faults a seeded share of requests at random, the same ones for the same seed, counted by kind', async () => {
		const outcomes = async (seed: number) =>
			await withEmulator({ rateLimits: NO_RATE_LIMITS }, async ({ emulator, client }) => {
				emulator.faults.randomize({
					seed,
					rate: 0.2,
					kinds: ['status500', 'status503', 'status429'],
				});
				const statuses: number[] = [];
				for (let attempt = 0; attempt < 200; attempt++) {
					const answer = await client.post(
						ROUTES.createWebhook.path,
						{ url: 'https://example.com/h', events: ['*'] },
						keyed(`k${attempt}`),
					);
					statuses.push(answer.status);
				}
				return { statuses, counts: { ...emulator.faults.counts } };
			});
		const first = await outcomes(7);
		const faulted = first.statuses.filter((status) => status !== 201).length;
		expect(faulted).toBeGreaterThan(20);
		expect(faulted).toBeLessThan(60);
		expect(first.counts.status500 + first.counts.status503 + first.counts.status429).toBe(faulted);
		expect(first.counts.resetAfterCommit).toBe(0);
		expect(first.statuses.filter((status) => status === 429)).toHaveLength(first.counts.status429);
		expect((await outcomes(7)).statuses).toEqual(first.statuses);
		expect((await outcomes(8)).statuses).not.toEqual(first.statuses);
		bed.emulator.faults.randomize({ seed: 7, rate: 1 });
		bed.emulator.faults.clear();
		expect(bed.emulator.faults.counts.status500).toBe(0);
		expect((await bed.client.get(ROUTES.getWallet.path)).status).toBe(200);
	});

	it('clears faults, and refuses a fault that makes no sense', async () => {
		const fault = bed.emulator.faults.inject({ path: '/wallet', status: 500, times: 5 });
		bed.emulator.faults.clear();
		expect(fault.remaining).toBe(0);
		expect((await bed.client.get(ROUTES.getWallet.path)).status).toBe(200);
		expect(() => bed.emulator.faults.inject({ path: '/wallet' })).toThrow();
		expect(() =>
			bed.emulator.faults.inject({ path: '/wallet', status: 500, resetConnection: 'afterCommit' }),
		).toThrow();
		expect(() => bed.emulator.faults.inject({ path: '/wallet', status: 500, times: 0 })).toThrow();
	});
});
