import {
	isChosen,
	normalizeEvents,
	sameEvents,
	unknownEvents,
} from '../../nodes/PrivCards/contract';
import { parseEvent } from '../../nodes/PrivCards/trigger';

function body(value: unknown): Buffer {
	return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

const EVENT = {
	id: 'evt_8xK2m9Lp4q',
	type: 'transaction.declined',
	created_at: '2026-04-15T12:00:00Z',
	data: { id: 'txn_1a2b3c4d5e', amount: 12.5 },
};

describe('event parsing', () => {
	it('reads the four event fields and nothing else', () => {
		expect(parseEvent(body({ ...EVENT, extra: 'ignored' }))).toEqual(EVENT);
		expect(parseEvent(body({ ...EVENT, type: '3ds.challenge' }))?.type).toBe('3ds.challenge');
		expect(
			parseEvent(body({ ...EVENT, created_at: '2026-04-15T12:00:00.123+02:00' })),
		).toBeDefined();
	});

	it.each([
		['not JSON', 'hello'],
		['an array', [EVENT]],
		['null', 'null'],
		['no id', { ...EVENT, id: undefined }],
		['an id of another kind', { ...EVENT, id: 'txn_8xK2m9Lp4q' }],
		['an id with a path in it', { ...EVENT, id: 'evt_../x' }],
		['no type', { ...EVENT, type: undefined }],
		['a type that is not dotted words', { ...EVENT, type: 'declined' }],
		['a created_at that is no date', { ...EVENT, created_at: 'yesterday' }],
		['a created_at without zone', { ...EVENT, created_at: '2026-04-15T12:00:00' }],
		['an impossible date', { ...EVENT, created_at: '2026-13-45T12:00:00Z' }],
		['data that is not an object', { ...EVENT, data: 'x' }],
		['data that is an array', { ...EVENT, data: [] }],
		['no data', { ...EVENT, data: undefined }],
	])('refuses %s', (_case, value) => {
		expect(parseEvent(body(value))).toBeUndefined();
	});
});

describe('event selection', () => {
	it('registers "*" alone when all events are chosen, else the sorted set', () => {
		expect(normalizeEvents(['card.created', '*'])).toEqual(['*']);
		expect(normalizeEvents(['transaction.declined', 'card.created', 'card.created'])).toEqual([
			'card.created',
			'transaction.declined',
		]);
	});

	it('compares subscriptions as sets', () => {
		expect(sameEvents(['b.x', 'a.x'], ['a.x', 'b.x', 'a.x'])).toBe(true);
		expect(sameEvents(['a.x'], ['a.x', 'b.x'])).toBe(false);
		expect(sameEvents(['*'], ['*', 'a.x'])).toBe(true);
	});

	it('matches chosen types and "*"', () => {
		expect(isChosen('transaction.declined', ['transaction.declined'])).toBe(true);
		expect(isChosen('transaction.authorized', ['transaction.declined'])).toBe(false);
		expect(isChosen('anything.new', ['*'])).toBe(true);
	});

	it('names values that are not documented event types', () => {
		expect(unknownEvents(['*', 'card.created', 'card.exploded'])).toEqual(['card.exploded']);
	});
});
