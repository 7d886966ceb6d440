/**
 * Runs this package's nodes the way n8n does: real node types and credential types, n8n-core's WorkflowExecute
 * and its real httpRequestWithAuthentication, the credential's authenticate function called as n8n's credentials
 * helper calls it. Nothing of n8n's request path is mocked.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core keeps its instance settings here: one folder per jest worker, reused by every run of the suite, so no two
// processes ever write the settings file at once.
process.env.N8N_USER_FOLDER ??= join(
	tmpdir(),
	`privcards-n8n-core-tests-${process.env.JEST_WORKER_ID ?? 'main'}`,
);
mkdirSync(process.env.N8N_USER_FOLDER, { recursive: true });
// Failed nodes are what many tests are about; n8n's logger would print each one.
process.env.N8N_LOG_LEVEL ??= 'silent';

import {
	Credentials,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	IConnections,
	IVersionedNodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { PrivCardsApi } from '../credentials/PrivCardsApi.credentials';
import { PrivCards } from '../nodes/PrivCards/PrivCards.node';

export const PACKAGE = 'n8n-nodes-privcards';
const ACTION_NODE_TYPE = `${PACKAGE}.privCards`;
/** The type n8n gives the action node when an AI agent (or an MCP Server Trigger) uses it as a tool. */
export const TOOL_NODE_TYPE = `${PACKAGE}.privCardsTool`;

const credentialTypes: Record<string, ICredentialType> = { privCardsApi: new PrivCardsApi() };

class PackageNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType>();

	register(name: string, type: INodeType): this {
		this.types.set(name, type);
		return this;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types.get(nodeType);
		if (type === undefined) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

/** Passes its items on: lets a test build a workflow in which one PrivCards node runs more than once. */
class PassThrough implements INodeType {
	description = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['transform'],
		version: 1,
		description: 'Test helper',
		defaults: { name: 'Pass Through' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export const PASS_THROUGH_NODE_TYPE = 'test.passThrough';

export const nodeTypes = new PackageNodeTypes()
	.register(ACTION_NODE_TYPE, new PrivCards())
	// As n8n's tool conversion names it: displayOptions' `@tool` reads the description's name.
	.register(
		TOOL_NODE_TYPE,
		Object.assign(new PrivCards(), {
			description: { ...new PrivCards().description, name: 'privCardsTool' },
		}),
	)
	.register(PASS_THROUGH_NODE_TYPE, new PassThrough());

/** n8n's credential helper reduced to what a workflow run needs, with the package's real credential type. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	/** As n8n's credentials helper does for a credential that authenticates with a function. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (typeof authenticate !== 'function') {
			throw new Error(`The ${typeName} credential must authenticate with a function`);
		}
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getCredentialsProperties() {
		return [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (data === undefined) throw new Error(`No ${type} credential in this test`);
		return { ...data };
	}

	async getCredentials(): Promise<Credentials> {
		return new Credentials({ id: null, name: '' }, '', '');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getOAuth2Options() {
		return undefined;
	}

	isCredentialUsableByNode() {
		return true;
	}
}

export interface PrivCardsCredential {
	apiKey: string;
	baseUrl: string;
}

export function additionalDataFor(
	credential: PrivCardsCredential,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper({ privCardsApi: { ...credential } }),
		hooks,
		executionId,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		currentNodeParameters: undefined,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not used by these tests');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Code tasks are not used by these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeUnderTest {
	name?: string;
	/** Default: the action node's type. */
	type?: string;
	parameters: IDataObject;
	continueOnFail?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface RunOptions {
	credential: PrivCardsCredential;
	/** The items the node receives (default: one empty item). */
	input?: IDataObject[];
	executionId?: string;
	workflowId?: string;
	staticData?: IDataObject;
	/** The execution's mode (default `manual`); a production webhook's execution runs in `webhook`. */
	mode?: WorkflowExecuteMode;
	/** Aborting it stops the execution as n8n's Stop button does (WorkflowExecute's cancel). */
	stop?: AbortSignal;
}

export interface RunResult {
	run: IRun;
	/** The node's output items (main output 0) of every run of the node. */
	items: INodeExecutionData[];
	/** The error the execution stopped with, if any. */
	error?: Error & { description?: string | null; httpCode?: string | null };
}

let executionCounter = 0;

/** A PrivCards action node as a workflow holds it. */
export function actionNode(node: NodeUnderTest): INode {
	return {
		id: 'b1c7d6a2-9f1e-4c5b-8a3d-2e6f7a8b9c0d',
		name: node.name ?? 'PrivCards',
		type: node.type ?? ACTION_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: node.parameters as INode['parameters'],
		credentials: { privCardsApi: { id: '1', name: 'PrivCards account' } },
		continueOnFail: node.continueOnFail,
		retryOnFail: node.retryOnFail,
		maxTries: node.maxTries,
		waitBetweenTries: node.waitBetweenTries,
	};
}

/** Executes one PrivCards action node over the given input items in a real n8n-core workflow run. */
export async function runNode(node: NodeUnderTest, options: RunOptions): Promise<RunResult> {
	const workflowNode = actionNode(node);
	return await runWorkflow([workflowNode], {}, workflowNode.name, options);
}

export async function runWorkflow(
	nodes: INode[],
	connections: IConnections,
	startNode: string,
	options: RunOptions,
): Promise<RunResult> {
	const executionId = options.executionId ?? `test-${++executionCounter}`;
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-test',
		name: 'PrivCards test',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: options.staticData,
	});
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: 'PrivCards test',
		nodes,
		connections,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let resolveRun: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const start = workflow.getNode(startNode);
	if (start === null) throw new Error(`No node ${startNode}`);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: start,
					data: { main: [(options.input ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});
	const execute = new WorkflowExecute(
		additionalDataFor(options.credential, hooks, executionId),
		mode,
		runExecutionData,
	);
	const running = execute.processRunExecutionData(workflow);
	options.stop?.addEventListener('abort', () => running.cancel(), { once: true });
	await running;
	const run = await finished;
	const items = (run.data.resultData.runData[startNode] ?? []).flatMap(
		(task) => task.data?.main[0] ?? [],
	);
	const error = run.data.resultData.error as RunResult['error'];
	return { run, items, error };
}

/**
 * The context n8n gives a node's loadOptions and listSearch methods while the user edits the node, for the
 * action node with the given parameters.
 */
export function loadOptionsContext(
	credential: PrivCardsCredential,
	parameters: IDataObject = {},
): LoadOptionsContext {
	const node = actionNode({ parameters });
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'PrivCards test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'load-options', { id: workflow.id } as never);
	return new LoadOptionsContext(
		workflow,
		node,
		additionalDataFor(credential, hooks, 'load-options'),
		'parameters.cardId',
	);
}
