/**
 * R5, the trigger's lifecycle under API failures: activate/deactivate cycles of the PrivCards Trigger through
 * n8n-core's hook context (harness/trigger.ts), with one failure injected at every step on a webhook route the
 * step uses (list, create, delete): a status or a reset, often enough to outlast the node's retries, sometimes not.
 * A failure the retries cannot absorb must make the step throw (reported, not swallowed); one they absorb must not.
 * Once the API recovers, a clean activation must leave exactly its own endpoint and a clean deactivation none.
 *
 * Cycles are spread over lanes, each with an emulator and a trigger of its own, so that a fault hits the lane it was
 * injected for and the waits of the node's back-off overlap.
 */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { RETRY_POLICY } from '../../nodes/PrivCards/transport/retry';
import { rateLimiterFor } from '../../nodes/PrivCards/transport/rateLimit';
import { NO_RATE_LIMITS, startEmulator } from '../../emulator/emulator';
import type { Emulator } from '../../emulator/emulator';
import type { FaultSpec } from '../../emulator/faults';
import { TriggerHarness } from '../../harness/trigger';
import { dice } from '../../emulator/dice';

export interface LifecycleRunOptions {
	cycles: number;
	seed: number;
}

export interface LifecycleCounts {
	seed: number;
	cycles: number;
	/** Injected failures that hit a request. */
	failuresInjected: number;
	/** Of those, the ones the node's retries could not absorb: each must make its step throw. */
	failuresToReport: number;
	/** Steps that threw for such a failure. */
	failuresReported: number;
	/** Failures the retries absorbed: the step went on and succeeded. */
	failuresAbsorbed: number;
	/** Endpoints left at the emulator once the API recovered, beyond the one a clean activation keeps. */
	orphans: number;
	/** Steps that hid a failure, threw without one, or left the wrong endpoints: empty when the run proves R5. */
	mismatches: string[];
}

type Step = 'activate' | 'deactivate';
type RouteKey = 'list' | 'create' | 'delete';

const LANES = 10;
/** One request plus every retry of it. */
const ATTEMPTS = RETRY_POLICY.maxRetries + 1;
const ROUTES_OF: Record<Step, RouteKey[]> = {
	activate: ['list', 'create', 'delete'],
	deactivate: ['list', 'delete'],
};
const TARGETS: Record<RouteKey, Pick<FaultSpec, 'method' | 'path'>> = {
	list: { method: ROUTES.listWebhooks.method, path: ROUTES.listWebhooks.path },
	create: { method: ROUTES.createWebhook.method, path: ROUTES.createWebhook.path },
	delete: { method: ROUTES.deleteWebhook.method, path: ROUTES.deleteWebhook.path },
};

interface Failure {
	spec: Omit<FaultSpec, 'method' | 'path' | 'times'>;
	retried: boolean;
}

const FAILURES: Failure[] = [
	{ spec: { status: 500 }, retried: true },
	{ spec: { status: 503 }, retried: true },
	{ spec: { status: 429, retryAfterSeconds: 1 }, retried: true },
	{ spec: { resetConnection: 'beforeProcessing' }, retried: true },
	{ spec: { resetConnection: 'afterCommit' }, retried: true },
	{ spec: { status: 400 }, retried: false },
	{ spec: { status: 401 }, retried: false },
	{ spec: { status: 403 }, retried: false },
];

function endpointsAt(emulator: Emulator, trigger: TriggerHarness) {
	return emulator.state.webhooks().filter((endpoint) => endpoint.url === trigger.webhookUrl);
}

async function runLane(
	lane: number,
	cycles: number,
	seed: number,
	counts: LifecycleCounts,
): Promise<void> {
	const random = dice(seed * LANES + lane);
	const pick = (count: number) => Math.floor(random() * count);
	// The emulator enforces no rate limit here, and the node's budget, its windows at a millionth of their length, holds
	// nothing back: the soak sends tens of thousands of requests, more than the published hour allows.
	const emulator = await startEmulator({ rateLimits: NO_RATE_LIMITS });
	rateLimiterFor(emulator.baseUrl, emulator.testKey, { windowScale: 1e-6 });
	const trigger = await TriggerHarness.start({
		credential: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
		events: ['card.created'],
	});
	const problems = counts.mismatches;

	async function step(step: Step, cycle: number): Promise<void> {
		const where = `seed ${seed}, lane ${lane}, cycle ${cycle}, ${step}`;
		const route = ROUTES_OF[step][pick(ROUTES_OF[step].length)];
		const failure = FAILURES[pick(FAILURES.length)];
		const times = failure.retried ? [1, 2, ATTEMPTS][pick(3)] : 1;
		const injected = emulator.faults.inject({ ...TARGETS[route], ...failure.spec, times });
		let thrown: unknown;
		try {
			await (step === 'activate' ? trigger.activate() : trigger.deactivate());
		} catch (error) {
			thrown = error;
		}
		const hits = times - injected.remaining;
		emulator.faults.clear();
		const label = `${route} ${JSON.stringify(failure.spec)} ×${hits}`;
		if (hits > 0) counts.failuresInjected += 1;
		// A 429 is retried for as long as the rate-limit wait allows, not a number of times: only other faults outlast it.
		const mustReport =
			hits > 0 && (!failure.retried || (hits >= ATTEMPTS && failure.spec.status !== 429));
		if (mustReport) counts.failuresToReport += 1;
		if (thrown !== undefined) {
			const message = (thrown as Error).message;
			if (mustReport && typeof message === 'string' && message.trim() !== '')
				counts.failuresReported += 1;
			else problems.push(`${where}: threw "${message}" after ${label}, which the retries absorb`);
			return;
		}
		if (mustReport) {
			problems.push(`${where}: ${label} was swallowed: the step reported success`);
			return;
		}
		if (hits > 0) counts.failuresAbsorbed += 1;
		const left = endpointsAt(emulator, trigger).length;
		if (left !== (step === 'activate' ? 1 : 0)) {
			problems.push(`${where}: succeeded with ${left} endpoints at its URL after ${label}`);
		}
	}

	try {
		for (let cycle = 0; cycle < cycles; cycle++) {
			await step('activate', cycle);
			await step('deactivate', cycle);
			counts.cycles += 1;
		}
		// The API has recovered: a clean activation keeps exactly its own endpoint, a clean deactivation none.
		await trigger.activate();
		const kept = endpointsAt(emulator, trigger);
		const recorded = trigger.recordedEndpointId;
		counts.orphans += kept.filter((endpoint) => endpoint.id !== recorded).length;
		if (!kept.some((endpoint) => endpoint.id === recorded)) {
			problems.push(
				`seed ${seed}, lane ${lane}: the clean activation recorded an endpoint that is not registered`,
			);
		}
		await trigger.deactivate();
		counts.orphans += emulator.state.webhooks().length;
	} finally {
		await trigger.stop();
		await emulator.stop();
	}
}

export async function runLifecycleUnderFaults(
	options: LifecycleRunOptions,
): Promise<LifecycleCounts> {
	const counts: LifecycleCounts = {
		seed: options.seed,
		cycles: 0,
		failuresInjected: 0,
		failuresToReport: 0,
		failuresReported: 0,
		failuresAbsorbed: 0,
		orphans: 0,
		mismatches: [],
	};
	const lanes = Math.min(LANES, options.cycles);
	await Promise.all(
		Array.from({ length: lanes }, (_, lane) => {
			const cycles = Math.floor(options.cycles / lanes) + (lane < options.cycles % lanes ? 1 : 0);
			return runLane(lane, cycles, options.seed, counts);
		}),
	);
	return counts;
}
