// The delivery checks the single-process and the queue-mode suites both run against a real n8n: the same
// signed event again after a pause, a burst of distinct events and the same burst again, the workflow
// re-published while deliveries stream in, deactivation. Each check asserts what a user sees (every event
// reaches the sink, Slack's stand-in, exactly once) and counts n8n's executions too.
//
// Between the emulator and n8n sits a tap: n8n's webhook URL (`N8N_WEBHOOK_URL`) points at it, so the trigger
// registers the tap's address, and the tap forwards every request to n8n (the webhook processor in queue
// mode, as a load balancer would) and keeps each delivery's exact bytes, headers and answer. Repeats are those
// bytes sent again; tampered and unsigned deliveries are altered copies.

import * as http from 'node:http';

import { setTimeout as sleep } from 'node:timers/promises';

import type { RunningN8n } from '../../real-n8n/running';
import {
	api,
	declineAlertExample,
	listAll,
	prepare,
	slackToSink,
	TRIGGER,
	waitFor,
	type Card,
	type Emulator,
	type Endpoint,
	type Json,
	type Sink,
	type Workflow,
	type WorkflowNode,
} from './support';

/** Header names the sink's HTTP Request node sends (see `sinkHeaders`). */
const EVENT_HEADER = 'x-privcards-e2e-event';
const EXECUTION_HEADER = 'x-privcards-e2e-execution';

/**
 * The decline-alert example ready to import as `id`: its Slack node swapped for an HTTP Request to the sink that
 * also sends which event and which execution each message came from.
 */
export function declineAlertToSink(
	id: string,
	sinkUrl: string,
): { workflow: Workflow; triggerName: string } {
	const workflow = prepare(declineAlertExample(), id);
	const trigger = workflow.nodes.find((n) => n.type === TRIGGER);
	if (!trigger) throw new Error('the decline-alert example has no PrivCards Trigger');
	slackToSink(workflow, sinkUrl, {
		[EVENT_HEADER]: `={{ $('${trigger.name}').item.json.id }}`,
		[EXECUTION_HEADER]: '={{ $execution.id }}',
	});
	return { workflow, triggerName: trigger.name };
}

// ---------------------------------------------------------------------------------------------------
// the tap

export interface TapRecord {
	/** `emulator`: a delivery the emulator sent through the tap; `test`: one this test sent itself. */
	source: 'emulator' | 'test';
	path: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	/** The event ID in the body, if it parses. */
	eventId: string | undefined;
	/** n8n's answer; null when it gave none. */
	status: number | null;
	/** When the answer came (epoch ms), and how long n8n took to give it. */
	at: number;
	ms: number;
}

const HOP_BY_HOP = new Set([
	'host',
	'connection',
	'content-length',
	'transfer-encoding',
	'keep-alive',
]);

function eventIdOf(body: Buffer): string | undefined {
	try {
		const id = (JSON.parse(body.toString('utf8')) as { id?: unknown }).id;
		return typeof id === 'string' ? id : undefined;
	} catch {
		return undefined;
	}
}

/** A recording reverse proxy to n8n on 127.0.0.1:`upstreamPort`. */
export class Tap {
	readonly records: TapRecord[] = [];
	/** Where requests go; set before n8n receives any. */
	upstreamPort = 0;
	private inFlight = 0;

	private constructor(
		private readonly server: http.Server,
		readonly url: string,
	) {}

	static async start(): Promise<Tap> {
		const server = http.createServer();
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const addr = server.address();
		const port = typeof addr === 'object' && addr ? addr.port : 0;
		const tap = new Tap(server, `http://127.0.0.1:${port}`);
		server.on(
			'request',
			(req: http.IncomingMessage, res: http.ServerResponse) => void tap.forward(req, res),
		);
		return tap;
	}

	/** True while a request is on its way to n8n or back. */
	get busy(): boolean {
		return this.inFlight > 0;
	}

	/** Deliveries (POSTs) with their answers, of one source or all. */
	deliveries(source?: TapRecord['source']): TapRecord[] {
		return this.records.filter((r) => source === undefined || r.source === source);
	}

