import type { Card, Challenge } from '../../nodes/PrivCards/contract';
import {
	cardLocator,
	authorize,
	createCard,
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
let busy: Card;
let other: Card;
let pending: Challenge[];

const picked = (card: Card) => cardLocator(card.id);

/** The challenges of a card, newest first, as the emulator holds them. */
function challengesOf(card: Card): Challenge[] {
	return api.emulator.state.challenges().filter((challenge) => challenge.card_id === card.id);
}

beforeAll(async () => {
	api = await startTestApi();
	busy = await createCard(api, 1000, 'Busy');
	await repeat(MANY, async () => await authorize(api, busy, 1, undefined, true));
	// Long enough for every challenge so far to expire.
	api.setNow(api.now() + 3600_000);
	other = await createCard(api, 100, 'Other');
	await repeat(
		2,
		async () => await authorize(api, other, 9.99, { name: 'NETFLIX', category: 'streaming' }, true),
	);
	pending = challengesOf(other);
});

afterAll(async () => await api.stop());

describe('threeDs.getMany', () => {
	it('sends the card and status filters and outputs the challenges with their codes', async () => {
		api.clearRequests();
		const result = await api.run({
			resource: 'threeDs',
			operation: 'getMany',
			filters: { cardId: picked(other), status: 'pending' },
		});

		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => [request.method, request.path, request.query])).toEqual([
			[
				'GET',
				route('listChallenges').path,
				{ card_id: other.id, status: 'pending', page: '1', per_page: '50' },
			],
		]);
		expect(pending).toHaveLength(2);
		expect(result.items.map((item) => item.json)).toEqual(pending);
		expect(result.items[0].json).toEqual(
			expect.objectContaining({ otp: expect.stringMatching(/^\d{6}$/), merchant: 'NETFLIX' }),
		);
	});

	it('finds only what the status filter asks for', async () => {
		const result = await api.run({
			resource: 'threeDs',
			operation: 'getMany',
			returnAll: true,
			filters: { status: 'pending' },
		});
		expect(result.items.map((item) => item.json.id)).toEqual(
			pending.map((challenge) => challenge.id),
		);
	});

	it('walks every page with Return All and stops at the limit', async () => {
		await expectPaging(
			api,
			{
				resource: 'threeDs',
				operation: 'getMany',
				filters: { cardId: picked(busy), status: 'expired' },
			},
			route('listChallenges'),
			MANY,
		);
	});

	it('refuses an unknown status before any request', async () => {
		await expectRefused(
			api,
			{ resource: 'threeDs', operation: 'getMany', filters: { status: 'open' } },
			'Status',
			/pending, approved, declined, expired/,
		);
	});
});

describe('threeDs.get', () => {
	it('gets a challenge by ID, with its one-time code', async () => {
		api.clearRequests();
		const result = await api.run({
			resource: 'threeDs',
			operation: 'get',
			challengeId: pending[1].id,
		});

		expect(api.requests().map((request) => [request.method, request.path])).toEqual([
			['GET', path(route('getChallenge'), { challengeId: pending[1].id })],
		]);
		expect(result.items).toEqual([{ json: pending[1], pairedItem: { item: 0 } }]);
	});

	it('refuses an ID of another kind before any request', async () => {
		await expectRefused(
			api,
			{ resource: 'threeDs', operation: 'get', challengeId: 'wh_0000000000' },
			'Challenge ID',
			/must start with "3ds_"/,
		);
	});

	it('maps a 404 to an error with the request ID', async () => {
		await expectNotFound(
			api,
			{ resource: 'threeDs', operation: 'get', challengeId: '3ds_0000000000' },
			path(route('getChallenge'), { challengeId: '3ds_0000000000' }),
			'3ds_0000000000',
		);
	});
});
