import { ApplicationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	API_KEY_PREFIXES,
	API_KEY_PREFIXES_TEXT,
	DEFAULT_BASE_URL,
	LIVE_KEY_PREFIX,
	LOOPBACK_HOSTS_TEXT,
	TEST_KEY_PREFIX,
} from '../nodes/PrivCards/contract';
import { insecureUrlReason } from '../nodes/PrivCards/transport/baseUrl';

export class PrivCardsApi implements ICredentialType {
	name = 'privCardsApi';

	displayName = 'PrivCards API';

	icon: Icon = { light: 'file:../icons/privcards.svg', dark: 'file:../icons/privcards.dark.svg' };

	documentationUrl = 'https://github.com/privcards/n8n-nodes-privcards#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: API_KEY_PREFIXES.map((prefix) => `${prefix}…`).join(' or '),
			description: `From the PrivCards dashboard: Settings → API Keys. Keys starting ${LIVE_KEY_PREFIX} move real money; ${TEST_KEY_PREFIX} keys use the sandbox.`,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: `Leave as is to use PrivCards. Change it only to go through a proxy, or to test against a PrivCards emulator. Must start with https:// (plain http:// only to this machine: ${LOOPBACK_HOSTS_TEXT}).`,
		},
	];

	/**
	 * The key as a Bearer token, only over HTTPS (or plain http on this machine, for an emulator): n8n calls this
	 * before every request with the credential, the credential's own test included, so an http:// Base URL to
	 * another host is refused before anything is sent.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { url, baseURL } = requestOptions;
		const target = baseURL === undefined || /^[a-z][a-z\d+.-]*:/i.test(url) ? url : baseURL;
		const insecure = insecureUrlReason(target);
		if (insecure !== undefined) {
			throw new ApplicationError(`The Base URL of the PrivCards credential ${insecure}`, {
				level: 'warning',
			});
		}
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/wallet',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: `The API key was refused. It must start with ${API_KEY_PREFIXES_TEXT} and be active in the PrivCards dashboard.`,
				},
			},
		],
	};
}
