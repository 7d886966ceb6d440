/**
 * Card numbers, security codes and API keys as people and systems really write them (grouped by dots, double or
 * non-breaking spaces, in full-width or other digits; `cvv2`, `cvc`, `security_code`; a key with `-` and `.`) are
 * removed from what reaches a user: generated cases through the one redaction function, then an API error and a
 * validation error through n8n-core's engine.
 */
import fc from 'fast-check';

import { redactSecrets } from '../../nodes/PrivCards/transport';
import { startEmulator } from '../../emulator/emulator';
import type { Emulator } from '../../emulator/emulator';
import { runNode } from '../../harness/n8n';
import type { RunResult } from '../../harness/n8n';
import { Client, createCard } from '../emulator/helpers';
import { PROOF_SEED } from './sizes';

const RUNS = 500;
const settings = { seed: PROOF_SEED, numRuns: RUNS };

/** The zero of ASCII, full-width, Arabic-Indic and Devanagari digits. */
const DIGIT_ZEROS = [0x30, 0xff10, 0x0660, 0x0966];
const written = (digits: string, zero: number) =>
	[...digits].map((digit) => String.fromCodePoint(zero + Number(digit))).join('');
/** Any script's digits back to ASCII, every other character dropped. */
const digitsOf = (text: string) =>
	[...text]
		.map((character) => {
			const zero = DIGIT_ZEROS.find((base) => {
				const code = character.codePointAt(0) ?? 0;
				return code >= base && code < base + 10;
			});
			return zero === undefined ? '' : String((character.codePointAt(0) ?? 0) - zero);
		})
		.join('');

/** Text around a secret: letters (also non-Latin), punctuation, quotes and spaces, no digits. */
const context = fc.string({
	unit: fc.constantFrom(...'abcXYZ éß中 _-.,:;=/"\'`()[]{}\n\t\u00a0'.split('')),
	maxLength: 20,
});
const digitString = (min: number, max: number) =>
	fc
		.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max })
		.map((digits) => digits.join(''));
/** What people put between a card number's groups. */
const PAN_SEPARATORS = [
	' ',
	'  ',
	'\u00a0',
	'\u202f',
	'\u2009',
	'\u3000',
	'-',
	'\u2013',
	'\u2014',
	'.',
	'. ',
	'/',
	'',
];

const groupedPan = fc
	.record({
		digits: digitString(13, 19),
		zero: fc.constantFrom(...DIGIT_ZEROS),
		groups: fc.array(
			fc.record({
				size: fc.integer({ min: 1, max: 6 }),
				separator: fc.constantFrom(...PAN_SEPARATORS),
			}),
			{
				minLength: 1,
				maxLength: 19,
			},
		),
	})
	.map(({ digits, zero, groups }) => {
		let text = '';
		let at = 0;
		for (const { size, separator } of groups) {
			if (at >= digits.length) break;
			text += (at > 0 ? separator : '') + written(digits.slice(at, at + size), zero);
			at += size;
		}
		return { digits, text: text + written(digits.slice(at), zero) };
	});

const CVV_NAMES = [
	'cvv',
	'cvv2',
	'cvc',
	'cvc2',
	'csc',
	'security_code',
	'security code',
	'securityCode',
	'security-code',
	'card_verification_value',
	'card verification code',
];
/** A name and its value as JSON, a query string, a log line, prose. */
const CVV_FORMS: Array<(name: string, value: string) => [string, string]> = [
	(name, value) => [`"${name}":"${value}"`, `"${name}":"***"`],
	(name, value) => [`"${name}": ${value},`, `"${name}": ***,`],
	(name, value) => [`${name}=${value}&`, `${name}=***&`],
	(name, value) => [`${name}: ${value}`, `${name}: ***`],
	(name, value) => [`${name} ${value}`, `${name} ***`],
	(name, value) => [`'${name}' => '${value}'`, `'${name}' => '***'`],
];
const anyCase = (text: string) =>
	fc
		.array(fc.boolean(), { minLength: text.length, maxLength: text.length })
		.map((upper) =>
			[...text]
				.map((character, index) => (upper[index] ? character.toUpperCase() : character))
				.join(''),
		);

/** Characters a key's body may hold (the API does not say which), and what ends it in text. */
const KEY_BODY = fc.string({
	unit: fc.constantFrom(...'abcDEF0123456789_-.~+=/%:@!*$'.split('')),
	minLength: 1,
	maxLength: 40,
});
const KEY_ENDS: Array<[string, string]> = [
	[' ', ' '],
	['"', '"'],
	["'", "'"],
	['(', ')'],
	['[', ']'],
	['{', '}'],
	['<', '>'],
	['`', '`'],
	['\n', '\n'],
	['', ','],
];

