import { ROUTES } from '../../nodes/PrivCards/contract';
import { binSchema, challengeSchema, dataListSchema, listPageSchema } from '../../emulator/schemas';
import {
	authorize,
	createCard,
	expectAnswer,
	expectError,
	MASTERCARD_SOFTWARE_BIN,
	movableClock,
	pathOf,
	useEmulator,
	VISA_ADVERTISING_BIN,
} from './helpers';

describe('GET /bins', () => {
	const bed = useEmulator();

	it('answers the documented BIN first, and others with different limits and 3DS, unpaginated', async () => {
		const bins = expectAnswer(
			await bed.client.get(ROUTES.listBins.path),
			200,
			dataListSchema(binSchema),
		);
		expect(bins.data[0]).toEqual({
			id: VISA_ADVERTISING_BIN,
			network: 'visa',
			type: 'advertising',
			'3ds': true,
			apple_pay: true,
			google_pay: true,
			max_transaction: 5000,
			max_monthly: 50000,
			acceptance_rate: 97.2,
			best_for: ['meta_ads', 'google_ads', 'tiktok_ads'],
		});
		expect(new Set(bins.data.map((bin) => bin.network))).toEqual(new Set(['visa', 'mastercard']));
		expect(new Set(bins.data.map((bin) => bin['3ds']))).toEqual(new Set([true, false]));
		expect(new Set(bins.data.map((bin) => bin.max_transaction)).size).toBe(bins.data.length);
		expectError(
			await bed.client.get(ROUTES.listBins.path, { page: 1 }),
			400,
			'invalid_request',
			'page',
		);
	});
});

describe('GET /3ds and GET /3ds/{challengeId}', () => {
	const clock = movableClock('2026-04-15T15:00:00Z');
	const bed = useEmulator({ now: clock.now });
	const challengePage = listPageSchema(challengeSchema);

	it('lists challenges newest first, filtered by card_id and status, and gets one by id', async () => {
		const visa = await createCard(bed.client);
		const mastercard = await createCard(bed.client, { bin_id: MASTERCARD_SOFTWARE_BIN });
		await authorize(bed.client, visa, { amount: 9.99, require_3ds: true });
		await authorize(bed.client, mastercard, {
			amount: 19.99,
			category: 'software',
			require_3ds: true,
		});

		const all = expectAnswer(await bed.client.get(ROUTES.listChallenges.path), 200, challengePage);
		expect(all.data.map((challenge) => challenge.card_id)).toEqual([mastercard.id, visa.id]);
		expect(all.data[1]).toMatchObject({
			merchant: 'META ADS',
			amount: 9.99,
			status: 'pending',
			expires_at: '2026-04-15T15:05:00Z',
		});

		const forVisa = expectAnswer(
			await bed.client.get(ROUTES.listChallenges.path, { card_id: visa.id, status: 'pending' }),
			200,
			challengePage,
		);
		expect(forVisa.data).toHaveLength(1);
		const one = await bed.client.get(
			pathOf(ROUTES.getChallenge, { challengeId: forVisa.data[0].id }),
		);
		expect(expectAnswer(one, 200, challengeSchema)).toEqual(forVisa.data[0]);
		expectError(
			await bed.client.get(pathOf(ROUTES.getChallenge, { challengeId: '3ds_0000000000' })),
			404,
			'not_found',
		);
	});

	it('reads a challenge as expired once its OTP has run out', async () => {
		const card = await createCard(bed.client);
		await authorize(bed.client, card, { amount: 5, require_3ds: true });
		clock.advance(5 * 60 * 1000);
		const expired = expectAnswer(
			await bed.client.get(ROUTES.listChallenges.path, { status: 'expired' }),
			200,
			challengePage,
		);
		expect(expired.data).toHaveLength(1);
		const pending = expectAnswer(
			await bed.client.get(ROUTES.listChallenges.path, { status: 'pending' }),
			200,
			challengePage,
		);
		expect(pending.data).toHaveLength(0);
	});
});
