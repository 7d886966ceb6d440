/**
 * The API key travels in a header of every request, so it may only go out over HTTPS, or over plain http to this
 * machine (an emulator on loopback): in the node, and in the credential's test as n8n's credential tester runs it.
 * The "outside host" is this machine's own non-loopback address, where a second emulator listens: a request that
 * went out in clear would be in its log.
 */
import { networkInterfaces } from 'node:os';

import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import { createEmptyRunExecutionData, Workflow } from 'n8n-workflow';
import type { INode, INodeType } from 'n8n-workflow';

import { PrivCardsApi } from '../../credentials/PrivCardsApi.credentials';
import { insecureUrlReason } from '../../nodes/PrivCards/transport/baseUrl';
import { startEmulator } from '../../emulator/emulator';
import type { Emulator } from '../../emulator/emulator';
import { additionalDataFor, nodeTypes, runNode } from '../../harness/n8n';
import type { PrivCardsCredential } from '../../harness/n8n';

const CREDENTIAL_TEST_NODE_TYPE = 'test.credentialTest';

interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The credential's test as n8n's CredentialsTester runs a declared test request (n8n 2.41
 * `services/credentials-tester.service.js`): a stand-in node whose one property routes the test request, run by
 * n8n-core's RoutingNode with the credential's data; a failed request is judged by the credential's rules.
 */
async function testCredential(data: PrivCardsCredential): Promise<CredentialTestResult> {
	const { request, rules } = new PrivCardsApi().test;
	const nodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Test helper',
			defaults: { name: 'Credential test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'privCardsApi', required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request }, default: '' },
			],
		},
	} as unknown as INodeType;
	nodeTypes.register(CREDENTIAL_TEST_NODE_TYPE, nodeType);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { privCardsApi: { id: '1', name: 'PrivCards account' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {
		id: 'credential-test',
	} as never);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalDataFor(data, hooks, 'credential-test'),
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const credentialsDecrypted = {
		id: '1',
		name: 'PrivCards account',
		type: 'privCardsApi',
		data: { ...data },
	};
	try {
		await workflow.expression.acquireIsolate();
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const status = (error as { cause?: { response?: { status?: number } } }).cause?.response
			?.status;
		const rule = rules?.find(
			(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
		);
		return { status: 'Error', message: rule?.properties.message ?? (error as Error).message };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** This machine's first non-loopback IPv4 address: reachable, but not loopback. */
function outsideAddress(): string | undefined {
	return Object.values(networkInterfaces())
		.flat()
		.find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
		?.address;
}

let emulator: Emulator;
/** The same emulator API on every interface, reached through the outside address. */
let outside: Emulator | undefined;
let outsideBaseUrl: string | undefined;

beforeAll(async () => {
	emulator = await startEmulator();
	const address = outsideAddress();
	if (address !== undefined) {
		outside = await startEmulator({ host: '0.0.0.0' });
		outsideBaseUrl = outside.baseUrl.replace(
			/\/\/[^/]+/,
			`//${address}:${new URL(outside.baseUrl).port}`,
		);
	}
});

afterAll(async () => {
	await emulator.stop();
	await outside?.stop();
});

const credential = (baseUrl: string): PrivCardsCredential => ({
	apiKey: emulator.testKey,
	baseUrl,
});
const HTTP_REFUSED = /Base URL .*must start with https:\/\/ so the API key never travels in clear/;

describe('a plain http:// Base URL to another host', () => {
	it('stops the node before any request, naming the Base URL and the item', async () => {
		const { error, items } = await runNode(
			{ parameters: { resource: 'wallet', operation: 'get' } },
			{ credential: credential('http://example.test/v1') },
		);
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(HTTP_REFUSED);
		expect(error?.message).toContain('got http://example.test');
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
	});

	(outsideAddress() === undefined ? it.skip : it)(
		'sends nothing to a host that would answer',
		async () => {
			if (outside === undefined || outsideBaseUrl === undefined)
				throw new Error('no outside address');
			const { error } = await runNode(
				{ parameters: { resource: 'wallet', operation: 'get' } },
				{ credential: { apiKey: outside.testKey, baseUrl: outsideBaseUrl } },
			);
			expect(error?.message).toMatch(HTTP_REFUSED);
			expect(outside.requests).toEqual([]);

			const tested = await testCredential({ apiKey: outside.testKey, baseUrl: outsideBaseUrl });
			expect(tested.status).toBe('Error');
			expect(tested.message).toMatch(HTTP_REFUSED);
			expect(outside.requests).toEqual([]);
		},
	);

	it("fails the credential's test with the reason, before any request", async () => {
		const tested = await testCredential(credential('http://example.test/v1'));
		expect(tested).toEqual({ status: 'Error', message: expect.stringMatching(HTTP_REFUSED) });
	});
});

describe('loopback (the emulator)', () => {
	it('still works in the node and in the credential test, over plain http', async () => {
		emulator.clearRequests();
		const { error, items } = await runNode(
			{ parameters: { resource: 'wallet', operation: 'get' } },
			{ credential: credential(emulator.baseUrl) },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(await testCredential(credential(emulator.baseUrl))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(
			await testCredential({
				apiKey: 'sk_test_notakeythisemulatorknows',
				baseUrl: emulator.baseUrl,
			}),
		).toEqual({
			status: 'Error',
			message:
				'The API key was refused. It must start with sk_live_ or sk_test_ and be active in the PrivCards dashboard.',
		});
		// n8n-core sends a request answered 401 once more (its credential refresh path): two 401s.
		expect(
			emulator.requests.map((request) => [request.method, request.path, request.status]),
		).toEqual([
			['GET', '/wallet', 200],
			['GET', '/wallet', 200],
			['GET', '/wallet', 401],
			['GET', '/wallet', 401],
		]);
	});
});

describe('insecureUrlReason', () => {
	it('takes https anywhere and plain http on loopback only', () => {
		for (const url of [
			'https://api.privcards.com/v1',
			'HTTPS://proxy.example.com:8443/v1',
			'http://127.0.0.1:4010/v1',
			'http://127.255.0.9/v1',
			'http://localhost:4010/v1',
			'http://LOCALHOST/v1',
			'http://[::1]:4010/v1',
		]) {
			expect([url, insecureUrlReason(url)]).toEqual([url, undefined]);
		}
		for (const url of [
			'http://example.test/v1',
			'http://api.privcards.com/v1',
			'http://localhost.example.com/v1',
			'http://127.0.0.1.example.com/v1',
			'http://[::2]/v1',
			'http://10.0.0.1/v1',
			'ftp://127.0.0.1/v1',
			'api.privcards.com/v1',
			'',
		]) {
			expect([url, insecureUrlReason(url)]).toEqual([url, expect.any(String)]);
		}
	});
});