	/** Sends `body` with `headers` to n8n at `path` itself (a repeat, a tampered copy), recorded as `test`. */
	async send(record: Pick<TapRecord, 'path' | 'headers' | 'body'>): Promise<number | null> {
		const started = Date.now();
		const result = await this.upstream('POST', record.path, record.headers, record.body);
		this.records.push({
			source: 'test',
			path: record.path,
			headers: record.headers,
			body: record.body,
			eventId: eventIdOf(record.body),
			status: result.status,
			at: Date.now(),
			ms: Date.now() - started,
		});
		return result.status;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((r) => this.server.close(() => r()));
	}

	private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const method = req.method ?? 'GET';
		const started = Date.now();
		const result = await this.upstream(method, req.url ?? '/', req.headers, body);
		if (method === 'POST') {
			this.records.push({
				source: 'emulator',
				path: req.url ?? '/',
				headers: req.headers,
				body,
				eventId: eventIdOf(body),
				status: result.status,
				at: Date.now(),
				ms: Date.now() - started,
			});
		}
		if (result.status === null) res.writeHead(502).end();
		else res.writeHead(result.status, result.headers).end(result.body);
	}

	private upstream(
		method: string,
		path: string,
		headers: http.IncomingHttpHeaders,
		body: Buffer,
	): Promise<{ status: number | null; headers: http.OutgoingHttpHeaders; body: Buffer }> {
		const outgoing: http.OutgoingHttpHeaders = {};
		for (const [name, value] of Object.entries(headers)) {
			if (!HOP_BY_HOP.has(name) && value !== undefined) outgoing[name] = value;
		}
		if (body.length > 0) outgoing['content-length'] = body.length;
		this.inFlight += 1;
		return new Promise((resolve) => {
			const req = http.request(
				{
					host: '127.0.0.1',
					port: this.upstreamPort,
					method,
					path,
					headers: outgoing,
					timeout: 30_000,
				},
				(res) => {
					const parts: Buffer[] = [];
					res.on('data', (c: Buffer) => parts.push(c));
					res.on('end', () => {
						const answerHeaders: http.OutgoingHttpHeaders = {};
						for (const [name, value] of Object.entries(res.headers)) {
							if (!HOP_BY_HOP.has(name) && value !== undefined) answerHeaders[name] = value;
						}
						resolve({
							status: res.statusCode ?? null,
							headers: answerHeaders,
							body: Buffer.concat(parts),
						});
					});
					res.on('error', () => resolve({ status: null, headers: {}, body: Buffer.alloc(0) }));
				},
			);
			req.on('timeout', () => req.destroy(new Error('no answer')));
			req.on('error', () => resolve({ status: null, headers: {}, body: Buffer.alloc(0) }));
			req.end(body);
		}).finally(() => {
			this.inFlight -= 1;
		}) as Promise<{ status: number | null; headers: http.OutgoingHttpHeaders; body: Buffer }>;
	}
}

// ---------------------------------------------------------------------------------------------------
// the rig: one deployment of the decline-alert workflow

export interface Deployment {
	/** For messages: `single process` or `queue mode`. */
	name: string;
	emulator: Emulator;
	tap: Tap;
	sink: Sink;
	/** The process with n8n's REST API (logged in). */
	main: RunningN8n;
	/** The process that receives the webhooks (the webhook processor in queue mode). */
	receiver: RunningN8n;
	workers: RunningN8n[];
	workflowId: string;
	triggerName: string;
}

export interface ExecutionCounts {
	/** Executions n8n finished (any status). */
	finished: number;
	/** Executions queued or running. */
	current: number;
}

/** What the checks counted, printed at the end of a suite. */
export class Report {
	private readonly lines: string[] = [];

	add(line: string): void {
		this.lines.push(line);
		process.stderr.write(`[e2e] ${line}\n`);
	}

	print(title: string): void {
		process.stderr.write(`\n[e2e] ${title}\n${this.lines.map((l) => `  ${l}`).join('\n')}\n\n`);
	}
}

