// The rig of the delivery checks (delivery-checks.ts): one deployment of the decline-alert workflow in a real n8n,
// its Slack node swapped for a sink, the emulator delivering through the tap (delivery-tap.ts), and what the checks
// counted.
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
	EVENT_HEADER,
} from './support';
import { type Workflow, type WorkflowNode } from '../../real-n8n/workflow';

import type { Tap, TapRecord } from './delivery-tap';

/** Header names the sink's HTTP Request node sends (see `sinkHeaders`). */
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
export const tally = (values: Array<number | string | null>): Record<string, number> => {
	const counts: Record<string, number> = {};
	for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
	return counts;
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
