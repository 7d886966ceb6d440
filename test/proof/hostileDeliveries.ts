/**
 * Hostile and legitimate webhook deliveries (R2), generated from a seed and posted to an activated PrivCards
 * Trigger's production URL through n8n-core's webhook context (harness/trigger.ts). Each kind has the answer
 * it must get and whether it may start an execution; a delivery that starts one it must not is a false accept,
 * a legitimate one refused or dropped is a false reject.
 */
import fc from 'fast-check';

import { HEADERS } from '../../nodes/PrivCards/contract';
import { computeSignature, DEFAULT_TOLERANCE_MINUTES } from '../../nodes/PrivCards/trigger';
import { startEmulator } from '../../emulator/emulator';
import { TriggerHarness } from '../../harness/trigger';

const CHOSEN = ['transaction.declined', 'card.frozen'];
const TOLERANCE_MS = DEFAULT_TOLERANCE_MINUTES * 60_000;
const MEGABYTE = 1024 * 1024;

interface Expected {
	/** The answers allowed: n8n's own body parser answers 422 to a JSON body that does not parse. */
	status: number | readonly number[];
	/** The event id the execution must carry; undefined: no execution at all. */
	executes?: string;
}

interface Delivery {
	body: Buffer;
	headers: Record<string, string>;
	expected: Expected;
}

/** What a generated delivery may vary: which byte and bit to flip, where to cut, which way the clock is off. */
interface Draw {
	kind: Kind;
	position: number;
	bit: number;
	cut: number;
	minutesOff: number;
}

export const DELIVERY_KINDS = [
	'valid',
	'validUpperCaseHex',
	'validUpperCaseHeaderName',
	'validOneMegabyte',
	'flippedBit',
	'reserialised',
	'wrongSecret',
	'missingSignature',
	'emptySignature',
	'truncatedSignature',
	'doubledSignatureHeader',
	'concatenatedSignature',
	'otherDeliverySignature',
	'replayed',
	'stale',
	'future',
	'unchosenType',
	'nonJson',
	'nonJsonAsText',
	'emptyBody',
	'oneMegabyteForged',
] as const;
type Kind = (typeof DELIVERY_KINDS)[number];

const draws = fc.record({
	kind: fc.constantFrom(...DELIVERY_KINDS),
	position: fc.nat(),
	bit: fc.integer({ min: 0, max: 7 }),
	cut: fc.integer({ min: 1, max: 63 }),
	minutesOff: fc.integer({ min: 1, max: 7 * 24 * 60 }),
});

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const SIGNATURE = HEADERS.signature;
const accepted = (id: string): Expected => ({ status: 200, executes: id });
const DROPPED: Expected = { status: 200 };
const UNSIGNED: Expected = { status: 401 };