/** How often each value occurs: `{ "200": 50 }`. */
const tally = (values: Array<number | string | null>): Record<string, number> => {
	const counts: Record<string, number> = {};
	for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
	return counts;
};

/** "50×200, 2×401" */
const statusTally = (values: Array<number | string | null>): string =>
	Object.entries(tally(values))
		.map(([v, n]) => `${n}×${v}`)
		.join(', ') || 'none';

/** "median 120 ms, max 9.8 s" */
const spread = (ms: number[]): string => {
	const sorted = [...ms].sort((a, b) => a - b);
	const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
	const max = sorted[sorted.length - 1] ?? 0;
	return `median ${median} ms, max ${max} ms`;
};

export class DeliveryRig {
	private card: Card | undefined;

	constructor(
		readonly d: Deployment,
		readonly report: Report,
	) {}

	private context = (): string =>
		[this.d.receiver, ...this.d.workers, this.d.main]
			.filter((p, i, all) => all.indexOf(p) === i)
			.map((p) => `--- n8n on port ${p.port}:\n${p.output(25)}`)
			.join('\n');

	wait<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
		return waitFor(`${what} (${this.d.name})`, probe, timeoutMs, this.context);
	}

	/** A signed `transaction.declined` from the emulator (a 5.00 card tries to spend 25.00); its event ID. */
	async decline(): Promise<string> {
		const { emulator } = this.d;
		this.card ??= await api<Card>(emulator, 'POST', '/cards', {
			bin_id: (await api<{ data: Array<{ id: string }> }>(emulator, 'GET', '/bins')).data[0].id,
			amount: 5,
			label: 'E2E replay card',
		});
		const txn = await api<{ id: string; type: string }>(
			emulator,
			'POST',
			'/sandbox/authorizations',
			{
				card_id: this.card.id,
				amount: 25,
				merchant: { name: 'E2E Merchant Ltd', category: 'advertising', mcc: '7311', country: 'US' },
			},
		);
		if (txn.type !== 'decline') throw new Error(`expected a decline, got ${JSON.stringify(txn)}`);
		const event = emulator.events.find(
			(e) => e.type === 'transaction.declined' && (e.data as { id?: string }).id === txn.id,
		);
		if (!event) throw new Error(`the emulator emitted no transaction.declined for ${txn.id}`);
		return event.id;
	}

	/** The emulator's first delivery of `eventId` through the tap, once n8n answered it. */
	firstDelivery(eventId: string, timeoutMs = 30_000): Promise<TapRecord> {
		return this.wait(
			`the delivery of ${eventId}`,
			async () => this.d.tap.deliveries('emulator').find((r) => r.eventId === eventId),
			timeoutMs,
		);
	}

	/** How many messages from each event reached the sink. */
	sinkCounts(): Map<string, number> {
		const counts = new Map<string, number>();
		for (const m of this.d.sink.received) {
			const id = String(m.headers[EVENT_HEADER] ?? '');
			counts.set(id, (counts.get(id) ?? 0) + 1);
		}
		return counts;
	}

	sinkCount(eventId: string): number {
		return this.sinkCounts().get(eventId) ?? 0;
	}

	/** The execution ID the sink's message for `eventId` came from. */
	executionOf(eventId: string): string | undefined {
		const m = this.d.sink.received.find((r) => r.headers[EVENT_HEADER] === eventId);
		const id = m?.headers[EXECUTION_HEADER];
		return typeof id === 'string' ? id : undefined;
	}

	/** Waits until every one of `eventIds` reached the sink at least once. */
	async waitForSink(eventIds: string[], timeoutMs = 60_000): Promise<void> {
		await this.wait(
			`${eventIds.length} event(s) at the sink`,
			async () => {
				const counts = this.sinkCounts();
				return eventIds.every((id) => (counts.get(id) ?? 0) > 0) ? true : undefined;
			},
			timeoutMs,
		);
	}

	/** The workflow's executions as n8n's REST API lists them. */
	async executions(): Promise<ExecutionCounts> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: this.d.workflowId }));
		const res = await this.d.main.rest<{ count?: number; results?: Array<{ status: string }> }>(
			'GET',
			`executions?filter=${filter}&limit=100`,
		);
		if (res.status !== 200)
			throw new Error(`listing executions: HTTP ${res.status} ${res.raw.slice(0, 300)}`);
		const current = (res.data.results ?? []).filter(
			(e) => e.status === 'new' || e.status === 'running',
		);
		return { finished: res.data.count ?? 0, current: current.length };
	}

	/**
	 * Waits until nothing moves: the emulator has no delivery running or waiting for a retry, the tap nothing in
	 * flight, n8n no execution queued or running, and the sink and the execution count stayed put for `quietMs`.
	 * Returns the finished executions.
	 */
	async settle(quietMs = 1500, timeoutMs = 90_000): Promise<number> {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		let since = Date.now();
		for (;;) {
			await this.d.emulator.deliveriesSettled();
			const counts = await this.executions();
			const state = `${counts.finished}/${counts.current}/${this.d.sink.received.length}/${this.d.tap.records.length}`;
			if (state !== last || counts.current > 0 || this.d.tap.busy) {
				last = state;
				since = Date.now();
			} else if (Date.now() - since >= quietMs) {
				return counts.finished;
			}
			if (Date.now() > deadline)
				throw new Error(
					`${this.d.name}: still busy after ${timeoutMs} ms (${state})\n${this.context()}`,
				);
			await sleep(250);
		}
	}

	endpoints(): Promise<Endpoint[]> {
		return listAll<Endpoint>(this.d.emulator, '/webhooks');
	}

	/** The trigger node's events in the stored draft. */
	private async storedTrigger(): Promise<{
		nodes: WorkflowNode[];
		connections: Json;
		trigger: WorkflowNode;
	}> {
		const res = await this.d.main.rest<{ nodes: WorkflowNode[]; connections: Json }>(
			'GET',
			`workflows/${encodeURIComponent(this.d.workflowId)}`,
		);
		if (res.status !== 200)
			throw new Error(`reading the workflow: HTTP ${res.status} ${res.raw.slice(0, 300)}`);
		const trigger = res.data.nodes.find((n) => n.name === this.d.triggerName);
		if (!trigger) throw new Error(`no node ${this.d.triggerName} in the stored workflow`);
		return { ...res.data, trigger };
	}

	/**
	 * Saves the workflow with the trigger on `events` (or, with none, the trigger only moved on the canvas: its
	 * parameters unchanged) and publishes that version, as the editor does.
	 */
	async republish(events?: string[]): Promise<void> {
		const { nodes, connections, trigger } = await this.storedTrigger();
		if (events === undefined) trigger.position = [trigger.position[0] + 20, trigger.position[1]];
		else trigger.parameters = { ...trigger.parameters, events };
		const saved = await this.d.main.rest<{ versionId: string }>(
			'PATCH',
			`workflows/${encodeURIComponent(this.d.workflowId)}`,
			{ nodes, connections },
		);
		if (saved.status !== 200)
			throw new Error(`saving the workflow: HTTP ${saved.status} ${saved.raw.slice(0, 300)}`);
		await this.d.main.activate(this.d.workflowId, saved.data.versionId);
	}

	/** Waits until the emulator holds exactly one endpoint, on `events`, not one of `notIds`, and n8n serves it. */
	async waitForOnlyEndpoint(
		events: string[],
		notIds: string[] = [],
		timeoutMs = 30_000,
	): Promise<Endpoint> {
		const wanted = [...events].sort().join(',');
		let seen: Endpoint[] = [];
		const endpoint = await this.wait(
			`exactly one endpoint on ${wanted} (last seen: ${JSON.stringify(seen)})`,
			async () => {
				seen = await this.endpoints();
				const only = seen.length === 1 ? seen[0] : undefined;
				return only && [...only.events].sort().join(',') === wanted && !notIds.includes(only.id)
					? only
					: undefined;
			},
			timeoutMs,
		).catch((e: Error) => {
			throw new Error(`${e.message}\nendpoints at the emulator: ${JSON.stringify(seen)}`);
		});
		await this.d.receiver.waitForWebhook(endpoint.url);
		return endpoint;
	}

	/** Deactivates through the REST API and waits (bounded) for the emulator's endpoint list to empty. */
	async deactivate(timeoutMs = 20_000): Promise<Endpoint[]> {
		await this.d.main.deactivate(this.d.workflowId);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const left = await this.endpoints();
			if (left.length === 0 || Date.now() > deadline) return left;
			await sleep(250);
		}
	}

	/** The emulator's own record of its attempts to deliver `eventIds`: how many, how many retries, what came back. */
	emulatorAttempts(eventIds: string[]): { total: number; retries: number; outcomes: string } {
		const ids = new Set(eventIds);
		const attempts = this.d.emulator.deliveries.filter((a) => ids.has(a.eventId));
		const outcomes = new Map<string, number>();
		for (const a of attempts) {
			const key = a.status !== null ? String(a.status) : (a.error ?? 'no answer');
			outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
		}
		return {
			total: attempts.length,
			retries: attempts.filter((a) => a.attempt > 1).length,
			outcomes: [...outcomes].map(([k, n]) => `${n}×${k}`).join(', ') || 'none',
		};
	}

	/** The workers (by index) that logged starting `executionId`. */
	workersThatRan(executionId: string): number[] {
		return this.d.workers
			.map((w, i) => (w.output(2000).includes(`Worker started execution ${executionId} `) ? i : -1))
			.filter((i) => i >= 0);
	}
}

