import { computeSignature, decideDelivery } from '../../nodes/PrivCards/trigger';

const SECRET = 'whsec_delivery_test';
const NOW = Date.parse('2026-04-15T12:00:00Z');

function event(overrides: Record<string, unknown> = {}): Buffer {
	return Buffer.from(
		JSON.stringify({
			id: 'evt_Decision01',
			type: 'transaction.declined',
			created_at: '2026-04-15T11:59:00Z',
			data: { id: 'txn_0000000001' },
			...overrides,
		}),
	);
}

function decide(
	rawBody: Buffer | undefined,
	signature: string | undefined,
	claimed: string[] = [],
) {
	return decideDelivery(
		{ rawBody, signature },
		{
			secrets: ['whsec_other', SECRET],
			chosenEvents: ['transaction.declined'],
			toleranceSeconds: 600,
			nowMs: NOW,
			claim: (eventId) => {
				const fresh = !claimed.includes(eventId);
				claimed.push(eventId);
				return fresh;
			},
		},
	);
}

describe('the delivery decision', () => {
	it('accepts a signed, chosen, timely, new event, signed with any of its secrets', () => {
		const body = event();
		expect(decide(body, computeSignature(body, SECRET))).toMatchObject({
			verdict: 'accept',
			event: { id: 'evt_Decision01' },
		});
		expect(decide(body, computeSignature(body, 'whsec_other')).verdict).toBe('accept');
	});

	it('checks the signature before anything else, and remembers nothing it refused or dropped', () => {
		const claimed: string[] = [];
		const notJson = Buffer.from('not json');
		const cases: Array<[Buffer | undefined, string | undefined, number, string]> = [
			[undefined, 'a'.repeat(64), 401, 'no raw body to verify'],
			[notJson, undefined, 401, 'missing or wrong signature'],
			[event(), computeSignature(event(), 'whsec_wrong'), 401, 'missing or wrong signature'],
			[notJson, computeSignature(notJson, SECRET), 400, 'not an event'],
			[
				event({ type: 'card.frozen' }),
				computeSignature(event({ type: 'card.frozen' }), SECRET),
				200,
				'event type not chosen',
			],
			[
				event({ created_at: '2026-04-15T11:49:59Z' }),
				computeSignature(event({ created_at: '2026-04-15T11:49:59Z' }), SECRET),
				200,
				'stale',
			],
		];
		for (const [rawBody, signature, statusCode, reason] of cases) {
			expect(decide(rawBody, signature, claimed)).toMatchObject({ statusCode, reason });
		}
		expect(claimed).toEqual([]);
	});

	it('drops an event id it accepted before', () => {
		const body = event();
		const claimed: string[] = [];
		expect(decide(body, computeSignature(body, SECRET), claimed).verdict).toBe('accept');
		expect(decide(body, computeSignature(body, SECRET), claimed)).toMatchObject({
			verdict: 'drop',
			reason: 'replayed',
		});
	});
});