export async function runHostileDeliveries(
	count: number,
	seed: number,
): Promise<Record<string, number>> {
	const emulator = await startEmulator();
	const trigger = await TriggerHarness.start({
		credential: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
		events: CHOSEN,
	});
	const counts: Record<string, number> = {
		deliveries: 0,
		falseAccepts: 0,
		falseRejects: 0,
		wrongStatus: 0,
	};
	try {
		await trigger.activate();
		const secret = trigger.signingSecret;
		let serial = 0;
		const event = (overrides: Record<string, unknown> = {}) => {
			serial += 1;
			const id = `evt_${seed.toString(36)}x${serial.toString(36)}`;
			return {
				id,
				type: CHOSEN[serial % CHOSEN.length],
				created_at: isoSeconds(Date.now()),
				data: { id: `txn_${serial.toString(36).padStart(10, '0')}`, amount: 50 },
				...overrides,
			};
		};
		const signed = (
			body: Buffer,
			expected: Expected,
			headers: Record<string, string> = {},
		): Delivery => ({
			body,
			headers: { [SIGNATURE]: computeSignature(body, secret), ...headers },
			expected,
		});
		const validDelivery = (overrides: Record<string, unknown> = {}) => {
			const content = event(overrides);
			return signed(Buffer.from(JSON.stringify(content)), accepted(content.id));
		};
		let lastAccepted: Delivery | undefined;

		const build = (draw: Draw): Delivery => {
			const valid = validDelivery();
			const { body } = valid;
			const signature = valid.headers[SIGNATURE];
			switch (draw.kind) {
				case 'valid':
					return valid;
				case 'validUpperCaseHex':
					// The same digest written in capitals: hex is case-insensitive.
					return { ...valid, headers: { [SIGNATURE]: signature.toUpperCase() } };
				case 'validUpperCaseHeaderName':
					return { ...valid, headers: { [SIGNATURE.toUpperCase()]: signature } };
				case 'validOneMegabyte': {
					const content = event({ data: { id: 'txn_0000000big', note: 'x'.repeat(MEGABYTE) } });
					return signed(Buffer.from(JSON.stringify(content)), accepted(content.id));
				}
				case 'flippedBit': {
					const flipped = Buffer.from(body);
					flipped[draw.position % flipped.length] ^= 1 << draw.bit;
					return { ...valid, body: flipped, expected: { status: [401, 422] } };
				}
				case 'reserialised':
					return {
						...valid,
						body: Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2)),
						expected: UNSIGNED,
					};
				case 'wrongSecret':
					return {
						...valid,
						headers: { [SIGNATURE]: computeSignature(body, `${secret}x`) },
						expected: UNSIGNED,
					};
				case 'missingSignature':
					return { ...valid, headers: {}, expected: UNSIGNED };
				case 'emptySignature':
					return { ...valid, headers: { [SIGNATURE]: '' }, expected: UNSIGNED };
				case 'truncatedSignature':
					return {
						...valid,
						headers: { [SIGNATURE]: signature.slice(0, draw.cut) },
						expected: UNSIGNED,
					};
				case 'doubledSignatureHeader':
					// What a server sees when the header is sent twice: both values joined by a comma.
					return {
						...valid,
						headers: { [SIGNATURE]: `${signature}, ${signature}` },
						expected: UNSIGNED,
					};
				case 'concatenatedSignature':
					return {
						...valid,
						headers: { [SIGNATURE]: `${signature}${signature}` },
						expected: UNSIGNED,
					};
				case 'otherDeliverySignature':
					return { ...valid, headers: validDelivery().headers, expected: UNSIGNED };
				case 'replayed':
					return lastAccepted === undefined ? valid : { ...lastAccepted, expected: DROPPED };
				case 'stale':
					return signed(
						Buffer.from(
							JSON.stringify(
								event({
									created_at: isoSeconds(Date.now() - TOLERANCE_MS - draw.minutesOff * 60_000),
								}),
							),
						),
						DROPPED,
					);
				case 'future':
					return signed(
						Buffer.from(
							JSON.stringify(
								event({
									created_at: isoSeconds(Date.now() + TOLERANCE_MS + draw.minutesOff * 60_000),
								}),
							),
						),
						DROPPED,
					);
				case 'unchosenType':
					return signed(Buffer.from(JSON.stringify(event({ type: 'card.created' }))), DROPPED);
				case 'nonJson':
					// n8n's own body parser refuses it before the node runs.
					return signed(Buffer.from(`not json ${draw.position}`), { status: 422 });
				case 'nonJsonAsText':
					return signed(
						Buffer.from(`not json ${draw.position}`),
						{ status: 400 },
						{ 'Content-Type': 'text/plain' },
					);
				case 'emptyBody':
					return signed(Buffer.alloc(0), { status: 400 });
				case 'oneMegabyteForged': {
					const content = event({ data: { id: 'txn_0000000big', note: 'x'.repeat(MEGABYTE) } });
					return {
						body: Buffer.from(JSON.stringify(content)),
						headers: { [SIGNATURE]: signature },
						expected: UNSIGNED,
					};
				}
			}
		};

		for (const draw of fc.sample(draws, { numRuns: count, seed })) {
			const delivery = build(draw);
			const kind =
				draw.kind === 'replayed' && delivery.expected.executes !== undefined ? 'valid' : draw.kind;
			const { status, received } = await trigger.post(delivery.body, delivery.headers);
			counts.deliveries += 1;
			counts[kind] = (counts[kind] ?? 0) + 1;
			const executedIds = (received.execution ?? []).map((item) => item.json.id);
			const { executes } = delivery.expected;
			// Any execution started is an accept, even one whose trigger step then passed nothing on.
			if (executes === undefined && received.execution !== undefined) counts.falseAccepts += 1;
			if (executes !== undefined && (executedIds.length !== 1 || executedIds[0] !== executes))
				counts.falseRejects += 1;
			if (![delivery.expected.status].flat().includes(status)) {
				counts.wrongStatus += 1;
				const answered = `${kind} answered ${status}`;
				counts[answered] = (counts[answered] ?? 0) + 1;
			}
			if (executes !== undefined) lastAccepted = delivery;
			// The harness keeps every request it received; a soak of 1 MB bodies would keep them all.
			trigger.received.splice(0);
		}
	} finally {
		await trigger.stop();
		await emulator.stop();
	}
	return counts;
}