// ---------------------------------------------------------------------------------------------------
// the checks

/**
 * Each pause: a decline is delivered, and once n8n answered it the same bytes are sent again after the pause
 * (what PrivCards does when an answer got lost). The pairs run side by side.
 */
async function checkSequentialRepeats(rig: DeliveryRig, pausesMs: number[]): Promise<void> {
	const t0 = Date.now();
	const before = await rig.settle();
	const pairs = await Promise.all(
		pausesMs.map(async (pauseMs) => {
			const eventId = await rig.decline();
			const first = await rig.firstDelivery(eventId);
			await sleep(pauseMs);
			const repeat = await rig.d.tap.send(first);
			return { pauseMs, eventId, first: first.status, repeat };
		}),
	);
	const after = await rig.settle();
	const seen = pairs.map((p) => ({
		pauseMs: p.pauseMs,
		first: p.first,
		repeat: p.repeat,
		atSink: rig.sinkCount(p.eventId),
	}));
	rig.report.add(
		`${rig.d.name} repeats after ${pausesMs.map((p) => `${p / 1000} s`).join(', ')}: ${pairs.length * 2} deliveries ` +
			`(${pairs.length} events × 2), answers first ${statusTally(pairs.map((p) => p.first))}, repeat ${statusTally(pairs.map((p) => p.repeat))}; ` +
			`at the sink ${seen.map((s) => s.atSink).join('/')}; executions ${after - before}; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
	);
	expect({ pairs: seen, executions: after - before }).toEqual({
		pairs: pausesMs.map((pauseMs) => ({ pauseMs, first: 200, repeat: 200, atSink: 1 })),
		executions: pausesMs.length,
	});
}

/** `n` distinct declines at once, all answered and each at the sink once; then the same `n` deliveries again. */
async function checkBurstThenRepeat(rig: DeliveryRig, n: number): Promise<void> {
	const t0 = Date.now();
	const before = await rig.settle();
	const eventIds = await Promise.all(Array.from({ length: n }, () => rig.decline()));
	const firsts = await Promise.all(eventIds.map((id) => rig.firstDelivery(id, 60_000)));
	await rig.waitForSink(eventIds, 120_000);
	const mid = await rig.settle();
	const burstSeconds = (Date.now() - t0) / 1000;
	const repeats = await Promise.all(firsts.map((r) => rig.d.tap.send(r)));
	const after = await rig.settle();
	const counts = eventIds.map((id) => rig.sinkCount(id));
	const emulatorTries = rig.emulatorAttempts(eventIds);
	const workers = new Map<number, number>();
	for (const id of eventIds) {
		const execution = rig.executionOf(id);
		for (const w of execution ? rig.workersThatRan(execution) : [])
			workers.set(w, (workers.get(w) ?? 0) + 1);
	}
	rig.report.add(
		`${rig.d.name} burst: ${n} distinct deliveries answered ${statusTally(firsts.map((r) => r.status))}, ` +
			`n8n answered in ${spread(firsts.map((r) => r.ms))}, ` +
			`${counts.filter((c) => c > 0).length} reached the sink, ${mid - before} executions in ${burstSeconds.toFixed(1)} s` +
			` (the emulator tried ${emulatorTries.total} times: ${emulatorTries.retries} retries, outcomes ${emulatorTries.outcomes})` +
			(rig.d.workers.length > 0
				? ` (by worker: ${[...workers].map(([w, c]) => `#${w + 1} ${c}`).join(', ')})`
				: '') +
			`; the same ${n} again answered ${statusTally(repeats)}, ${after - mid} more executions, ` +
			`sink messages per event ${statusTally(counts)}`,
	);
	expect({
		firstAnswers: tally(firsts.map((r) => r.status)),
		executions: mid - before,
		repeatAnswers: tally(repeats),
		messagesPerEvent: tally(counts),
		executionsOfRepeats: after - mid,
	}).toEqual({
		firstAnswers: { 200: n },
		executions: n,
		repeatAnswers: { 200: n },
		messagesPerEvent: { 1: n },
		executionsOfRepeats: 0,
	});
}

/**
 * Declines stream in (one every `everyMs`) while the workflow is saved with other events and published again,
 * `rounds` times. Afterwards exactly one endpoint is left, on the last events, a new decline to it is verified
 * and reaches the sink once, and no streamed event reached the sink twice.
 */
async function checkRepublishUnderStream(
	rig: DeliveryRig,
	rounds: number,
	everyMs = 500,
): Promise<void> {
	const t0 = Date.now();
	const eventSets = [['transaction.declined', 'card.frozen'], ['transaction.declined']];
	const streamed: string[] = [];
	let streaming = true;
	const stream = (async () => {
		while (streaming) {
			streamed.push(await rig.decline());
			await sleep(everyMs);
		}
	})();
	let last = eventSets[1];
	try {
		for (let round = 0; round < rounds; round++) {
			last = eventSets[round % 2];
			const previous = (await rig.endpoints()).map((e) => e.id);
			await rig.republish(last);
			await rig.waitForOnlyEndpoint(last, previous);
			await sleep(500); // let the stream reach the new endpoint before the next round
		}
	} finally {
		streaming = false;
		await stream;
	}
	const streamedSet = new Set(streamed);
	await rig.settle();
	const left = await rig.endpoints();

	const fresh = await rig.decline();
	const first = await rig.firstDelivery(fresh);
	if (first.status === 200) await rig.waitForSink([fresh], 30_000);
	await rig.settle();

	const attempts = rig.d.tap
		.deliveries('emulator')
		.filter((r) => r.eventId && streamedSet.has(r.eventId));
	const counts = streamed.map((id) => rig.sinkCount(id));
	const emulatorTries = rig.emulatorAttempts(streamed);
	// How each lost event went: its attempts' answers, in order, and whether the endpoint they went to still exists.
	const lost = streamed.filter((id) => rig.sinkCount(id) === 0);
	const endpointIds = new Set(left.map((e) => e.id));
	const lostHow =
		statusTally(
			lost.map((id) => {
				const tries = rig.d.emulator.deliveries.filter((a) => a.eventId === id);
				const gone = tries.every((a) => !endpointIds.has(a.endpointId));
				return `[${tries.map((a) => a.status ?? a.error).join(' ')}${gone ? ', endpoint deleted' : ''}]`;
			}),
		) || 'none';
	rig.report.add(
		`${rig.d.name} re-publish: ${rounds} rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s with ${streamed.length} declines streaming, ` +
			`${attempts.length} delivery attempts reached n8n, answered ${statusTally(attempts.map((r) => r.status))} ` +
			`(the emulator: ${emulatorTries.total} attempts, ${emulatorTries.retries} retries, outcomes ${emulatorTries.outcomes}); ` +
			`${counts.filter((c) => c === 1).length} reached the sink once, ${counts.filter((c) => c > 1).length} more than once, ` +
			`${lost.length} never (${lostHow}); ` +
			`endpoints left ${left.length}; a new delivery afterwards answered ${first.status}, at the sink ${rig.sinkCount(fresh)}×`,
	);
	expect(left.map((e) => [...e.events].sort())).toEqual([[...last].sort()]);
	expect(first.status).toBe(200);
	expect(rig.sinkCount(fresh)).toBe(1);
	expect(counts.filter((c) => c > 1)).toEqual([]);
}

/**
 * Declines stream in (one every `everyMs`) while the workflow is published again `rounds` times with the trigger's
 * parameters unchanged (only moved on the canvas): n8n keeps the trigger registered, so the endpoint stays and
 * every streamed decline reaches the sink exactly once.
 */
async function checkUnchangedRepublishUnderStream(
	rig: DeliveryRig,
	rounds: number,
	everyMs = 500,
): Promise<void> {
	const t0 = Date.now();
	const before = (await rig.endpoints()).map((e) => e.id);
	const streamed: string[] = [];
	let streaming = true;
	const stream = (async () => {
		while (streaming) {
			streamed.push(await rig.decline());
			await sleep(everyMs);
		}
	})();
	try {
		for (let round = 0; round < rounds; round++) {
			await rig.republish();
			await sleep(1500);
		}
	} finally {
		streaming = false;
		await stream;
	}
	await rig.settle();
	await rig.waitForSink(streamed, 30_000).catch(() => undefined);
	const counts = streamed.map((id) => rig.sinkCount(id));
	const after = (await rig.endpoints()).map((e) => e.id);
	rig.report.add(
		`${rig.d.name} re-publish, trigger unchanged: ${rounds} rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s with ${streamed.length} declines streaming, ` +
			`${counts.filter((c) => c === 1).length} reached the sink once, ${counts.filter((c) => c > 1).length} more than once, ` +
			`${counts.filter((c) => c === 0).length} never; endpoint kept: ${String(before.join() === after.join())}`,
	);
	expect(after).toEqual(before);
	expect(counts).toEqual(streamed.map(() => 1));
}

/** Deactivation through the REST API removes the endpoint; a decline afterwards is delivered nowhere. */
async function checkDeactivation(rig: DeliveryRig): Promise<void> {
	const left = await rig.deactivate();
	const attemptsBefore = rig.d.emulator.deliveries.length;
	await rig.decline();
	await rig.settle();
	rig.report.add(`${rig.d.name} deactivation: endpoints left ${left.length}`);
	expect(left).toEqual([]);
	expect(rig.d.emulator.deliveries.length).toBe(attemptsBefore);
}

/**
 * The checks both suites run, as jest tests in this order: repeats after a pause, a burst and its repeat,
 * re-publishing under a stream, deactivation. `rig` gives the suite's rig once its set-up ran.
 */
export function deliveryTests(rig: () => DeliveryRig): void {
	test('the same signed event again 0.1 s, 1 s and 10 s after n8n answered it runs once each', async () => {
		await checkSequentialRepeats(rig(), [100, 1000, 10_000]);
	});

	test('a burst of 50 distinct events runs 50 times, and the same 50 deliveries again run nothing', async () => {
		await checkBurstThenRepeat(rig(), 50);
	});

	test('re-publishing with the trigger unchanged while deliveries stream in keeps its endpoint and loses nothing', async () => {
		await checkUnchangedRepublishUnderStream(rig(), 3);
	});

	test('re-publishing with other events while deliveries stream in leaves one endpoint that verifies', async () => {
		await checkRepublishUnderStream(rig(), 3);
	});

	test('deactivation leaves no endpoint', async () => {
		await checkDeactivation(rig());
	});
}
