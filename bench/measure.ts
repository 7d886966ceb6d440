/** What every figure of `npm run bench` measures with: timing, heap, the emulator it runs against, and how it prints. */

import { TEST_KEY_PREFIX } from '../nodes/PrivCards/contract';
import { SANDBOX_TEST_KEY, startEmulator } from '../emulator/emulator';
import type { Emulator, EmulatorOptions } from '../emulator/emulator';
import type { IDataObject } from 'n8n-workflow';
import { runNode } from '../harness/n8n';

/** Cards and transactions are seeded with this key, which no rate limit applies to: the set-up spends nothing measured. */
export const SETUP_KEY = `${TEST_KEY_PREFIX}benchsetup000000000000`;

export async function timedMs(work: () => Promise<void>): Promise<number> {
	const start = performance.now();
	await work();
	return performance.now() - start;
}

/** The most heap in use above the settled heap before `work`, sampled every 5 ms, in MB. */
export async function peakHeapMb(
	work: () => Promise<void>,
): Promise<{ ms: number; peakMb: number }> {
	(globalThis as { gc?: () => void }).gc?.();
	const settled = process.memoryUsage().heapUsed;
	let peak = settled;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().heapUsed);
	}, 5);
	const ms = await timedMs(work);
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().heapUsed);
	return { ms, peakMb: (peak - settled) / 1024 / 1024 };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const perSecond = (items: number, ms: number) => items / (ms / 1000);
export const rate = (value: number) => `${value.toFixed(0)}/s`;
export const times = (ratio: number) => `${ratio.toFixed(2)}×`;

export function goal(text: string, met: boolean): void {
	console.log(`  goal ${text}: ${met ? 'met' : 'not met'}`);
}

export const credential = (emulator: Emulator) => ({
	apiKey: emulator.testKey,
	baseUrl: emulator.baseUrl,
});
export const byId = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

export async function withEmulator(
	options: EmulatorOptions,
	work: (emulator: Emulator) => Promise<void>,
): Promise<void> {
	const emulator = await startEmulator({
		apiKeys: [SANDBOX_TEST_KEY, SETUP_KEY],
		unlimitedKeys: [SETUP_KEY],
		...options,
	});
	try {
		await work(emulator);
	} finally {
		await emulator.stop();
	}
}

/**
 * The floor the published limits set for `requests` of one route, each answered after `latencyMs`: every window's
 * `max` fit at once, the next a window after (the (max+1)th request fits when the first leaves the window).
 */
export function floorMs(
	requests: number,
	limits: Array<{ max: number; windowMs: number }>,
	latencyMs: number,
): number {
	return (
		Math.max(...limits.map(({ max, windowMs }) => Math.floor((requests - 1) / max) * windowMs)) +
		latencyMs
	);
}

/** Outcome of one node run: errors (the run's and error items) and the 429s the emulator answered. */
export async function runMeasured(
	emulator: Emulator,
	parameters: IDataObject,
	input: IDataObject[],
): Promise<{ ms: number; errors: number; refused: number; items: number }> {
	emulator.clearRequests();
	let errors = 0;
	let items = 0;
	const ms = await timedMs(async () => {
		const result = await runNode({ parameters }, { credential: credential(emulator), input });
		items = result.items.length;
		errors =
			(result.error === undefined ? 0 : 1) +
			result.items.filter((item) => item.json.error !== undefined).length;
	});
	const refused = emulator.requests.filter((request) => request.status === 429).length;
	return { ms, errors, refused, items };
}
