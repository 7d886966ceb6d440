/**
 * Runs the PrivCards Poll Trigger the way n8n does: n8n-core's real PollContext over a Workflow that holds the
 * node's static data, and the node's `poll()` called on it as n8n's TriggersAndPollers calls it. The emulator's
 * clock is the test's clock, and so is the node's `Date.now()`.
 */
import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData, WorkflowExecuteMode } from 'n8n-workflow';

import { PrivCardsPollTrigger } from '../../nodes/PrivCards/PrivCardsPollTrigger.node';
import { additionalDataFor, nodeTypes, PACKAGE } from '../../harness/n8n';
import { startTestApi } from '../workflow/fixtures';
import type { TestApi } from '../workflow/fixtures';

const POLL_NODE_TYPE = `${PACKAGE}.privCardsPollTrigger`;
const trigger = new PrivCardsPollTrigger();
nodeTypes.register(POLL_NODE_TYPE, trigger);

/** What a database round trip keeps of static data. */
const copy = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

export interface PollBed {
	api: TestApi;
	/**
	 * One poll with the given parameters (the node's `events` and `options`): the events it output (their JSON),
	 * [] when it output nothing. Static data carries over from poll to poll, as n8n saves it.
	 */
	poll(parameters: IDataObject, mode?: WorkflowExecuteMode): Promise<IDataObject[]>;
	/** The node's static data as n8n would store it. */
	staticData(): IDataObject;
	/** Drops everything held in memory but the stored static data, as an n8n restart does. */
	restart(): void;
	/** n8n's clock runs this far ahead of the API's (default 0). */
	setSkew(ms: number): void;
}

export async function startPollBed(): Promise<PollBed> {
	const api = await startTestApi();
	let skewMs = 0;
	jest.spyOn(Date, 'now').mockImplementation(() => api.now() + skewMs);
	let stored: IDataObject = {};
	let workflowStaticData: IDataObject | undefined;
	let polls = 0;
	const node = (parameters: IDataObject): INode => ({
		id: 'c2d8e7b3-0a2f-4d6c-9b4e-3f7a8b9c0d1e',
		name: 'PrivCards Poll Trigger',
		type: POLL_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { privCardsApi: { id: '1', name: 'PrivCards account' } },
	});
	return {
		api,
		async poll(parameters, mode = 'trigger') {
			const pollNode = node(parameters);
			const workflow = new Workflow({
				id: 'wf-poll',
				name: 'PrivCards poll test',
				nodes: [pollNode],
				connections: {},
				active: true,
				nodeTypes,
				staticData: workflowStaticData ?? copy(stored),
			});
			workflowStaticData = workflow.staticData;
			const executionId = `poll-${++polls}`;
			const hooks = new ExecutionLifecycleHooks(mode, executionId, { id: workflow.id } as never);
			const additionalData = additionalDataFor(
				{ apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl },
				hooks,
				executionId,
			);
			const context = new PollContext(workflow, pollNode, additionalData, mode, 'activate');
			const output: INodeExecutionData[][] | null = await trigger.poll.call(context);
			// n8n stores the static data after a poll (classic mode) or commits it with the execution (durable mode).
			stored = copy(workflow.staticData);
			return (output?.[0] ?? []).map((item) => item.json);
		},
		staticData: () => copy(stored),
		restart() {
			workflowStaticData = undefined;
		},
		setSkew(ms) {
			skewMs = ms;
		},
	};
}
