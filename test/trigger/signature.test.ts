import { createHmac } from 'node:crypto';

import { computeSignature, verifySignature } from '../../nodes/PrivCards/trigger';

/** The seed documentation's recipe, step for step: `secret.encode()` and `payload.encode()` are UTF-8. */
function seedRecipe(payload: string, secret: string): string {
	return createHmac('sha256', Buffer.from(secret, 'utf8'))
		.update(Buffer.from(payload, 'utf8'))
		.digest('hex');
}

const EVENT_BODY =
	'{"id":"evt_8xK2m9Lp4q","type":"transaction.declined","created_at":"2026-04-15T12:00:00Z","data":{"merchant":{"name":"Café Zürich"},"amount":12.5}}';
const EVENT_SECRET = 'whsec_test_secret';

describe('webhook signature', () => {
	it.each([
		// RFC 4231, test case 2
		[
			'Jefe',
			'what do ya want for nothing?',
			'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
		],
		// The widely published HMAC-SHA256 examples
		['key', '', '5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0'],
		[
			'key',
			'The quick brown fox jumps over the lazy dog',
			'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
		],
		// A PrivCards event with non-ASCII text, computed independently with `openssl dgst -sha256 -hmac`
		[EVENT_SECRET, EVENT_BODY, 'fdfc8746f2c2ec2de5948f623b11971ade4edfa06264eaff63996d34ee570906'],
	])('signs known vector with key %j', (secret, payload, expected) => {
		expect(computeSignature(payload, secret)).toBe(expected);
		expect(computeSignature(Buffer.from(payload, 'utf8'), secret)).toBe(expected);
		expect(verifySignature(Buffer.from(payload, 'utf8'), expected, secret)).toBe(true);
	});

	it('agrees with the seed documentation’s Python recipe', () => {
		const expected = seedRecipe(EVENT_BODY, EVENT_SECRET);
		expect(expected).toBe('fdfc8746f2c2ec2de5948f623b11971ade4edfa06264eaff63996d34ee570906');
		expect(verifySignature(Buffer.from(EVENT_BODY, 'utf8'), expected, EVENT_SECRET)).toBe(true);
		const unicodeSecret = 'sécret-ключ';
		expect(computeSignature(EVENT_BODY, unicodeSecret)).toBe(seedRecipe(EVENT_BODY, unicodeSecret));
	});

	const body = Buffer.from(EVENT_BODY, 'utf8');
	const signature = seedRecipe(EVENT_BODY, EVENT_SECRET);

	it('accepts a sha256= prefix, upper-case hex and surrounding spaces', () => {
		expect(verifySignature(body, `sha256=${signature}`, EVENT_SECRET)).toBe(true);
		expect(verifySignature(body, `SHA256=${signature.toUpperCase()}`, EVENT_SECRET)).toBe(true);
		expect(verifySignature(body, ` ${signature} `, EVENT_SECRET)).toBe(true);
	});

	it('refuses a missing, empty or ill-formed signature', () => {
		for (const header of [
			undefined,
			'',
			'sha256=',
			signature.slice(0, 63),
			`${signature}00`,
			`${signature.slice(0, 62)}zz`,
			'sha1=' + signature,
		]) {
			expect(verifySignature(body, header, EVENT_SECRET)).toBe(false);
		}
	});

	it('refuses another secret, an empty secret, and any change to the body bytes', () => {
		expect(verifySignature(body, signature, 'whsec_other')).toBe(false);
		expect(verifySignature(body, signature, '')).toBe(false);
		const tampered = Buffer.from(EVENT_BODY.replace('12.5', '12.6'), 'utf8');
		expect(verifySignature(tampered, signature, EVENT_SECRET)).toBe(false);
		expect(verifySignature(Buffer.concat([body, Buffer.from(' ')]), signature, EVENT_SECRET)).toBe(
			false,
		);
	});

	it('verifies the raw bytes, never re-serialised JSON', () => {
		const spaced = Buffer.from(JSON.stringify(JSON.parse(EVENT_BODY), null, 2), 'utf8');
		expect(verifySignature(spaced, signature, EVENT_SECRET)).toBe(false);
		// Latin-1 bytes of the same text are different bytes.
		expect(verifySignature(Buffer.from(EVENT_BODY, 'latin1'), signature, EVENT_SECRET)).toBe(false);
	});
});
