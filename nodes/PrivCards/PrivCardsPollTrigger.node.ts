import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { ALL_EVENTS, EVENT_TYPE_OPTIONS } from './contract';
import type { EventType } from './contract';
import { EVENTS_SUBTITLE, eventsField, outputDataOnlyOption } from './trigger';
import {
	advance,
	byCreation,
	eventOf,
	isoSecond,
	newestRecord,
	POLL_SOURCES,
	POLLABLE_EVENTS,
	readCursor,
	readNewRecords,
	writeCursors,
} from './poll';
import type { ListCursor, PolledEvent, PollSource } from './poll';

const DEFAULT_POLL_BUDGET_MS = 5 * 60_000;

/** The chosen event types, `*` expanded; anything this trigger cannot derive is refused before any request. */
function chosenEvents(context: IPollFunctions): EventType[] {
	const value = context.getNodeParameter('events', []) as unknown;
	const selection = Array.isArray(value) ? value.map(String) : [];
	if (selection.includes(ALL_EVENTS)) return [...POLLABLE_EVENTS];
	const refused = selection.filter((event) => !POLLABLE_EVENTS.includes(event as EventType));
	if (refused.length > 0 || selection.length === 0) {
		throw new NodeOperationError(
			context.getNode(),
			refused.length > 0
				? `Events: this trigger cannot derive ${refused.join(', ')}`
				: 'Events: choose at least one event',
			{
				description: `It derives ${POLLABLE_EVENTS.join(', ')}; the PrivCards Trigger (webhooks) has them all.`,
			},
		);
	}
	return selection as EventType[];
}

/** Where a list never polled starts: the Start From option, or the current second. */
function startSecond(context: IPollFunctions, nowMs: number): string {
	const value = context.getNodeParameter('options.startFrom', '') as unknown;
	if (value === '' || value === undefined || value === null) return isoSecond(nowMs);
	const ms = Date.parse(String(value));
	if (Number.isNaN(ms)) {
		throw new NodeOperationError(
			context.getNode(),
			`Start From: "${String(value)}" is not a date and time`,
		);
	}
	return isoSecond(ms);
}

/** How long n8n lets a poll run (n8n 1.x does not say: its 2.x default of 5 minutes). */
function pollBudgetMs(context: IPollFunctions): number {
	const budget = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : NaN;
	return Number.isFinite(budget) && budget > 0 ? budget : DEFAULT_POLL_BUDGET_MS;
}

function output(context: IPollFunctions, events: PolledEvent[]): INodeExecutionData[][] {
	const dataOnly = context.getNodeParameter('options.outputDataOnly', false) === true;
	const json = events.map((event) => (dataOnly ? event.data : ({ ...event } as IDataObject)));
	return [context.helpers.returnJsonArray(json)];
}

function sourcesFor(chosen: readonly EventType[]): PollSource[] {
	return POLL_SOURCES.filter((source) => source.events.some((event) => chosen.includes(event)));
}

function chosenEventOf(source: PollSource, record: IDataObject, chosen: readonly EventType[]) {
	const type = source.eventOf(record);
	return type !== undefined && chosen.includes(type) ? type : undefined;
}

export class PrivCardsPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PrivCards Poll Trigger',
		name: 'privCardsPollTrigger',
		icon: { light: 'file:../../icons/privcards.svg', dark: 'file:../../icons/privcards.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description:
			'Starts the workflow when PrivCards lists a new transaction, card or deposit: checks on a schedule, no public URL needed',
		defaults: { name: 'PrivCards Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'privCardsApi', required: true }],
		properties: [
			{
				displayName:
					"Checks PrivCards' lists on the schedule below, so n8n needs no public URL. It derives transaction, card created and deposit pending events; the PrivCards Trigger (webhooks) has every event type, in real time.",
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			eventsField(
				'Every event type this trigger can derive',
				EVENT_TYPE_OPTIONS.filter((option) => POLLABLE_EVENTS.includes(option.value as EventType)),
			),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					outputDataOnlyOption('the transaction, card or deposit'),
					{
						displayName: 'Start From',
						name: 'startFrom',
						type: 'dateTime',
						default: '',
						description:
							'Where the first poll after activation starts: events created at or after this time. Empty: from the first poll on, no history.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const chosen = chosenEvents(this);
		const sources = sourcesFor(chosen);
		if (this.getMode() === 'manual') {
			const newest: PolledEvent[] = [];
			for (const source of sources) {
				const isChosen = (record: IDataObject) =>
					chosenEventOf(source, record, chosen) !== undefined;
				const record = await newestRecord(this, source, source.query(chosen), isChosen);
				if (record !== undefined) newest.push(eventOf(source.eventOf(record) as EventType, record));
			}
			const latest = byCreation(newest).pop();
			return latest === undefined ? null : output(this, [latest]);
		}

		const nowMs = Date.now();
		const staticData = this.getWorkflowStaticData('node');
		const start = startSecond(this, nowMs);
		const window = {
			endMs: Math.floor(nowMs / 1000) * 1000,
			deadlineMs: nowMs + pollBudgetMs(this) / 2,
		};
		const cursors: Record<string, ListCursor> = {};
		const events: PolledEvent[] = [];
		for (const source of sources) {
			const cursor = readCursor(staticData, source.name) ?? { second: start, seen: [] };
			const records = await readNewRecords(this, source, source.query(chosen), {
				...window,
				cursor,
			});
			cursors[source.name] = advance(
				cursor,
				records.map((record) => ({ id: String(record.id), createdAt: record.created_at })),
			);
			for (const record of records) {
				const type = chosenEventOf(source, record, chosen);
				if (type !== undefined) events.push(eventOf(type, record));
			}
		}
		// Only now, every request answered: a failure above leaves the cursors where they were.
		writeCursors(staticData, cursors);
		return events.length === 0 ? null : output(this, byCreation(events));
	}
}