describe('redactSecrets, generated', () => {
	it('removes a card number grouped in any way, in any digits, wherever it stands', () => {
		fc.assert(
			fc.property(context, groupedPan, context, (before, pan, after) => {
				const redacted = redactSecrets(`${before}${pan.text}${after}`);
				expect(digitsOf(redacted)).not.toContain(pan.digits);
				expect(redacted).toContain('[redacted card number]');
			}),
			settings,
		);
	});

	it('removes a security code after any of its names, in any case and form', () => {
		const field = fc.record({
			name: fc.constantFrom(...CVV_NAMES).chain(anyCase),
			value: fc
				.tuple(digitString(3, 4), fc.constantFrom(...DIGIT_ZEROS))
				.map(([digits, zero]) => written(digits, zero)),
			form: fc.constantFrom(...CVV_FORMS),
		});
		fc.assert(
			fc.property(context, field, context, (before, { name, value, form }, after) => {
				const [text, expected] = form(name, value);
				expect(redactSecrets(`${before} ${text} ${after}`)).toContain(` ${expected} `);
			}),
			settings,
		);
	});

	it('removes the whole API key, whatever its body holds, up to where it ends', () => {
		const key = fc
			.tuple(fc.constantFrom('sk_live_', 'sk_test_').chain(anyCase), KEY_BODY)
			.map(([prefix, body]) => prefix + body);
		fc.assert(
			fc.property(
				context,
				key,
				fc.constantFrom(...KEY_ENDS),
				context,
				(before, apiKey, [open, close], after) => {
					const redacted = redactSecrets(`${before} ${open}${apiKey}${close} ${after}`);
					expect(redacted).toContain(` ${open}sk_***${close} `);
					expect(redacted).not.toMatch(/sk_(?:live|test)_/i);
				},
			),
			settings,
		);
	});

	it('keeps what is not a secret: ids, amounts, dates, request ids', () => {
		const text =
			'card_8xK2m9Lp4q funded 1234.56 USD on 2026-04-15T12:00:00Z (from 2026-04-15 - 2026-05-15), request id req_Ab12345678, cvv missing';
		expect(redactSecrets(text)).toBe(text);
	});
});

describe('what a user sees', () => {
	let emulator: Emulator;
	let cardId: string;
	const dashedAndDotted = 'sk_live_abc-DEF.123';
	const secrets = {
		'card number with dots': '4916.5312.3456.7890',
		'card number with double spaces': '4916  5312  3456  7890',
		'card number with non-breaking spaces': '4916\u00a05312\u00a03456\u00a07890',
		'card number in full-width digits': '４９１６５３１２３４５６７８９０',
		cvv2: 'cvv2: 123',
		cvc: 'CVC 456',
		security_code: 'security_code=789',
		'API key with - and .': dashedAndDotted,
	};
	/** Which secrets a text still shows. */
	const shown = (text: string) =>
		Object.entries(secrets)
			.filter(
				([, secret]) =>
					text.includes(secret) || (secret === dashedAndDotted && text.includes('-DEF.123')),
			)
			.map(([name]) => name);
	const textOf = ({ error, items }: RunResult) =>
		[error?.message, error?.description, ...items.map((item) => JSON.stringify(item.json))].join(
			'\n',
		);

	beforeAll(async () => {
		emulator = await startEmulator();
		cardId = (await createCard(new Client(emulator), { amount: 100 })).id;
	});

	afterAll(async () => await emulator.stop());

	it('an API error that echoes them shows none of them', async () => {
		const echo = Object.values(secrets).join(' | ');
		emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			status: 400,
			message: `Refused: ${echo}`,
		});
		const result = await runNode(
			{
				parameters: {
					resource: 'funding',
					operation: 'fund',
					cardId: { __rl: true, mode: 'id', value: cardId },
					amount: 10,
				},
			},
			{ credential: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl } },
		);
		expect(result.error?.message).toContain('Refused: ');
		expect(shown(textOf(result))).toEqual([]);
	});

	it('a validation error quoting the value shows none of them', async () => {
		for (const secret of Object.values(secrets)) {
			const result = await runNode(
				{
					parameters: {
						resource: 'funding',
						operation: 'fund',
						cardId: { __rl: true, mode: 'id', value: cardId },
						amount: '={{ $json.secret }}',
					},
				},
				{
					credential: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
					input: [{ secret }],
				},
			);
			expect(result.error?.message).toMatch(/^Amount .*\[item 0\]$/);
			expect([secret, shown(textOf(result))]).toEqual([secret, []]);
		}
	});
});
