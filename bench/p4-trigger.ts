/** P4: signed deliveries through the trigger, against a bare receiver verifying the same signatures. */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

import { HEADERS } from '../nodes/PrivCards/contract';
import { computeSignature, verifySignature } from '../nodes/PrivCards/trigger/signature';
import { NO_RATE_LIMITS } from '../emulator/emulator';
import { TriggerHarness } from '../harness/trigger';
import { credential, perSecond, rate, timedMs, times, withEmulator } from './measure';

const EVENT_BYTES = 2048;

function eventBody(id: string): Buffer {
	const event = {
		id,
		type: 'card.funded',
		created_at: new Date().toISOString(),
		data: { card_id: 'card_Bench0000001', amount: 1, note: '' },
	};
	const padding = EVENT_BYTES - Buffer.byteLength(JSON.stringify(event));
	event.data.note = 'x'.repeat(Math.max(0, padding));
	return Buffer.from(JSON.stringify(event), 'utf8');
}

/** A webhook receiver with nothing but a bare HMAC check: the baseline of the trigger's delivery path. */
async function startBareReceiver(secret: string): Promise<{ url: string; stop(): Promise<void> }> {
	const server = createServer((request, response) => {
		text(request).then(
			(raw) => {
				const valid =
					createHmac('sha256', secret).update(raw).digest('hex') ===
					request.headers[HEADERS.signature.toLowerCase()];
				JSON.parse(raw);
				response.writeHead(valid ? 200 : 401).end();
			},
			() => request.socket.destroy(),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook`,
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export async function p4Trigger(events: number): Promise<void> {
	const secret = randomBytes(24).toString('hex');
	const sample = eventBody('evt_Sample00001');
	const header = computeSignature(sample, secret);
	const verifications = 20_000;
	const bareCheck = (rounds: number) => async () => {
		for (let index = 0; index < rounds; index++) {
			if (createHmac('sha256', secret).update(sample).digest('hex') !== header)
				throw new Error('bare HMAC');
		}
	};
	const ourCheck = (rounds: number) => async () => {
		for (let index = 0; index < rounds; index++)
			if (!verifySignature(sample, header, secret)) throw new Error('verifySignature');
	};
	await bareCheck(2_000)();
	await ourCheck(2_000)();
	const bareMs = await timedMs(bareCheck(verifications));
	const ourMs = await timedMs(ourCheck(verifications));
	const micros = (ms: number) => `${((ms * 1000) / verifications).toFixed(1)} µs`;
	console.log(`P4 trigger: ${sample.length}-byte events`);
	console.log(
		`  verification per event: bare crypto HMAC ${micros(bareMs)}, trigger/signature.ts ${micros(ourMs)}: ${times(ourMs / bareMs)}`,
	);

	await withEmulator({ rateLimits: NO_RATE_LIMITS }, async (emulator) => {
		const trigger = await TriggerHarness.start({
			credential: credential(emulator),
			events: ['card.funded'],
		});
		const bare = await startBareReceiver(secret);
		try {
			await trigger.activate();
			const toTrigger = async (body: Buffer, signature: string) =>
				(await trigger.post(body, { [HEADERS.signature]: signature })).status;
			const toBare = async (body: Buffer, signature: string) =>
				(
					await fetch(bare.url, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json', [HEADERS.signature]: signature },
						body,
					})
				).status;
			const run = async (post: typeof toTrigger, idPrefix: string, key: string) => {
				for (let index = 0; index < events; index++) {
					const body = eventBody(`evt_${idPrefix}${String(index).padStart(8, '0')}`);
					const status = await post(body, computeSignature(body, key));
					if (status !== 200) throw new Error(`delivery ${index}: HTTP ${status}`);
				}
			};
			await run(toBare, 'Warm', secret);
			const bareDeliveries = perSecond(events, await timedMs(() => run(toBare, 'Bare', secret)));
			const triggerDeliveries = perSecond(
				events,
				await timedMs(() => run(toTrigger, 'Trig', trigger.signingSecret)),
			);
			console.log(
				`  deliveries one after another (${events}): bare HTTP handler ${rate(bareDeliveries)}, the trigger's webhook path ${rate(triggerDeliveries)}: ${times(triggerDeliveries / bareDeliveries)}`,
			);
			console.log('  goal: none set for P4 (reported for comparison)');
		} finally {
			await bare.stop();
			await trigger.stop();
		}
	});
}
